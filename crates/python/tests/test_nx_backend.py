"""The NetworkX backend: scores through ``backend="clout"`` equal NetworkX's own, ``can_run``
declines what clout cannot answer as NetworkX does, and labels of any hashable type map back."""

import pytest

nx = pytest.importorskip("networkx")

from clout import nx_backend  # noqa: E402

# NetworkX notes each reuse of a converted graph it cached; the tests reuse graphs on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:Note. conversions to backend graphs")

TOL = 1e-9


def directed_graph():
    G = nx.gnp_random_graph(60, 0.07, seed=11, directed=True)
    G.add_edge(3, 3)  # a self-loop
    G.add_nodes_from([100, 101])  # isolated: dangling and unreachable
    return G


def weighted_multigraph():
    G = nx.MultiDiGraph()
    G.add_weighted_edges_from([(0, 1, 2.0), (0, 1, 0.5), (1, 2, 1.0), (2, 0, 3.0), (2, 3, 1.5),
                               (3, 1, 1.0), (1, 3, 4.0), (3, 0, 0.25)])
    return G


GRAPHS = {
    "karate": nx.karate_club_graph,
    "directed": directed_graph,
    "multidigraph": weighted_multigraph,
}


def close(a: dict, b: dict) -> None:
    assert list(a) == list(b) or set(a) == set(b)
    worst = max((abs(a[u] - b[u]) for u in b), default=0.0)
    assert worst <= TOL, worst


def both(func, G, **kwargs):
    before = nx_backend.dispatched[func.__name__]
    got = func(G, backend="clout", **kwargs)
    assert nx_backend.dispatched[func.__name__] == before + 1, "clout did not answer"
    return got, func(G, **kwargs)


@pytest.mark.parametrize("name", GRAPHS)
@pytest.mark.parametrize("kwargs", [{}, {"weight": None}, {"alpha": 0.7, "tol": 1e-12, "max_iter": 500}])
def test_pagerank_equals_networkx(name, kwargs):
    G = GRAPHS[name]()
    got, want = both(nx.pagerank, G, **({"tol": 1e-12, "max_iter": 1000} | kwargs))
    close(got, want)


def test_pagerank_personalization_and_dangling_policies():
    G = directed_graph()
    p = {u: (u % 3) for u in G}
    close(*both(nx.pagerank, G, personalization=p, tol=1e-12, max_iter=1000))
    close(*both(nx.pagerank, G, personalization=p, dangling=p, tol=1e-12, max_iter=1000))
    uniform = dict.fromkeys(G, 2.0)
    close(*both(nx.pagerank, G, personalization=p, dangling=uniform, tol=1e-12, max_iter=1000))


def test_pagerank_not_converged_raises():
    G = directed_graph()
    for max_iter in (0, 1, 2):
        with pytest.raises(nx.PowerIterationFailedConvergence):
            nx.pagerank(G, max_iter=max_iter, backend="clout")


@pytest.mark.parametrize("name", GRAPHS)
@pytest.mark.parametrize("normalized", [True, False])
@pytest.mark.parametrize("endpoints", [False, True])
@pytest.mark.parametrize("weight", [None, "weight"])
def test_betweenness_equals_networkx(name, normalized, endpoints, weight):
    G = GRAPHS[name]()
    close(*both(nx.betweenness_centrality, G, normalized=normalized, endpoints=endpoints, weight=weight))


@pytest.mark.parametrize("name", ["karate", "directed"])
def test_core_number_equals_networkx(name):
    G = GRAPHS[name]()
    G.remove_edges_from(list(nx.selfloop_edges(G)))
    got, want = both(nx.core_number, G)
    assert got == want
    assert all(type(v) is int for v in got.values())


def test_core_number_self_loops_raise_as_networkx():
    G = nx.cycle_graph(3)
    G.add_edge(0, 0)
    with pytest.raises(nx.NetworkXNotImplemented, match="self loops"):
        nx.core_number(G, backend="clout")


@pytest.mark.parametrize("name", GRAPHS)
def test_harmonic_and_degrees_equal_networkx(name):
    G = GRAPHS[name]()
    close(*both(nx.harmonic_centrality, G))
    nbunch = list(G)[:5]
    close(*both(nx.harmonic_centrality, G, nbunch=nbunch))
    close(*both(nx.degree_centrality, G))
    if G.is_directed():
        close(*both(nx.in_degree_centrality, G))
        close(*both(nx.out_degree_centrality, G))


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("pagerank", {"nstart": {0: 1.0}}),
        ("pagerank", {"dangling": {0: 1.0, 1: 3.0}}),
        ("pagerank", {"weight": lambda u, v, d: 1.0}),
        ("pagerank", {"alpha": 1.0}),
        ("betweenness_centrality", {"k": 2, "seed": 1}),
        ("harmonic_centrality", {"distance": "weight"}),
        ("harmonic_centrality", {"sources": [0]}),
    ],
)
def test_can_run_declines(name, kwargs):
    G = nx.path_graph(4)
    reason = nx_backend.can_run(name, (G,), kwargs)
    assert isinstance(reason, str) and reason


def test_can_run_accepts_supported_calls():
    G = nx.path_graph(4)
    assert nx_backend.can_run("pagerank", (G,), {"personalization": {0: 1}, "dangling": {0: 1}}) is True
    assert nx_backend.can_run("betweenness_centrality", (G,), {"weight": "w", "endpoints": True}) is True
    assert nx_backend.can_run("harmonic_centrality", (G,), {"nbunch": [0, 1]}) is True


def test_declined_calls_still_answer_through_networkx():
    G = nx.path_graph(5)
    before = sum(nx_backend.dispatched.values())
    with pytest.raises(NotImplementedError):
        nx.betweenness_centrality(G, k=2, seed=1, backend="clout")
    assert sum(nx_backend.dispatched.values()) == before


def test_negative_weights_are_not_answered():
    G = nx.DiGraph()
    G.add_weighted_edges_from([(0, 1, -1.0), (1, 2, 1.0)])
    with pytest.raises(NotImplementedError):
        nx.pagerank(G, backend="clout")


def test_string_and_tuple_labels_round_trip():
    G = nx.relabel_nodes(nx.karate_club_graph(), {u: f"member {u}" for u in range(34)})
    got, want = both(nx.pagerank, G, tol=1e-12, max_iter=1000)
    assert list(got) == list(G)
    close(got, want)
    T = nx.DiGraph([(("a", 1), ("b", 2)), (("b", 2), ("c", 3)), (("c", 3), ("a", 1)), (("c", 3), "d")])
    got, want = both(nx.betweenness_centrality, T)
    assert list(got) == list(T)
    close(got, want)
    got, want = both(nx.harmonic_centrality, T)
    close(got, want)


def test_empty_and_single_node_graphs():
    assert nx.pagerank(nx.Graph(), backend="clout") == {}
    assert nx.degree_centrality(nx.Graph([(0, 0)]), backend="clout") == {0: 1}


def test_backend_is_registered():
    info = nx.utils.backends.backend_info["clout"]
    assert info["backend_name"] == "clout"
    assert set(info["functions"]) == set(nx_backend._FUNCTIONS)
