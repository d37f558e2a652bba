"""The ``clout`` backend for NetworkX: ``nx.pagerank(G, backend="clout")`` (or
``nx.config.backend_priority = ["clout"]``) runs the score in clout's engine and returns
NetworkX's answer: a dict keyed by the original nodes.

NetworkX finds this module through the ``networkx.backends`` entry point. A graph is converted
once (labels to dense ids ``0..n-1``, edge attributes to float arrays) and NetworkX caches the
converted graph on ``G.__networkx_cache__``; each score builds the clout graph it needs (arc
direction, how parallel edges combine) from that conversion and keeps it.

Only argument combinations that clout answers as NetworkX does run here: ``can_run`` declines
the others (NetworkX then runs its own implementation), and a call whose data clout cannot
honour (negative or non-finite weights) raises ``NotImplementedError``, which makes NetworkX
fall back as well. Scores equal NetworkX's within floating-point rounding, except PageRank,
which like NetworkX's stops once the L1 change of an iteration is below ``n * tol``.
"""

from __future__ import annotations

import atexit
import math
from collections import Counter
from typing import Any

import numpy as np

__all__ = ["backend_interface", "get_info", "CloutGraph", "dispatched"]

#: How many calls each function answered with clout in this process (declined calls excluded).
dispatched: Counter = Counter()

_MAX_ITERATIONS = 1_000_000

#: The attribute key of unit weights (every parallel edge counts once).
_ONES = object()


class CloutGraph:
    """A NetworkX graph converted for clout: the node list (dense id ``i`` is ``nodes[i]``),
    every edge as ``src[i] -> dst[i]`` (once per undirected edge, once per parallel edge) and
    the requested edge attributes as float arrays (NaN where an edge lacks the attribute)."""

    __networkx_backend__ = "clout"

    def __init__(self, nodes: list, src: np.ndarray, dst: np.ndarray, attrs: dict[Any, np.ndarray],
                 directed: bool, multigraph: bool, graph_attrs: dict | None = None):
        self.nodes = nodes
        self.index = {u: i for i, u in enumerate(nodes)}
        self.src = src
        self.dst = dst
        self.attrs = attrs
        self.directed = directed
        self.multigraph = multigraph
        self.graph = graph_attrs or {}
        self.self_loops = int(np.count_nonzero(src == dst))
        self._native: dict[tuple, Any] = {}

    def __len__(self) -> int:
        return len(self.nodes)

    def __iter__(self):
        return iter(self.nodes)

    def __contains__(self, node) -> bool:
        try:
            return node in self.index
        except TypeError:
            return False

    def is_directed(self) -> bool:
        return self.directed

    def is_multigraph(self) -> bool:
        return self.multigraph

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        return len(self.src)

    def weights(self, weight) -> np.ndarray | None:
        """The edge weights NetworkX would use for attribute ``weight`` (1 where missing);
        None when ``weight`` is None. Raises ``NotImplementedError`` when the attribute was not
        converted."""
        if weight is None:
            return None
        if weight not in self.attrs:
            raise NotImplementedError(f"edge attribute {weight!r} was not converted for clout")
        w = self.attrs[weight]
        return np.where(np.isnan(w), 1.0, w)

    def native(self, reading: str, weight=None, combine: str = "sum", self_loops: str = "keep"):
        """The clout graph for one use: ``reading`` "influence" keeps ``src -> dst``, "follows"
        reverses it (undirected graphs ignore it); parallel edges ``combine`` as "sum", "keep"
        (every edge counts), "first" or "min" (the lightest edge, as shortest paths see it)."""
        key = (reading, weight, combine, self_loops)
        g = self._native.get(key)
        if g is not None:
            return g
        import clout

        src, dst, w = self.src, self.dst, self.weights(weight)
        if w is not None and not np.all(np.isfinite(w) & (w >= 0)):
            raise NotImplementedError("clout needs finite, non-negative edge weights")
        duplicates = combine
        if combine == "min":
            duplicates = "first"
            if self.multigraph and w is not None and len(src):
                src, dst, w = _lightest(src, dst, w, self.directed)
        n = len(self.nodes)
        options = {"undirected": True} if not self.directed else {"edges": reading}
        g = clout.Graph.from_edges(src, dst, weight=w, nodes=np.arange(n, dtype=np.int64),
                                   self_loops=self_loops, duplicates=duplicates, **options)
        ids = np.asarray(g.ids)
        if len(ids) != n or not np.array_equal(ids, np.arange(n)):
            raise RuntimeError("clout did not keep the dense node order")
        self._native[key] = g
        return g


def _lightest(src, dst, w, directed):
    """One edge per node pair (per ordered pair when directed), the lightest of the parallel
    ones, as NetworkX's shortest paths use a multigraph."""
    a, b = (src, dst) if directed else (np.minimum(src, dst), np.maximum(src, dst))
    order = np.lexsort((w, b, a))
    a, b, w = a[order], b[order], w[order]
    first = np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])]
    return a[first], b[first], w[first]


def convert_from_nx(G, edge_attrs=None, node_attrs=None, preserve_edge_attrs=False,
                    preserve_node_attrs=False, preserve_graph_attrs=False, name=None,
                    graph_name=None) -> CloutGraph:
    """Converts a NetworkX graph: any hashable labels become dense ids ``0..n-1`` in ``G``'s
    node order; the edge attributes in ``edge_attrs`` (``{name: default}``; every attribute
    found when ``preserve_edge_attrs``) become float arrays with the default where missing
    (NaN for a ``None`` default and for preserved attributes, read later as 1). Node attributes
    are not used by any clout score and are not converted."""
    nodes = list(G)
    index = {u: i for i, u in enumerate(nodes)}
    n = len(nodes)
    if G.is_multigraph():
        triples = [(u, v, d) for u, v, _k, d in G.edges(keys=True, data=True)]
        m = len(triples)
        src = np.fromiter((index[u] for u, _, _ in triples), dtype=np.int64, count=m)
        dst = np.fromiter((index[v] for _, v, _ in triples), dtype=np.int64, count=m)
        datas = [d for _, _, d in triples]
    else:
        # Straight from the adjacency: a row per node, in node order (no tuple per edge).
        adj = G._adj
        degree = np.fromiter((len(adj[u]) for u in nodes), dtype=np.int64, count=n)
        src = np.repeat(np.arange(n, dtype=np.int64), degree)
        dst = np.fromiter((index[v] for u in nodes for v in adj[u]), dtype=np.int64, count=len(src))
        keep = None
        if not G.is_directed():
            keep = src <= dst  # each undirected edge once (a self-loop is stored once)
            src, dst = src[keep], dst[keep]
        datas = None
    m = len(src)

    def edge_data():
        if datas is not None:
            return datas
        every = [d for u in nodes for d in G._adj[u].values()]
        return every if keep is None else [d for d, k in zip(every, keep) if k]

    if preserve_edge_attrs:
        names = {k for d in edge_data() for k in d}
        wanted = {k: None for k in names}
    else:
        wanted = dict(edge_attrs or {})
    attrs = {}
    if wanted:
        data = edge_data()
        for key, default in wanted.items():
            fill = math.nan if default is None else default
            values = [d.get(key, fill) for d in data]
            try:
                attrs[key] = np.asarray(values, dtype=float).reshape(m)
            except (TypeError, ValueError):
                continue  # not numeric: scores that need it decline
    graph_attrs = dict(G.graph) if preserve_graph_attrs else None
    return CloutGraph(nodes, src, dst, attrs, G.is_directed(), G.is_multigraph(), graph_attrs)


def convert_to_nx(result, *, name=None):
    """Results are already NetworkX's: dicts keyed by the original nodes."""
    return result


def _as_dict(G: CloutGraph, values) -> dict:
    return dict(zip(G.nodes, np.asarray(values, dtype=float).tolist()))


# --- the functions -------------------------------------------------------------------------


def pagerank(G, alpha=0.85, personalization=None, max_iter=100, tol=1.0e-6, nstart=None,
             weight="weight", dangling=None):
    n = len(G)
    if n == 0:
        return {}
    p = None
    if personalization is not None:
        p = {G.index[u]: float(v) for u, v in personalization.items() if u in G}
        if sum(p.values()) == 0:
            raise ZeroDivisionError
    policy = "personalization"
    if dangling is not None:
        policy = _dangling_policy(G, personalization, dangling)
        if policy is None:
            raise NotImplementedError("clout sends dangling rank by the personalization or uniformly")
    if max_iter <= 0:
        import networkx as nx

        raise nx.PowerIterationFailedConvergence(max_iter)
    # Each parallel edge adds its weight (1 without an attribute), as in NetworkX's matrix.
    if weight is not None:
        g, weighted = G.native("follows", weight, "sum"), True
    elif G.multigraph:
        g, weighted = _ones_native(G), True
    else:
        g, weighted = G.native("follows", None, "sum"), False
    x, converged = g._g.pagerank(alpha, tol, max_iter, p, policy, weighted, "auto", None)
    if not converged:
        import networkx as nx

        raise nx.PowerIterationFailedConvergence(max_iter)
    dispatched["pagerank"] += 1
    return _as_dict(G, x)


def _ones_native(G: CloutGraph):
    G.attrs.setdefault(_ONES, np.ones(len(G.src)))
    return G.native("follows", _ONES, "sum")


def _dangling_policy(G, personalization, dangling) -> str | None:
    """"personalization" or "uniform" when the normalized ``dangling`` dict equals the one
    clout can use, else None."""
    n = len(G)
    d = np.zeros(n)
    for u, v in dangling.items():
        if u in G:
            d[G.index[u]] = float(v)
    if not np.isfinite(d).all() or d.sum() <= 0:
        return None
    d /= d.sum()
    uniform = np.full(n, 1.0 / n)
    if personalization is None:
        p = uniform
    else:
        p = np.zeros(n)
        for u, v in personalization.items():
            if u in G:
                p[G.index[u]] = float(v)
        p /= p.sum()
    if np.allclose(d, p, rtol=1e-15, atol=0):
        return "personalization"
    if np.allclose(d, uniform, rtol=1e-15, atol=0):
        return "uniform"
    return None


def betweenness_centrality(G, k=None, normalized=True, weight=None, endpoints=False, seed=None):
    g = G.native("influence", weight, "min" if weight is not None else "first", "drop")
    values = g.betweenness(normalized=normalized, endpoints=endpoints,
                           weights=None if weight is None else "distance")
    dispatched["betweenness_centrality"] += 1
    return _as_dict(G, values)


def core_number(G):
    if G.self_loops:
        import networkx as nx

        raise nx.NetworkXNotImplemented(
            "Input graph has self loops which is not permitted; "
            "Consider using G.remove_edges_from(nx.selfloop_edges(G))."
        )
    g = G.native("influence", None, "keep", "drop")
    values = g.coreness(degree="total")
    dispatched["core_number"] += 1
    return dict(zip(G.nodes, (int(v) for v in values.tolist())))


def harmonic_centrality(G, nbunch=None, distance=None, sources=None):
    g = G.native("follows", None, "first", "drop")
    values = g.harmonic() if len(G) else np.zeros(0)
    dispatched["harmonic_centrality"] += 1
    if nbunch is None:
        return _as_dict(G, values)
    return {u: float(values[G.index[u]]) for u in set(_nbunch_iter(G, nbunch))}


def _nbunch_iter(G: CloutGraph, nbunch):
    """The nodes of ``nbunch`` in ``G``: one node, or the members of an iterable that are
    nodes (NetworkX's ``G.nbunch_iter``)."""
    import networkx as nx

    if nbunch in G:
        return [nbunch]
    try:
        items = iter(nbunch)
    except TypeError as err:
        raise nx.NetworkXError(f"nbunch is not a node or a sequence of nodes: {nbunch}") from err
    out = []
    for u in items:
        try:
            if u in G.index:
                out.append(u)
        except TypeError as err:
            raise nx.NetworkXError(f"Node {u} in sequence nbunch is not a valid node.") from err
    return out


def _degree_centrality(G: CloutGraph, which: str, name: str) -> dict:
    n = len(G)
    dispatched[name] += 1
    if n <= 1:
        return {u: 1 for u in G.nodes}
    # Read as "follows", clout's followers are NetworkX's in-degree, following its out-degree.
    d = G.native("follows", None, "keep", "keep").degrees()[which]
    s = 1.0 / (n - 1.0)
    return dict(zip(G.nodes, (float(v) * s for v in d.tolist())))


def degree_centrality(G):
    return _degree_centrality(G, "degree", "degree_centrality")


def in_degree_centrality(G):
    return _degree_centrality(G, "followers", "in_degree_centrality")


def out_degree_centrality(G):
    return _degree_centrality(G, "following", "out_degree_centrality")


# --- which calls run here --------------------------------------------------------------------

_FUNCTIONS = {
    "pagerank": pagerank,
    "betweenness_centrality": betweenness_centrality,
    "core_number": core_number,
    "harmonic_centrality": harmonic_centrality,
    "degree_centrality": degree_centrality,
    "in_degree_centrality": in_degree_centrality,
    "out_degree_centrality": out_degree_centrality,
}


def _is_weight_name(weight) -> bool:
    return weight is None or (not callable(weight) and isinstance(weight, str | int | float | tuple))


def _numeric_dict(d) -> bool:
    try:
        return all(math.isfinite(float(v)) and float(v) >= 0 for v in d.values())
    except (TypeError, ValueError, AttributeError):
        return False


def can_run(name, args, kwargs):
    """True when clout answers this call exactly as NetworkX would; otherwise a string saying
    why not (NetworkX then runs its own implementation)."""
    import inspect

    func = _FUNCTIONS.get(name)
    if func is None:
        return f"clout does not implement {name}"
    try:
        bound = inspect.signature(func).bind(*args, **kwargs)
    except TypeError as err:
        return f"arguments not understood: {err}"
    a = bound.arguments
    if name == "pagerank":
        if a.get("nstart") is not None:
            return "clout always starts PageRank from the uniform vector"
        if not _is_weight_name(a.get("weight", "weight")):
            return "weight must be an edge attribute name"
        personalization = a.get("personalization")
        if personalization is not None and not _numeric_dict(personalization):
            return "personalization values must be finite and non-negative"
        dangling = a.get("dangling")
        if dangling is not None:
            if not _numeric_dict(dangling):
                return "dangling values must be finite and non-negative"
            G = a["G"]
            if isinstance(G, CloutGraph):
                return "a dangling dict needs the NetworkX graph"
            if len(G) and _dangling_policy(_Labels(G), personalization, dangling) is None:
                return "clout sends dangling rank by the personalization or uniformly"
        alpha = a.get("alpha", 0.85)
        if not (isinstance(alpha, int | float) and 0 <= alpha < 1):
            return "alpha must be in [0, 1)"
        max_iter = a.get("max_iter", 100)
        if not isinstance(max_iter, int) or max_iter > _MAX_ITERATIONS:
            return f"max_iter must be an int of at most {_MAX_ITERATIONS}"
        tol = a.get("tol", 1e-6)
        if not (isinstance(tol, int | float) and tol > 0):
            return "tol must be positive"
    elif name == "betweenness_centrality":
        if a.get("k") is not None:
            return "clout samples other sources than NetworkX's seed would"
        if not _is_weight_name(a.get("weight")):
            return "weight must be an edge attribute name"
    elif name == "harmonic_centrality":
        if a.get("distance") is not None:
            return "clout's harmonic closeness counts hops"
        if a.get("sources") is not None:
            return "clout sums over every source"
    return True


class _Labels:
    """The node index of a NetworkX graph, for checks before conversion."""

    def __init__(self, G):
        self.nodes = list(G)
        self.index = {u: i for i, u in enumerate(self.nodes)}

    def __len__(self):
        return len(self.nodes)

    def __contains__(self, node):
        try:
            return node in self.index
        except TypeError:
            return False


def should_run(name, args, kwargs):
    return True


def on_start_tests(items):
    """Marks the NetworkX tests clout is known to answer differently (none are needed so
    far) and prints, when the session ends, how many calls clout answered."""
    atexit.register(_print_dispatched)


def _print_dispatched():
    total = sum(dispatched.values())
    detail = ", ".join(f"{k} {v}" for k, v in sorted(dispatched.items()))
    print(f"\nclout backend: {total} calls answered by clout ({detail})")


class _BackendInterface:
    """What NetworkX's dispatcher looks up: one attribute per implemented function, the
    conversions, ``can_run``/``should_run`` and the test hook."""

    convert_from_nx = staticmethod(convert_from_nx)
    convert_to_nx = staticmethod(convert_to_nx)
    can_run = staticmethod(can_run)
    should_run = staticmethod(should_run)
    on_start_tests = staticmethod(on_start_tests)


for _name, _func in _FUNCTIONS.items():
    setattr(_BackendInterface, _name, staticmethod(_func))

backend_interface = _BackendInterface()

_PARAMETERS = {
    "pagerank": {
        "alpha": "any value in [0, 1)",
        "personalization": "finite non-negative values",
        "max_iter": "up to 1,000,000",
        "tol": "as NetworkX: stop when the L1 change is below n * tol",
        "nstart": "not supported (NetworkX runs instead)",
        "weight": "an edge attribute name (finite non-negative weights) or None",
        "dangling": "None, or a dict equal to the personalization or uniform",
    },
    "betweenness_centrality": {
        "k": "None only (sampled sources run in NetworkX)",
        "normalized": "yes",
        "weight": "an edge attribute name (a distance) or None",
        "endpoints": "yes",
        "seed": "unused (exact only)",
    },
    "core_number": {},
    "harmonic_centrality": {
        "nbunch": "yes",
        "distance": "None only",
        "sources": "None only",
    },
    "degree_centrality": {},
    "in_degree_centrality": {},
    "out_degree_centrality": {},
}


def _docs(params: dict) -> str:
    lines = ["Runs in clout's engine; calls with other arguments run in NetworkX."]
    lines += [f"{k}: {v}" for k, v in params.items()]
    return "\n".join(lines)


def get_info() -> dict:
    """The backend description NetworkX shows in its documentation and uses to find the
    functions clout implements."""
    from clout import __version__

    return {
        "backend_name": "clout",
        "project": "clout",
        "package": "clout",
        "short_summary": "Parallel Rust engine for PageRank, betweenness, core numbers, "
                         "harmonic closeness and degree centrality.",
        "version": __version__,
        "functions": {
            name: {
                "additional_docs": _docs(params),
            }
            for name, params in _PARAMETERS.items()
        },
    }
