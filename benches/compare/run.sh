#!/usr/bin/env bash
# Peer comparison in one command: bash benches/compare/run.sh [compare.py options]
#
# Full run: creates benches/compare/.venv (gitignored), pip-installs the peers one package at
# a time (a failure is recorded in out/install.json and the run carries on), builds clout in
# release (`cargo build --release` at the repository root), then runs compare.py with the
# venv's interpreter. Results: benches/compare/out/results.{md,json}.
#
# --smoke: no installs, no build: karate only, 1 repetition, peers taken from whichever
# interpreter already has them; exits non-zero if the harness itself is broken.
#
# Environment: CLOUT_DATASETS (datasets folder), CLOUT_COMPARE_SKIP_INSTALL=1 (reuse the venv
# as it is), CLOUT_COMPARE_SKIP_BUILD=1 (use the existing target/release/clout).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$HERE/out"
mkdir -p "$OUT"

export CLOUT_COMPARE_COMMAND="bash benches/compare/run.sh $*"
for arg in "$@"; do
    if [ "$arg" = "--smoke" ]; then
        exec python3 "$HERE/compare.py" "$@"
    fi
done

VENV="$HERE/.venv"
PY="$VENV/bin/python"
PACKAGES=(networkit igraph networkx rustworkx cynetdiff pynetim ndlib six scikit-learn scipy numpy)
INSTALL_LOG="$OUT/install.json"

if [ "${CLOUT_COMPARE_SKIP_INSTALL:-0}" != 1 ]; then
    if [ ! -x "$PY" ]; then
        echo "creating $VENV"
        python3 -m venv "$VENV" || { echo "cannot create the venv" >&2; exit 1; }
    fi
    "$PY" -m pip install -q --upgrade pip >"$OUT/pip-pip.log" 2>&1
    statuses=()
    for pkg in "${PACKAGES[@]}"; do
        echo "pip install $pkg"
        if "$PY" -m pip install -q "$pkg" >"$OUT/pip-$pkg.log" 2>&1; then
            statuses+=("$pkg=ok")
        else
            echo "  FAILED (see $OUT/pip-$pkg.log); carrying on" >&2
            statuses+=("$pkg=pip exit $?, see out/pip-$pkg.log")
        fi
    done
    python3 - "$INSTALL_LOG" "${statuses[@]}" <<'EOF'
import json, sys
entries = dict(item.split("=", 1) for item in sys.argv[2:])
json.dump(entries, open(sys.argv[1], "w"), indent=1)
EOF
fi

EXTRA=()
if [ "${CLOUT_COMPARE_SKIP_BUILD:-0}" != 1 ]; then
    echo "cargo build --release (log: $OUT/cargo-build.log)"
    if ! (cd "$ROOT" && cargo build --release) >"$OUT/cargo-build.log" 2>&1; then
        echo "clout did not build; peers run alone (see $OUT/cargo-build.log)" >&2
        EXTRA+=(--clout "" --note "cargo build --release failed: clout columns empty")
    fi
fi

[ -f "$INSTALL_LOG" ] && EXTRA+=(--install-log "$INSTALL_LOG")
exec "$PY" "$HERE/compare.py" --python "$PY" "${EXTRA[@]}" "$@"
