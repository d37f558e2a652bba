#!/usr/bin/env python3
"""Runs the same clout commands with two binaries and diffs everything they write.

    python3 scripts/compare_outputs.py OLD_CLOUT NEW_CLOUT [--keep DIR]

Each case runs in a fresh directory per binary (datasets/ is reachable as $DATASETS); the
standard output, the exit code, every file the command wrote and the standard error are
compared after masking what legitimately differs between two runs: wall-clock times and
rates (`0.296 s`, `51.0 MB/s`, JSON keys ending in `seconds` or `_per_second`) and the
binary's own path. Exits 1 when any case differs, listing the differences; 0 otherwise.

The cases are the README's examples plus one run of every command and output format, so a
refactor of the command line can prove it changed no output byte it did not mean to.
"""

import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATASETS = os.path.join(ROOT, "datasets")
WIKI = "$DATASETS/wiki-vote/Wiki-Vote.txt"
KARATE = "$DATASETS/karate/karate.edges"

# (name, shell command). `$CLOUT` is the binary under test.
CASES = [
    # The README's worked example and sections.
    ("ingest", f"$CLOUT ingest {WIKI} -o wiki.clout"),
    ("stats", f"$CLOUT ingest {WIKI} -o w.clout 2>/dev/null && $CLOUT stats w.clout"),
    ("rank-readme", f"$CLOUT rank {WIKI} --by pagerank,betweenness,coreness,followers --top 5"),
    ("rank-two-commands", f"$CLOUT rank {WIKI} --by pagerank,betweenness,coreness --top 10"),
    ("simulate-readme",
     f"$CLOUT simulate {WIKI} --seeds 4037,15,2625,2470,6634 --model icn --quality 0.5,0.7,0.9 "
     "--seed 1 --curve curve.csv --output sim.json --trials 2000"),
    ("select-readme",
     f"$CLOUT select {WIKI} -k 5 --model icn --quality 0.8 --seed 1 --compare --trials 500"),
    ("report-readme",
     f"$CLOUT report {KARATE} --undirected --select 4 --model icn --quality 0.8 -o report.html "
     "--svg-dir charts/ --trials 300"),
    # Every command and format once more.
    ("ingest-json", f"$CLOUT ingest {KARATE} --undirected -o k.clout --json"),
    ("stats-json", f"$CLOUT stats {KARATE} --undirected --json"),
    ("rank-all-json",
     f"$CLOUT rank {KARATE} --undirected --by pagerank,betweenness,coreness,harmonic,ci,followers,"
     "following,degree -o r.json"),
    ("rank-tsv-verify", f"$CLOUT rank {WIKI} --by coreness,ci --verify -o r.tsv"),
    ("rank-sampled", f"$CLOUT rank {WIKI} --by betweenness,harmonic --epsilon 0.05 --seed 3 --top 20"),
    ("rank-personalized",
     f"printf '4037 2\\n15\\n' > p.txt && $CLOUT rank {WIKI} --personalize p.txt --top 10"),
    ("generate-snapshot", "$CLOUT generate rmat --scale 10 --seed 2 -o g.clout && $CLOUT stats g.clout"),
    ("generate-text", "$CLOUT generate rmat --scale 8 --edge-factor 4 -o g.txt && head -5 g.txt"),
    ("simulate-json", f"$CLOUT simulate {KARATE} --undirected --seeds 1,34 --model ic --prob uniform:0.2 --trials 500 --json"),
    ("simulate-lt", f"$CLOUT simulate {WIKI} --seeds 4037 --model lt --trials 300"),
    ("simulate-precision",
     f"$CLOUT simulate {KARATE} --undirected --seeds 1 --precision 0.05 --conversion-rate 0.1 --max-steps 3"),
    ("select-imm-json", f"$CLOUT select {WIKI} -k 3 --trials 200 --json"),
    ("select-opim-csv", f"$CLOUT select {WIKI} -k 3 --method opim --trials 200 -o sel.csv"),
    ("select-celf", f"$CLOUT select {KARATE} --undirected -k 2 --method celf --celf-trials 100 --trials 200 --compare"),
    ("select-budget",
     f"printf '1 2\\n34 3\\n33 1\\n2 1\\n' > costs.txt && $CLOUT select {KARATE} --undirected "
     "--budget 3 --costs costs.txt --trials 200 -o sel.json"),
    ("select-baselines",
     f"for m in degree pagerank coreness degree-discount; do $CLOUT select {WIKI} -k 4 --method $m --trials 100; done"),
    ("report-seeds",
     f"$CLOUT report {KARATE} --undirected --seeds 1,34 --model ic --trials 200 -o seeds.html"),
    # Errors: the exit code and the message.
    ("error-missing-seed", f"$CLOUT simulate {KARATE} --seeds 999"),
    ("error-output-is-input", f"cp {KARATE} k.txt && $CLOUT rank k.txt -o k.txt"),
]

TIME = [
    (re.compile(r'("[a-z_]*(?:seconds|_per_second)"\s*:\s*)[-0-9.eE+]+'), r"\1T"),
    (re.compile(r"\b[0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)? ?(?:s|MB/s|M edges/s|trials/s|M edges examined/s)\b"), "T"),
    (re.compile(r"\([0-9]+ trials/s"), "(T"),
    (re.compile(r"\b[0-9]+(?:\.[0-9]+)? trials/s"), "T"),
]
# Inside the report's HTML the chart data is exact; only the generator line and times differ.
HTML = [
    (re.compile(r"(selection time:? )[0-9.]+"), r"\1T"),
]


def mask(text, binary):
    text = text.replace(binary, "$CLOUT")
    for pattern, repl in TIME + HTML:
        text = pattern.sub(repl, text)
    return text


def run(binary, cmd, workdir):
    env = dict(os.environ, CLOUT=binary, DATASETS=DATASETS)
    p = subprocess.run(["bash", "-c", cmd], cwd=workdir, env=env, capture_output=True, timeout=600)
    files = {}
    for base, _, names in os.walk(workdir):
        for name in names:
            path = os.path.join(base, name)
            rel = os.path.relpath(path, workdir)
            with open(path, "rb") as f:
                files[rel] = f.read()
    return p.returncode, p.stdout, p.stderr, files


def text(b):
    return b.decode("utf-8", "replace")


def main():
    args = sys.argv[1:]
    keep = None
    if "--keep" in args:
        i = args.index("--keep")
        keep = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        print(__doc__)
        return 2
    old, new = (os.path.abspath(a) for a in args)
    only = os.environ.get("CASES")
    differing = []
    for name, cmd in CASES:
        if only and name not in only.split(","):
            continue
        results = []
        for label, binary in (("old", old), ("new", new)):
            workdir = tempfile.mkdtemp(prefix=f"clout-{name}-{label}-")
            code, out, err, files = run(binary, cmd, workdir)
            results.append((code, mask(text(out), binary), mask(text(err), binary),
                            {k: mask(text(v), binary) for k, v in files.items()}))
            if keep:
                dest = os.path.join(keep, label, name)
                shutil.rmtree(dest, ignore_errors=True)
                shutil.copytree(workdir, dest)
            shutil.rmtree(workdir)
        (c1, o1, e1, f1), (c2, o2, e2, f2) = results
        diffs = []
        if c1 != c2:
            diffs.append(f"exit code {c1} -> {c2}")
        for what, a, b in [("stdout", o1, o2), ("stderr", e1, e2)]:
            if a != b:
                diffs.append("".join(difflib.unified_diff(
                    a.splitlines(True), b.splitlines(True), f"old {what}", f"new {what}", n=1)))
        for path in sorted(set(f1) | set(f2)):
            a, b = f1.get(path), f2.get(path)
            if a != b:
                if a is None or b is None:
                    diffs.append(f"{path}: only in {'new' if a is None else 'old'}")
                else:
                    d = list(difflib.unified_diff(a.splitlines(True), b.splitlines(True),
                                                  f"old {path}", f"new {path}", n=0))
                    diffs.append("".join(d[:40]) + (f"... ({len(d)} diff lines)\n" if len(d) > 40 else ""))
        status = "same" if not diffs else "DIFFERS"
        print(f"{status:8} {name}")
        if diffs:
            differing.append(name)
            for d in diffs:
                lines = [l if len(l) <= 240 else l[:240] + f"... ({len(l)} chars)" for l in d.splitlines()]
                print("  " + "\n  ".join(lines))
    print(f"\n{len(differing)} of {len(CASES) if not only else len(only.split(','))} cases differ"
          + (f": {', '.join(differing)}" if differing else ""))
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
