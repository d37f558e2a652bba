"""cynetdiff: Independent Cascade Monte Carlo (Cython). Single-threaded.

The graph is built untimed from the dense variant through networkx_to_ic_model (a CSR inside);
the timed part is `model.compute_marginal_gains(seeds, [], trials)`, which runs `trials`
cascades in C++ and returns the mean number of activated nodes (seeds included). An untimed
second pass of per-trial cascades gives the standard deviation for the cross-check.

Also provides the internal `evaluate` operation: the expected spread of several seed sets
(used to judge influence-maximization answers on equal terms).
"""

from __future__ import annotations

import math

from .common import Method, Prepared

import networkx as nx
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
    model, mapping = _model(ctx)
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
