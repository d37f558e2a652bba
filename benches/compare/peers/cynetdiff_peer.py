"""cynetdiff: Independent Cascade Monte Carlo (Cython). Single-threaded.

The graph is built untimed from the dense variant through networkx_to_ic_model (a CSR inside);
the timed part is `model.compute_marginal_gains(seeds, [], trials)`, which runs `trials`
cascades in C++ and returns the mean number of activated nodes (seeds included). An untimed
second pass of per-trial cascades gives the standard deviation for the cross-check.

Also provides the internal `evaluate` operation: the expected spread of several seed sets
(used to judge influence-maximization answers on equal terms), under the `imm` op's edge
probabilities (params["im_prob"]): uniform ic_p as above, or weighted cascade, where the model
is built directly as a CSR (`IndependentCascadeModel(starts, edges, activation_probs=...)`,
float32 probabilities, no NetworkX graph, so R-MAT scale 20 fits) over the distinct influence
arcs with p(u, v) = 1 / in-degree(v) (Context.im_arcs_and_probs: the in-degree counts
self-loops, as clout's does); self-loops are then dropped (cynetdiff rejects them; they never
change a cascade).
"""

from __future__ import annotations

import array
import math

from .common import Method, Prepared, im_prob

import networkx as nx
from cynetdiff.models import IndependentCascadeModel
from cynetdiff.utils import networkx_to_ic_model

STD_TRIALS = 2000  # per-trial pass for the standard deviation (untimed)


def _model(ctx):
    n, edges = ctx.dense_edges()
    loops = sum(1 for u, v in edges if u == v)
    if loops:
        # cynetdiff rejects self-loops ("Node 0 has a self loop"); they cannot change an IC
        # cascade (a node never activates itself), so they are dropped.
        ctx.note(f"{loops} self-loops dropped (cynetdiff rejects them; no effect on IC)")
        edges = [(u, v) for u, v in edges if u != v]
    graph = nx.DiGraph() if ctx.directed else nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(edges)
    model, mapping = networkx_to_ic_model(graph, activation_prob=ctx.params["ic_p"],
                                          rng=ctx.params["seed"])
    return model, mapping


def _wc_model(ctx):
    """Weighted-cascade IC model as a CSR over dense ids (the mapping is the identity)."""
    n, arcs, probs = ctx.im_arcs_and_probs()
    loops = sum(1 for u, v in arcs if u == v)
    if loops:
        ctx.note(f"{loops} self-loops counted in in-degree (as clout does), then dropped")
    counts = [0] * n
    for u, v in arcs:
        if u != v:
            counts[u] += 1
    starts, total = array.array("I", [0] * n), 0
    for u in range(n):  # CSR rows by counting sort: arcs keep their order within a row
        starts[u] = total
        total += counts[u]
    slot = list(starts)
    targets, weights = array.array("I", [0] * total), array.array("f", [0.0] * total)
    for (u, v), p in zip(arcs, probs):
        if u != v:
            targets[slot[u]], weights[slot[u]] = v, p
            slot[u] += 1
    ctx.note("weighted cascade: p(u, v) = 1/in-degree(v), per-arc activation_probs")
    model = IndependentCascadeModel(starts, targets, activation_probs=weights,
                                    rng=ctx.params["seed"])
    return model, {u: u for u in range(n)}


def _std(model, seeds, trials):
    model.set_seeds(seeds)
    values = []
    for _ in range(trials):
        model.reset_model()
        model.advance_until_completion()
        values.append(model.get_num_activated_nodes())
    mean = sum(values) / len(values)
    var = sum((v - mean) ** 2 for v in values) / max(1, len(values) - 1)
    return math.sqrt(var)


def ic_setup(ctx) -> Prepared:
    model, mapping = _model(ctx)
    seeds = [mapping[s] for s in ctx.seeds_dense()]
    trials = ctx.params["ic_trials"]

    def run():
        return model.compute_marginal_gains(seeds, [], trials)[0]

    def finish(mean):
        std = _std(model, seeds, min(trials, STD_TRIALS))
        return {"spread_mean": float(mean), "spread_std": std, "trials": trials}

    return Prepared(run, finish)


def evaluate_setup(ctx) -> Prepared:
    model, mapping = _wc_model(ctx) if im_prob(ctx.params) == "wc" else _model(ctx)
    position = {orig: i for i, orig in enumerate(ctx.dense_ids())}
    sets = {label: [mapping[position[s]] for s in seeds]
            for label, seeds in ctx.params["seed_sets"].items()}
    trials = ctx.params["eval_trials"]

    def run():
        return {label: model.compute_marginal_gains(seeds, [], trials)[0]
                for label, seeds in sets.items()}

    def finish(spreads):
        out = {}
        for label, seeds in sets.items():
            out[label] = {"spread_mean": float(spreads[label]),
                          "spread_std": _std(model, seeds, min(trials, STD_TRIALS)),
                          "trials": trials}
        return {"evaluations": out}

    return Prepared(run, finish)


METHODS = [
    Method("ic", "compute_marginal_gains", ic_setup, notes="C++ loop, mean activated count"),
    Method("evaluate", "compute_marginal_gains", evaluate_setup),
]
