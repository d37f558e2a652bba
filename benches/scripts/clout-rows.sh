#!/usr/bin/env bash
# clout-only rows of BENCHMARKS.md's reach and selection tables: throughput of `clout simulate`
# and IMM / OPIM-C runs of `clout select`, at 1 and 2 threads, medians of REPS runs.
#
#   bash benches/scripts/clout-rows.sh simulate   # IC throughput (uniform 0.01 and wc)
#   bash benches/scripts/clout-rows.sh select     # IMM and OPIM-C, wc, k = 50, epsilon = 0.1
#
# Inputs: ego-Facebook, Slashdot, soc-sign-epinions from $CLOUT_DATASETS (default
# ../shared/datasets) and R-MAT scale 20 (edge factor 16, seed 1) generated here; snapshots go
# to $WORK (default a new directory under /tmp). Build first: cargo build --release.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
C="${CLOUT:-$ROOT/target/release/clout}"
D="${CLOUT_DATASETS:-$ROOT/../shared/datasets}"
WORK="${WORK:-$(mktemp -d)}"
REPS="${REPS:-3}"
TRIALS="${TRIALS:-10000}"
GRAPHS="${GRAPHS:-ego-facebook slashdot epinions rmat20}"
what="${1:?usage: clout-rows.sh simulate|select}"

snapshot() {
  local g=$1 out="$WORK/$1.clout"
  if [ ! -f "$out" ]; then
    case $g in
      ego-facebook) "$C" ingest "$D/ego-facebook/facebook_combined.txt" --undirected -o "$out" ;;
      slashdot) "$C" ingest "$D/slashdot/soc-Slashdot0902.txt.gz" -o "$out" ;;
      epinions) "$C" ingest "$D/sign-epinions/soc-sign-epinions.txt.gz" --format signed -o "$out" ;;
      rmat20) "$C" generate rmat --scale 20 --edge-factor 16 --seed 1 -o "$out" ;;
      *) echo "unknown graph $g" >&2; exit 2 ;;
    esac >/dev/null 2>&1
  fi
  echo "$out"
}

# Median of the runs' JSON documents (one per line) by `seconds`: one line per configuration.
median() { python3 "$ROOT/benches/scripts/median_row.py" "$1"; }

for g in $GRAPHS; do
  snap=$(snapshot "$g")
  seeds=$("$C" rank "$snap" --by followers --top 10 2>/dev/null | tail -n +2 | cut -d, -f1 | paste -sd,)
  for t in 1 2; do
    case $what in
      simulate)
        for prob in "uniform:0.01 --no-awareness" "wc"; do
          # shellcheck disable=SC2086
          for _ in $(seq "$REPS"); do
            "$C" --threads "$t" simulate "$snap" --model ic --prob $prob --seeds "$seeds" \
              --trials "$TRIALS" --seed 7 --json 2>/dev/null | python3 -c \
              'import json,sys; print(json.dumps({k: v for k, v in json.load(sys.stdin).items() if k != "results"}))'
          done | median "$g T=$t $prob"
        done ;;
      select)
        for method in imm opim; do
          for _ in $(seq "$REPS"); do
            "$C" --threads "$t" select "$snap" -k 50 --model ic --method "$method" --prob wc \
              --epsilon 0.1 --trials 0 --seed 1 --json 2>/dev/null | python3 -c \
              'import json,sys; print(json.dumps(json.load(sys.stdin)))'
          done | median "$g T=$t $method"
        done ;;
      *) echo "usage: clout-rows.sh simulate|select" >&2; exit 2 ;;
    esac
  done
done
