"""clout from Python against igraph and NetworKit: read a follower graph and run PageRank,
and the overhead of `Graph.rank` over the same work in the `clout` CLI. Side by side in one
run, medians of --reps repetitions, reported as ratios (a benchmark, not a test).

    python benches/python/read_and_score.py [--reps 5] [--datasets DIR] [--clout-bin PATH]

Needs the `clout` package (scripts/test or `maturin develop --release` in crates/python) and,
for the peers, `pip install igraph networkit`. Inputs: soc-Slashdot0902 from
../shared/datasets/slashdot (or --datasets); the peers read a decompressed copy without comment
lines (prepared outside the timed region, which favours them); clout reads the .gz as shipped.
Stopping rules: clout and igraph (PRPACK solves to machine precision; clout stops on
NetworkX's L1 rule with tol 1e-6), NetworKit with its default tolerance; each row says so.
"""

import argparse
import gzip
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]


def median_time(fn, reps):
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--datasets", default=os.environ.get("CLOUT_DATASETS", str(ROOT.parent / "shared" / "datasets")))
    ap.add_argument("--clout-bin", default=str(ROOT / "target" / "release" / "clout"))
    args = ap.parse_args()

    import clout

    slashdot = pathlib.Path(args.datasets) / "slashdot" / "soc-Slashdot0902.txt.gz"
    if not slashdot.exists():
        sys.exit(f"{slashdot} is missing (set --datasets)")
    plain = pathlib.Path(tempfile.mkdtemp()) / "slashdot.txt"
    with gzip.open(slashdot, "rt") as src, open(plain, "w") as dst:
        for line in src:
            if not line.startswith("#"):
                dst.write(line)

    rows = []

    def clout_run():
        g = clout.read(slashdot)
        g.pagerank()

    t_clout = median_time(clout_run, args.reps)
    rows.append(("clout.read + pagerank (gz, L1 < n*1e-6)", t_clout))
    try:
        import igraph

        def igraph_run():
            g = igraph.Graph.Read_Edgelist(str(plain), directed=True)
            g.pagerank()

        rows.append(("igraph Read_Edgelist + pagerank (PRPACK)", median_time(igraph_run, args.reps)))
    except ImportError:
        rows.append(("igraph: not installed", float("nan")))
    try:
        import networkit as nk

        def networkit_run():
            reader = nk.graphio.EdgeListReader("\t", 0, directed=True, continuous=False)
            g = reader.read(str(plain))
            pr = nk.centrality.PageRank(g)
            pr.run()

        rows.append(("networkit EdgeListReader + PageRank (default tol)", median_time(networkit_run, args.reps)))
    except ImportError:
        rows.append(("networkit: not installed", float("nan")))

    print(f"# read + PageRank on soc-Slashdot0902, median of {args.reps}")
    for name, t in rows:
        ratio = t / t_clout if t == t else float("nan")
        print(f"{name:<55} {t:8.3f} s   {ratio:6.2f}x clout's time")

    wiki = ROOT / "datasets" / "wiki-vote" / "Wiki-Vote.txt"
    g = clout.read(wiki)
    t_py = median_time(lambda: g.rank(by=["pagerank", "betweenness"]), args.reps)
    snap = pathlib.Path(tempfile.mkdtemp()) / "wiki.clout"
    g.save(snap)
    cmd = [args.clout_bin, "rank", str(snap), "--by", "pagerank,betweenness", "-o", os.devnull]
    t_py_total = median_time(lambda: clout.read(snap).rank(by=["pagerank", "betweenness"]), args.reps)
    t_cli = median_time(lambda: subprocess.run(cmd, check=True, capture_output=True), args.reps)
    print(f"\n# rank(by=[pagerank, betweenness]) on wiki-Vote, median of {args.reps}")
    print(f"{'Python Graph.rank (graph already read)':<55} {t_py:8.3f} s")
    print(f"{'Python read snapshot + Graph.rank -> DataFrame':<55} {t_py_total:8.3f} s   {t_py_total / t_cli:6.2f}x the CLI")
    print(f"{'clout rank SNAPSHOT --by pagerank,betweenness (process)':<55} {t_cli:8.3f} s")


if __name__ == "__main__":
    main()
