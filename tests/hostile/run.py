#!/usr/bin/env python3
"""Runs every hostile-input case in tests/hostile/cases/*.json against a release build of clout
and writes the table docs/hostile-inputs.md: exit code, first line of stderr, peak memory.

    python3 tests/hostile/run.py            # builds target/release/clout if needed
    python3 tests/hostile/run.py --no-build --only 7,8

A case is {"class": N, "name": ..., "setup": shell, "cmd": shell, "exit": code, "stderr": substring,
"stdout": substring, "timeout": seconds}; it runs in a fresh empty directory under bash with
$CLOUT (the binary) and $DATASETS (the repository's datasets/) set. Exits 1 if any case does not
behave as its entry says (wrong exit code, missing text, a panic, a time-out).
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLASSES = {
    1: "non-seekable inputs", 2: "outputs that are inputs", 3: "outputs checked first",
    4: "all-or-nothing outputs", 5: "numbers that size resources", 6: "memory follows distinct edges",
    7: "line endings and CSV", 8: "silent reinterpretation of ids", 9: "snapshots that lie",
    10: "what is echoed back", 11: "writing to stdout", 12: "weights", 13: "zstd",
    14: "degenerate shapes", 15: "messages and flags",
}


def cell(text, limit=140):
    text = text.replace("|", "\\|").replace("\n", " ").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def run_case(case, clout):
    env = dict(os.environ, CLOUT=clout, DATASETS=os.path.join(ROOT, "datasets"))
    with tempfile.TemporaryDirectory(prefix="clout-hostile-") as d:
        if case.get("setup"):
            s = subprocess.run(["bash", "-c", case["setup"]], cwd=d, env=env, capture_output=True)
            if s.returncode != 0:
                return {"exit": None, "stderr": "setup failed: " + s.stderr.decode(errors="replace"),
                        "stdout": "", "rss_mb": 0.0, "seconds": 0.0}
        mem = os.path.join(d, ".peak-rss")
        start = time.time()
        try:
            p = subprocess.run(["/usr/bin/time", "-q", "-f", "%M", "-o", mem, "bash", "-c", case["cmd"]],
                               cwd=d, env=env, capture_output=True, timeout=case.get("timeout", 60))
            code, out, err = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            code, out, err = "timeout", e.stdout or b"", e.stderr or b""
        seconds = time.time() - start
        try:
            rss_mb = int(open(mem).read().split()[-1]) / 1024
        except (OSError, ValueError, IndexError):
            rss_mb = 0.0
        return {"exit": code, "stdout": out.decode(errors="replace"),
                "stderr": err.decode(errors="replace"), "rss_mb": rss_mb, "seconds": seconds}


def check(case, r):
    problems = []
    if r["exit"] != case["exit"]:
        problems.append(f"exit {r['exit']}, expected {case['exit']}")
    for stream in ("stderr", "stdout"):
        want = case.get(stream)
        if want and want not in r[stream]:
            problems.append(f"{stream} lacks {want!r}")
    if "panicked" in r["stderr"] or "memory allocation of" in r["stderr"]:
        problems.append("panic or allocation failure")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-build", action="store_true", help="use target/release/clout as it is")
    ap.add_argument("--only", help="comma-separated classes to run")
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "hostile-inputs.md"))
    a = ap.parse_args()
    if not a.no_build:
        subprocess.run(["cargo", "build", "--release", "--bin", "clout"], cwd=ROOT, check=True)
    clout = os.path.join(ROOT, "target", "release", "clout")
    cases = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "hostile", "cases", "*.json"))):
        for case in json.load(open(path)):
            case["file"] = os.path.basename(path)
            cases.append(case)
    if a.only:
        keep = {int(c) for c in a.only.split(",")}
        cases = [c for c in cases if c["class"] in keep]
    cases.sort(key=lambda c: (c["class"], c["file"]))
    rows, failed = [], 0
    for i, case in enumerate(cases, 1):
        r = run_case(case, clout)
        problems = check(case, r)
        failed += bool(problems)
        message = next((l for l in r["stderr"].splitlines() if l.strip()), "")
        if not message and r["exit"] == 0:
            message = "(stdout) " + next((l for l in r["stdout"].splitlines() if l.strip()), "")
        status = "ok" if not problems else "**FAIL**: " + "; ".join(problems)
        print(f"{i:3} [{case['class']:2}] {case['name']}: {status}", file=sys.stderr)
        rows.append(f"| {i} | {case['class']} | {cell(case['name'], 70)} | `{cell(case['cmd'], 90)}` | "
                    f"{r['exit']} | {cell(message)} | {r['rss_mb']:.0f} | {r['seconds']:.2f} | {status} |")
    head = [
        "# Hostile inputs",
        "",
        "Every row is a case from `tests/hostile/cases/*.json`, run against a release build by",
        "`python3 tests/hostile/run.py` (which rewrites this file) in a fresh directory. Exit codes:",
        "0 success, 1 the work failed (a clear error), 2 the command line was wrong; a case passes when",
        "the exit code and the expected text match and nothing panicked. Peak memory is the largest",
        "resident set of the case's processes (GNU time), in MB.",
        "",
        f"Run on {time.strftime('%Y-%m-%d')}: {len(cases)} cases, {len(cases) - failed} as expected, {failed} not.",
        "",
        "Classes: " + "; ".join(f"{k} {v}" for k, v in CLASSES.items()) + ".",
        "",
        "| # | class | input | command | exit | message (first line of stderr) | peak MB | s | result |",
        "|--:|--:|---|---|--:|---|--:|--:|---|",
    ]
    with open(a.out, "w") as f:
        f.write("\n".join(head + rows) + "\n")
    print(f"{len(cases)} cases, {len(cases) - failed} as expected, {failed} not; wrote {a.out}", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
