"""Makes the example audience files for wiki-Vote (deterministic; rerun to check them).

- `audience.txt`: the accounts of one community of the vote graph, found by Louvain modularity
  (NetworkX 3.x `louvain_communities`, undirected view, resolution 1, seed 7): the third
  largest community, each member with weight 1. It stands for "the voters of one corner of
  Wikipedia" that a campaign wants to reach.
- `purchases.txt`: a purchase probability and a sale value for a random 10% of all accounts
  (seed 7): probability uniform in [0.01, 0.20] (3 decimals), value 20, 50 or 120.

Usage: python make_audience.py  (needs networkx; writes next to this file)
"""

import pathlib
import random

import networkx as nx

here = pathlib.Path(__file__).parent
G = nx.Graph()
for line in (here / "Wiki-Vote.txt").read_text().splitlines():
    if line.startswith("#") or not line.strip():
        continue
    a, b = line.split()
    G.add_edge(int(a), int(b))
communities = sorted(nx.community.louvain_communities(G, resolution=1, seed=7), key=len, reverse=True)
chosen = sorted(communities[2])
with open(here / "audience.txt", "w") as f:
    f.write(f"# wiki-Vote: one Louvain community ({len(chosen)} of {G.number_of_nodes()} accounts), "
            "weight 1 each; made by make_audience.py\n")
    f.writelines(f"{v}\n" for v in chosen)
rng = random.Random(7)
buyers = sorted(rng.sample(sorted(G.nodes), G.number_of_nodes() // 10))
with open(here / "purchases.txt", "w") as f:
    f.write("# wiki-Vote: id, purchase probability, sale value for a random 10% of accounts; "
            "made by make_audience.py\n")
    f.writelines(f"{v} {rng.uniform(0.01, 0.20):.3f} {rng.choice([20, 50, 120])}\n" for v in buyers)
print(f"audience: {len(chosen)} accounts (communities: {[len(c) for c in communities[:6]]}); "
      f"purchases: {len(buyers)} accounts")
