"""rustworkx: read_edge_list, pagerank, betweenness_centrality.

Threads: rustworkx parallelises betweenness with rayon, so RAYON_NUM_THREADS (set by the
orchestrator) controls it; pagerank and the reader are sequential.

Reader: without `labels=True`, read_edge_list uses the ids as node indices and creates every
index up to the largest (isolated placeholder nodes for sparse id spaces such as Wiki-Vote's),
so the harness reads with `labels=True` (ids as string labels) on the original text, and also
times the index mode on the dense 0-based variant.

PageRank stopping rule: documented as NetworkX's: stop when the L1 change between iterations
is < N * tol, so tol = (L1 tolerance) / N. Only PyDiGraph is accepted: undirected graphs are
converted with to_directed() (both arcs) untimed.
"""

from __future__ import annotations

from .common import Method, Prepared, counts

import rustworkx as rx


def _cls(ctx):
    return rx.PyDiGraph if ctx.directed else rx.PyGraph


def _read_labels(ctx, path=None):
    return _cls(ctx).read_edge_list(path or ctx.variant("text"), comment="#",
                                    deliminator=ctx.dataset["sep"], labels=True)


def _load(ctx):
    graph = _read_labels(ctx)
    indices = list(graph.node_indices())
    original = {i: graph[i] for i in indices}
    return graph, original


def labels_setup(ctx) -> Prepared:
    holder = {}

    def run():
        holder.pop("graph", None)
        holder["graph"] = _read_labels(ctx)
        return holder["graph"]

    def finish(graph):
        loops = sum(1 for u, v in graph.edge_list() if u == v)
        return counts(graph.num_nodes(), graph.num_edges(), self_loops=loops)

    return Prepared(run, finish, between_reps=holder.clear,
                    warmup=lambda: _read_labels(ctx, ctx.tiny_file("text")))


def dense_setup(ctx) -> Prepared:
    ctx.note("dense-id variant")
    path = ctx.variant("dense")
    holder = {}

    def run():
        holder.pop("graph", None)
        holder["graph"] = _cls(ctx).read_edge_list(path)
        return holder["graph"]

    def finish(graph):
        loops = sum(1 for u, v in graph.edge_list() if u == v)
        return counts(graph.num_nodes(), graph.num_edges(), self_loops=loops)

    return Prepared(run, finish, between_reps=holder.clear,
                    warmup=lambda: _cls(ctx).read_edge_list(ctx.tiny_file("dense")))


def pagerank_setup(ctx) -> Prepared:
    graph, original = _load(ctx)
    if not ctx.directed:
        graph = graph.to_directed()
    n = graph.num_nodes()
    params = ctx.params

    def run():
        return rx.pagerank(graph, alpha=params["alpha"], tol=params["pr_tol"] / n,
                           max_iter=params["pr_max_iter"])

    def finish(scores):
        items = list(scores.items())
        return ctx.write_scores([original[i] for i, _ in items], [s for _, s in items])

    return Prepared(run, finish)


def betweenness_setup(ctx) -> Prepared:
    graph, original = _load(ctx)

    def run():
        return rx.betweenness_centrality(graph, normalized=True, parallel_threshold=50)

    def finish(scores):
        items = list(scores.items())
        return ctx.write_scores([original[i] for i, _ in items], [s for _, s in items])

    return Prepared(run, finish)


def _dense_ok(dataset):
    return None if dataset["variants"].get("dense") else "no dense variant prepared"


METHODS = [
    Method("load", "read_edge_list(labels)", labels_setup,
           notes="labels=True: ids kept as strings"),
    Method("load", "read_edge_list(dense)", dense_setup, skip=_dense_ok,
           notes="index mode: dense 0-based ids required"),
    Method("pagerank", "pagerank", pagerank_setup, notes="tol = L1 tolerance / N"),
    Method("betweenness", "betweenness_centrality", betweenness_setup, parallel=True,
           notes="rayon, parallel_threshold=50"),
]
