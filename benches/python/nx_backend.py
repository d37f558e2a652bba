"""NetworkX with and without the clout backend on soc-Slashdot0902: `nx.pagerank(G)` against
`nx.pagerank(G, backend="clout")`, the first call (conversion included) and a second one (the
conversion cached on G), in one process. A benchmark, not a test.

    python benches/python/nx_backend.py [--datasets DIR]
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
    args = ap.parse_args()
    warnings.filterwarnings("ignore", message=".*cache.*")
    path = pathlib.Path(args.datasets) / "slashdot" / "soc-Slashdot0902.txt.gz"
    G = nx.read_edgelist(gzip.open(path, "rt"), create_using=nx.DiGraph, nodetype=int)
    print(f"soc-Slashdot0902: {G.number_of_nodes()} nodes, {G.number_of_edges()} arcs")
    start = time.perf_counter()
    reference = nx.pagerank(G)
    t_nx = time.perf_counter() - start
    start = time.perf_counter()
    first = nx.pagerank(G, backend="clout")
    t_first = time.perf_counter() - start
    start = time.perf_counter()
    nx.pagerank(G, backend="clout")
    t_cached = time.perf_counter() - start
    diff = max(abs(reference[k] - first[k]) for k in reference)
    print(f"networkx {t_nx:.2f} s; clout first call {t_first:.2f} s ({t_nx / t_first:.1f}x, conversion "
          f"included); cached {t_cached:.3f} s ({t_nx / t_cached:.0f}x); largest difference {diff:.1e}")


if __name__ == "__main__":
    main()
