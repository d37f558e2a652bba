"""pynetim: IC Monte Carlo and influence maximization (IMM, OPIM-C), C++ backend.

Graph: IMGraph(dense arcs, weights=p, directed, renumber=False), built untimed. pynetim's
seeds are INTERNAL ids (an original id that is not a valid internal id segfaults), so the
dense 0-based variant is used and renumber=False keeps internal id == dense id.

IC: run_monte_carlo_diffusion(trials, random_seed, use_multithread=T>1, num_threads=T) returns
the mean activated count (seeds included). An untimed pass of run_single_simulation gives the
standard deviation.

IMM (Tang, Shi, Xiao, SIGMOD 2015): IMMAlgorithm(graph, "IC", epsilon, l=1).run(k).
OPIM-C (Tang, Tang, Xiao, Yuan, SIGMOD 2018): OPIMCAlgorithm(graph, "IC").run(k, epsilon).
Both single-threaded in pynetim.
"""

from __future__ import annotations

import math

from .common import Method, Prepared

import pynetim

STD_TRIALS = 2000


def _graph(ctx, both_arcs_if_undirected: bool = False):
    _, edges = ctx.dense_edges()
    if both_arcs_if_undirected and not ctx.directed:
        # pynetim 0.5.5's RIS algorithms fail on an undirected IMGraph ("RuntimeError: Edge
        # (32625, 14) does not exist", a garbage id): give them both arcs of every edge,
        # which is the same IC process.
        ctx.note("undirected graph given as both arcs (pynetim RIS fails on undirected IMGraph)")
        edges = edges + [(v, u) for u, v in edges if u != v]
        return pynetim.IMGraph(edges, weights=ctx.params["ic_p"], directed=True, renumber=False)
    return pynetim.IMGraph(edges, weights=ctx.params["ic_p"], directed=ctx.directed,
                           renumber=False)


def ic_setup(ctx) -> Prepared:
    graph = _graph(ctx)
    seeds = set(ctx.seeds_dense())
    model = pynetim.IndependentCascadeModel(graph, seeds)
    params = ctx.params
    threads = ctx.threads

    def run():
        return model.run_monte_carlo_diffusion(params["ic_trials"], random_seed=params["seed"],
                                               use_multithread=threads > 1,
                                               num_threads=threads if threads > 1 else 0)

    def finish(mean):
        values = [model.run_single_simulation(random_seed=params["seed"] + i)
                  for i in range(min(params["ic_trials"], STD_TRIALS))]
        m = sum(values) / len(values)
        std = math.sqrt(sum((v - m) ** 2 for v in values) / max(1, len(values) - 1))
        return {"spread_mean": float(mean), "spread_std": std, "trials": params["ic_trials"]}

    return Prepared(run, finish)


def _selector_setup(ctx, make_and_run) -> Prepared:
    graph = _graph(ctx, both_arcs_if_undirected=True)
    original = ctx.dense_ids()

    def run():
        return make_and_run(graph)

    def finish(seeds):
        return {"seeds": [original[s] for s in sorted(seeds)]}

    return Prepared(run, finish)


def imm_setup(ctx) -> Prepared:
    p = ctx.params
    return _selector_setup(ctx, lambda g: pynetim.IMMAlgorithm(
        g, "IC", epsilon=p["im_epsilon"], l=1, random_seed=p["seed"]).run(k=p["im_k"]))


def opimc_setup(ctx) -> Prepared:
    p = ctx.params
    return _selector_setup(ctx, lambda g: pynetim.OPIMCAlgorithm(
        g, "IC", random_seed=p["seed"]).run(k=p["im_k"], epsilon=p["im_epsilon"]))


METHODS = [
    Method("ic", "run_monte_carlo_diffusion", ic_setup, parallel=True,
           notes="C++, use_multithread when T > 1"),
    Method("imm", "IMM", imm_setup, notes="epsilon, l=1"),
    Method("imm", "OPIM-C", opimc_setup, notes="epsilon, delta = 1/n"),
]
