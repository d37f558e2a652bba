#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60) with libFuzzer, and fails (exit 1) on any
# crash, timeout (-timeout=10: one input taking over 10 s) or out-of-memory (-rss_limit_mb=2048).
#
#   fuzz/run.sh 600              # ten minutes per target
#   fuzz/run.sh 60 snapshot      # only the named targets
#
# Needs the nightly toolchain; installs cargo-fuzz if it is missing. The seeds in
# fuzz/corpus/<target>/ (committed, see make_seeds.sh) are read but never written: new inputs
# go to fuzz/work/<target>/, which persists between runs (delete it to start over). Crashing
# inputs land in fuzz/artifacts/<target>/; replay one with
#   cargo +nightly fuzz run -s none <target> fuzz/artifacts/<target>/<file>
# Builds use debug assertions and overflow checks, without a sanitizer: the code under test is
# safe Rust (the one unsafe block, the snapshot mmap, is not reached from memory inputs).
set -euo pipefail
seconds=${1:-60}
shift || true
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz/run.sh: the nightly toolchain is not installed (rustup toolchain install nightly)" >&2
  exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

if [ $# -gt 0 ]; then targets=("$@"); else mapfile -t targets < <(cargo +nightly fuzz list); fi
echo "== building fuzz targets: ${targets[*]}"
for target in "${targets[@]}"; do
  cargo +nightly fuzz build -s none "$target"
done

failed=()
for target in "${targets[@]}"; do
  mkdir -p "work/$target" "corpus/$target"
  log="work/$target.log"
  echo "== fuzzing $target for ${seconds}s (log: fuzz/$log)"
  if cargo +nightly fuzz run -s none "$target" "work/$target" "corpus/$target" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
      >"$log" 2>&1; then
    done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true)
    execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' || true)
    rss=$(grep -E '^stat::peak_rss_mb' "$log" | awk '{print $2}' || true)
    echo "   ok: ${execs:-?} executions, peak RSS ${rss:-?} MB; ${done_line:-no DONE line}"
  else
    echo "   FAILED: $target (crash, timeout or OOM); the end of its log:" >&2
    tail -n 40 "$log" >&2
    failed+=("$target")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz/run.sh: failing targets: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
echo "fuzz/run.sh: all targets ran ${seconds}s without a finding"
