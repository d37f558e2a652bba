"""python-igraph: Read_Edgelist, Read_Ncol, PageRank (PRPACK), betweenness. Single-threaded.

Readers: `Graph.Read_Edgelist` takes whitespace-separated integer ids, makes vertices
0..max_id, and rejects comment lines, so it reads the `dense` variant (0-based dense ids,
comments stripped; the remapping is done once, untimed). On a file whose ids are not dense it
would silently add isolated vertices. `Graph.Read_Ncol` accepts arbitrary names but not
comments (a "#" line becomes vertices "#", "comment", ...), so it reads `nocomment`.

Betweenness: `Graph.betweenness()` counts each unordered pair once on undirected graphs
(NetworkX's raw value halved), ordered pairs on directed ones; converted to NetworkX's
normalized scale.

PageRank: `implementation="prpack"` solves the system to PRPACK's own tight tolerance (~1e-10);
it takes no tolerance argument, so igraph is the reference answer for PageRank.
"""

from __future__ import annotations

from .common import Method, Prepared, counts

import igraph as ig


def _load(ctx):
    graph = ig.Graph.Read_Edgelist(ctx.variant("dense"), directed=ctx.directed)
    original = ctx.dense_ids()
    # Read_Edgelist creates max_id + 1 vertices; the dense variant guarantees that is n.
    if graph.vcount() != len(original):
        raise ValueError(f"Read_Edgelist made {graph.vcount()} vertices, expected {len(original)}")
    return graph, original


def edgelist_setup(ctx) -> Prepared:
    path = ctx.variant("dense")
    ctx.note("dense-id variant")
    holder = {}

    def run():
        holder.pop("graph", None)
        holder["graph"] = ig.Graph.Read_Edgelist(path, directed=ctx.directed)
        return holder["graph"]

    def finish(graph):
        return counts(graph.vcount(), graph.ecount(), self_loops=sum(graph.is_loop()))

    def warmup():
        ig.Graph.Read_Edgelist(ctx.tiny_file("dense"), directed=ctx.directed)

    return Prepared(run, finish, between_reps=holder.clear, warmup=warmup)


def ncol_setup(ctx) -> Prepared:
    path = ctx.variant("nocomment")
    ctx.note("comment-free variant")
    holder = {}

    def run():
        holder.pop("graph", None)
        holder["graph"] = ig.Graph.Read_Ncol(path, names=True, weights=False,
                                             directed=ctx.directed)
        return holder["graph"]

    def finish(graph):
        return counts(graph.vcount(), graph.ecount(), self_loops=sum(graph.is_loop()))

    def warmup():
        ig.Graph.Read_Ncol(ctx.tiny_file("nocomment"), names=True, weights=False,
                           directed=ctx.directed)

    return Prepared(run, finish, between_reps=holder.clear, warmup=warmup)


def pagerank_setup(ctx) -> Prepared:
    # Stopping rule: none exposed. PRPACK (Gauss-Seidel / direct solve) to ~1e-10.
    graph, original = _load(ctx)

    def run():
        return graph.pagerank(damping=ctx.params["alpha"], directed=ctx.directed,
                              implementation="prpack")

    def finish(scores):
        return ctx.write_scores(original, scores)

    return Prepared(run, finish)


def betweenness_setup(ctx) -> Prepared:
    graph, original = _load(ctx)

    def run():
        return graph.betweenness(directed=ctx.directed)

    def finish(scores):
        n = graph.vcount()
        factor = (1.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0) * (1.0 if ctx.directed else 2.0)
        return ctx.write_scores(original, [s * factor for s in scores])

    return Prepared(run, finish)


def _dense_ok(dataset):
    return None if dataset["variants"].get("dense") else "no dense variant prepared"


def _nocomment_ok(dataset):
    return None if dataset["variants"].get("nocomment") else "no comment-free variant prepared"


METHODS = [
    Method("load", "Read_Edgelist", edgelist_setup, skip=_dense_ok,
           notes="dense 0-based ids required"),
    Method("load", "Read_Ncol", ncol_setup, skip=_nocomment_ok,
           notes="names as strings; comments stripped beforehand"),
    Method("pagerank", "pagerank(prpack)", pagerank_setup, notes="PRPACK, no tolerance knob"),
    Method("betweenness", "betweenness", betweenness_setup),
]
