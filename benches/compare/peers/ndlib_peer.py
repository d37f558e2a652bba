"""NDlib: IndependentCascadesModel (pure Python on NetworkX). Single-threaded.

Configuration: every edge gets "threshold" = p (an edge without one falls back to
1/out-degree, not to p, so all are set); the seeds are the initial "Infected" set. One trial =
`model.reset(seeds)` then `model.iteration()` until no node is Infected; its spread is the
Removed count (seeds included). Each NDlib iteration copies the whole status dict and scans
every node, so a trial costs O(n * cascade depth).

NDlib is orders of magnitude slower than the others: when a calibration run (untimed) says the
full trial count would exceed params["slow_budget_s"], only as many trials as fit are run and
the time is scaled up to the full count (reported as extrapolated, with the trials actually
run); its spread is then checked with the correspondingly wider error bar.
"""

from __future__ import annotations

import time

import networkx as nx
import ndlib.models.ModelConfig as mc
import ndlib.models.epidemics as ep

from .common import Method, Prepared

CALIBRATION_TRIALS = 5


def _trial(model, seeds) -> int:
    model.reset(seeds)
    while True:
        it = model.iteration(node_status=False)
        if it["iteration"] > 0 and it["node_count"].get(1, 0) == 0:
            return it["node_count"].get(2, 0)


def ic_setup(ctx) -> Prepared:
    n, edges = ctx.dense_edges()
    graph = nx.DiGraph() if ctx.directed else nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(edges)
    seeds = ctx.seeds_dense()
    p = ctx.params["ic_p"]
    model = ep.IndependentCascadesModel(graph, seed=ctx.params["seed"])
    config = mc.Configuration()
    config.add_model_initial_configuration("Infected", seeds)
    for edge in graph.edges():
        config.add_edge_configuration("threshold", edge, p)
    model.set_initial_status(config)

    trials = ctx.params["ic_trials"]
    started = time.perf_counter()
    for _ in range(CALIBRATION_TRIALS):
        _trial(model, seeds)
    per_trial = (time.perf_counter() - started) / CALIBRATION_TRIALS
    budget = ctx.params["slow_budget_s"]
    run_trials = trials
    if per_trial * trials > budget:
        run_trials = max(CALIBRATION_TRIALS, min(trials, int(budget / per_trial)))
        ctx.note(f"ran {run_trials} of {trials} trials; time scaled x{trials / run_trials:.1f}")
    values = []

    def run():
        values.clear()
        for _ in range(run_trials):
            values.append(_trial(model, seeds))
        return sum(values) / len(values)

    def finish(mean):
        m = float(mean)
        var = sum((v - m) ** 2 for v in values) / max(1, len(values) - 1)
        return {"spread_mean": m, "spread_std": var ** 0.5, "trials": run_trials}

    return Prepared(run, finish, time_scale=trials / run_trials)


METHODS = [
    Method("ic", "IndependentCascadesModel", ic_setup, notes="pure Python; may extrapolate"),
]
