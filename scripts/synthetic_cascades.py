#!/usr/bin/env python3
"""Writes datasets/synthetic-cascades/: a small synthetic action log in the propagation-tree
format of Twitter15/16 (Ma, Gao & Wong, ACL 2017), made by simulating Independent Cascade with
known arc probabilities, for the end-to-end tests of `clout learn` and `clout validate`.

Deterministic (fixed seed). The true probabilities are written to truth.csv. Run from the
repository root: python3 scripts/synthetic_cascades.py
"""
import os
import random

OUT = "datasets/synthetic-cascades"
rng = random.Random(20261206)

# 40 accounts (ids 1001..1040); 4 sources post cascades; each account has a few out-arcs with
# probabilities from {0.05, 0.2, 0.5}.
accounts = list(range(1001, 1041))
sources = [1001, 1002, 1003, 1004]
arcs = {}
for u in accounts:
    for v in rng.sample(accounts, 4):
        if v != u:
            arcs[(u, v)] = rng.choice([0.05, 0.2, 0.5])
out = {}
for (u, v), p in sorted(arcs.items()):
    out.setdefault(u, []).append((v, p))

os.makedirs(f"{OUT}/tree", exist_ok=True)
labels = []
tweet = 5_000_000
for c in range(120):
    root = sources[c % len(sources)]
    cid = 9_000_000 + c
    tweet_of = {root: cid}
    time_of = {root: 0.0}
    lines = [f"['ROOT', 'ROOT', '0.0']->['{root}', '{cid}', '0.0']"]
    frontier = [root]
    t = 0.0
    while frontier:
        t += 10.0
        nxt = []
        for u in frontier:
            for v, p in out.get(u, []):
                if v not in tweet_of and rng.random() < p:
                    tweet += 1
                    tweet_of[v] = tweet
                    time_of[v] = round(t + rng.random() * 5.0, 2)
                    lines.append(
                        f"['{u}', '{tweet_of[u]}', '{time_of[u]}']->"
                        f"['{v}', '{tweet}', '{time_of[v]}']"
                    )
                    nxt.append(v)
        frontier = nxt
    with open(f"{OUT}/tree/{cid}.txt", "w") as f:
        f.write("\n".join(lines) + "\n")
    labels.append(f"synthetic:{cid}")
with open(f"{OUT}/label.txt", "w") as f:
    f.write("\n".join(labels) + "\n")
with open(f"{OUT}/truth.csv", "w") as f:
    f.write("source,target,probability\n")
    for (u, v), p in sorted(arcs.items()):
        f.write(f"{u},{v},{p}\n")
