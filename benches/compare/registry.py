"""What the comparison runs: peers, operations, default datasets (standard library only)."""

# peer -> (operations it implements, distributions whose versions are recorded)
PEERS = {
    "networkit": ({"load", "pagerank", "betweenness", "betweenness_approx"}, ["networkit"]),
    "igraph": ({"load", "pagerank", "betweenness"}, ["igraph"]),
    "networkx": ({"load", "pagerank", "betweenness"}, ["networkx", "scipy", "numpy"]),
    "rustworkx": ({"load", "pagerank", "betweenness"}, ["rustworkx"]),
    "cynetdiff": ({"ic"}, ["cynetdiff"]),
    "pynetim": ({"ic", "imm"}, ["pynetim"]),
    "ndlib": ({"ic"}, ["ndlib", "six", "scikit-learn"]),
}

# operation -> datasets it runs on by default (an explicit --datasets overrides)
OPS = {
    "load": ["ego-facebook", "wiki-vote", "slashdot", "epinions", "rmat20", "rmat22"],
    "pagerank": ["ego-facebook", "wiki-vote", "slashdot", "epinions", "higgs-retweet", "rmat20"],
    "betweenness": ["ego-facebook", "wiki-vote"],
    "betweenness_approx": ["ego-facebook", "wiki-vote"],
    "ic": ["ego-facebook", "wiki-vote", "slashdot", "epinions"],
    "imm": ["ego-facebook", "wiki-vote", "slashdot", "epinions"],
}

# Peers that hold the graph in Python objects: skipped above this many arcs (memory).
ARC_LIMITS = {"networkx": 10_000_000, "cynetdiff": 10_000_000, "ndlib": 2_000_000,
              "pynetim": 30_000_000}
