"""NetworkX with and without the clout backend, in one process: the first call (conversion
included) and a second one (the conversion cached on G). A benchmark, not a test.

    python benches/python/nx_backend.py [--datasets DIR] [--betweenness]

`nx.pagerank` on soc-Slashdot0902 and wiki-Vote; with --betweenness also exact
`nx.betweenness_centrality` on ego-Facebook (about three minutes in NetworkX).
"""

import argparse
import gzip
import os
import pathlib
import time
import warnings

import networkx as nx

ROOT = pathlib.Path(__file__).resolve().parents[2]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", default=os.environ.get("CLOUT_DATASETS", str(ROOT.parent / "shared" / "datasets")))
    ap.add_argument("--betweenness", action="store_true", help="also ego-Facebook betweenness (slow in NetworkX)")
    args = ap.parse_args()
    warnings.filterwarnings("ignore", message=".*cache.*")
    ap_betweenness = args.betweenness
    slashdot = pathlib.Path(args.datasets) / "slashdot" / "soc-Slashdot0902.txt.gz"
    graphs = [
        ("soc-Slashdot0902", nx.read_edgelist(gzip.open(slashdot, "rt"), create_using=nx.DiGraph, nodetype=int)),
        ("wiki-Vote", nx.read_edgelist(ROOT / "datasets" / "wiki-vote" / "Wiki-Vote.txt", create_using=nx.DiGraph, nodetype=int)),
    ]
    for name, G in graphs:
        compare(f"{name} pagerank", G, nx.pagerank)
    if ap_betweenness:
        ego = ROOT / "datasets" / "ego-facebook"
        path = next(p for p in ego.iterdir() if p.name.endswith((".txt", ".txt.gz", ".edges")))
        opener = gzip.open if path.suffix == ".gz" else open
        G = nx.read_edgelist(opener(path, "rt"), nodetype=int)
        compare("ego-Facebook betweenness_centrality", G, nx.betweenness_centrality)


def compare(what, G, function):
    start = time.perf_counter()
    reference = function(G)
    t_nx = time.perf_counter() - start
    start = time.perf_counter()
    first = function(G, backend="clout")
    t_first = time.perf_counter() - start
    start = time.perf_counter()
    function(G, backend="clout")
    t_cached = time.perf_counter() - start
    diff = max(abs(reference[k] - first[k]) for k in reference)
    print(f"{what} ({G.number_of_nodes()} nodes, {G.number_of_edges()} edges): networkx {t_nx:.2f} s; "
          f"clout first call {t_first:.2f} s ({t_nx / t_first:.1f}x, conversion included); cached "
          f"{t_cached:.3f} s ({t_nx / t_cached:.0f}x); largest difference {diff:.1e}", flush=True)


if __name__ == "__main__":
    main()
