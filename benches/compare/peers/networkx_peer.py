"""NetworkX: read_edgelist, pagerank, betweenness_centrality. Pure Python, single-threaded.

PageRank stopping rule (networkx.pagerank, scipy power iteration): stop when
sum_u |x_new(u) - x_old(u)| < N * tol, so tol = (L1 tolerance) / N. Dangling nodes spread
their mass uniformly (personalization = uniform). Edges unweighted (weight=None).

Betweenness: `betweenness_centrality(normalized=True)` is the reference scale of the harness.
"""

from __future__ import annotations

from .common import Method, Prepared, counts

import networkx as nx


def read(ctx, path=None):
    return nx.read_edgelist(path or ctx.variant("text"), comments="#",
                            delimiter=ctx.dataset["sep"],
                            create_using=nx.DiGraph if ctx.directed else nx.Graph,
                            nodetype=int, data=False)


def load_setup(ctx) -> Prepared:
    holder = {}

    def run():
        holder.pop("graph", None)
        holder["graph"] = read(ctx)
        return holder["graph"]

    def finish(graph):
        return counts(graph.number_of_nodes(), graph.number_of_edges(),
                      self_loops=nx.number_of_selfloops(graph))

    return Prepared(run, finish, between_reps=holder.clear,
                    warmup=lambda: read(ctx, ctx.tiny_file("text")))


def pagerank_setup(ctx) -> Prepared:
    graph = read(ctx)
    n = graph.number_of_nodes()
    params = ctx.params

    def run():
        return nx.pagerank(graph, alpha=params["alpha"], tol=params["pr_tol"] / n,
                           max_iter=params["pr_max_iter"], weight=None)

    def finish(scores):
        return ctx.write_scores(list(scores), list(scores.values()))

    # The first call imports scipy lazily (~0.3 s): warm up on a 3-node graph.
    return Prepared(run, finish, warmup=lambda: nx.pagerank(nx.path_graph(3), weight=None))


def betweenness_setup(ctx) -> Prepared:
    graph = read(ctx)

    def run():
        return nx.betweenness_centrality(graph, normalized=True)

    def finish(scores):
        return ctx.write_scores(list(scores), list(scores.values()))

    return Prepared(run, finish)


METHODS = [
    Method("load", "read_edgelist", load_setup, notes="nodetype=int, data=False"),
    Method("pagerank", "pagerank", pagerank_setup, notes="tol = L1 tolerance / N"),
    Method("betweenness", "betweenness_centrality", betweenness_setup),
]
