"""pynetim: IC Monte Carlo and influence maximization (IMM, OPIM-C, CELF), C++ backend.

Graph: IMGraph(dense arcs, weights=p, directed, renumber=False), built untimed. pynetim's
seeds are INTERNAL ids (an original id that is not a valid internal id segfaults), so the
dense 0-based variant is used and renumber=False keeps internal id == dense id.

IC: run_monte_carlo_diffusion(trials, random_seed, use_multithread=T>1, num_threads=T) returns
the mean activated count (seeds included). An untimed pass of run_single_simulation gives the
standard deviation.

Influence maximization (`imm` op), edge probabilities from params["im_prob"]:
  uniform  weights=ic_p on the dense arcs (an undirected graph as both arcs of every edge)
  wc       weights = a per-arc list, p(u, v) = 1 / in-degree(v) on the distinct influence arcs
           (Context.im_arcs_and_probs; IMGraph accepts `weights=[...]`, one per edge, and
           merges duplicate arcs itself, keeping the last weight, hence distinct arcs)
IMM (Tang, Shi, Xiao, SIGMOD 2015): IMMAlgorithm(graph, "IC", epsilon, l=1).run(k).
OPIM-C (Tang, Tang, Xiao, Yuan, SIGMOD 2018): OPIMCAlgorithm(graph, "IC").run(k, epsilon).
Both single-threaded. They run with verbose=True and their stderr (a few log lines, written
by the C++ code) is captured around the timed call to read the RR-set count: IMM's final
sample ("总RR集合数: N"), OPIM-C's last R1 + R2 ("R1大小: a, R2大小: b").
CELF (Leskovec et al. 2007): CELFAlgorithm(graph, "IC").run(k, mc_rounds=celf_trials,
use_multithread=T>1, num_threads=T): a Python heap over C++ Monte Carlo estimates, n x
celf_trials cascades for the first pass alone, so it runs only up to CELF_MAX_NODES nodes
(`--celf-trials 0` skips it). Each lazy re-evaluation runs TWO Monte Carlo estimates (with
and without the node); on ego-Facebook, weighted cascade, k = 50, 100 trials took 283 s on
one thread, so 1,000 trials (~47 min) would exceed the default --timeout.
"""

from __future__ import annotations

import math
import os
import re
import tempfile

from .common import Method, Prepared, im_prob

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


def _selector_graph(ctx):
    """The influence-maximization graph under params["im_prob"] (see the module docstring)."""
    if im_prob(ctx.params) == "wc":
        _, arcs, probs = ctx.im_arcs_and_probs()
        ctx.note("weighted cascade: p(u, v) = 1/in-degree(v), per-arc weights list")
        return pynetim.IMGraph(arcs, weights=probs, directed=True, renumber=False)
    return _graph(ctx, both_arcs_if_undirected=True)


def _captured_stderr(call):
    """(call(), what the C++ code wrote to file descriptor 2 meanwhile)."""
    with tempfile.TemporaryFile() as sink:
        saved = os.dup(2)
        os.dup2(sink.fileno(), 2)
        try:
            value = call()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        sink.seek(0)
        return value, sink.read().decode("utf-8", "replace")


def rr_sets_from_log(log: str):
    """RR sets the final selection used, from pynetim's verbose log (None if absent)."""
    imm = re.findall(r"总RR集合数:\s*(\d+)", log)
    if imm:
        return int(imm[-1])
    opimc = re.findall(r"R1大小:\s*(\d+),\s*R2大小:\s*(\d+)", log)
    if opimc:
        return int(opimc[-1][0]) + int(opimc[-1][1])
    return None


def _selector_setup(ctx, make_and_run, log_rr_sets: bool = False) -> Prepared:
    graph = _selector_graph(ctx)
    original = ctx.dense_ids()
    log = {"text": ""}

    def run():
        if not log_rr_sets:
            return make_and_run(graph)
        seeds, log["text"] = _captured_stderr(lambda: make_and_run(graph))
        return seeds

    def finish(seeds):
        out = {"seeds": [original[s] for s in sorted(seeds)], "im_prob": im_prob(ctx.params)}
        if log_rr_sets:
            out["rr_sets"] = rr_sets_from_log(log["text"])
        return out

    return Prepared(run, finish)


def imm_setup(ctx) -> Prepared:
    p = ctx.params
    return _selector_setup(ctx, lambda g: pynetim.IMMAlgorithm(
        g, "IC", epsilon=p["im_epsilon"], l=1, random_seed=p["seed"], verbose=True
    ).run(k=p["im_k"]), log_rr_sets=True)


def opimc_setup(ctx) -> Prepared:
    p = ctx.params
    return _selector_setup(ctx, lambda g: pynetim.OPIMCAlgorithm(
        g, "IC", random_seed=p["seed"], verbose=True).run(k=p["im_k"], epsilon=p["im_epsilon"]),
        log_rr_sets=True)


CELF_MAX_NODES = 10_000  # ego-Facebook (4,039) and wiki-Vote (7,115); Slashdot has 82,168


def celf_setup(ctx) -> Prepared:
    p, threads = ctx.params, ctx.threads
    trials = int(p["celf_trials"])
    ctx.note(f"{trials} Monte Carlo trials per estimate")
    return _selector_setup(ctx, lambda g: pynetim.CELFAlgorithm(g, "IC").run(
        k=p["im_k"], mc_rounds=trials, use_multithread=threads > 1,
        num_threads=max(1, threads), show_progress=False, random_seed=p["seed"]))


def celf_skip(dataset: dict):
    n = dataset.get("dense_node_count") or 0
    if n > CELF_MAX_NODES:
        return (f"CELF skipped above {CELF_MAX_NODES:,} nodes ({n:,}): its first pass alone "
                "is n x celf_trials cascades")
    return None


METHODS = [
    Method("ic", "run_monte_carlo_diffusion", ic_setup, parallel=True,
           notes="C++, use_multithread when T > 1"),
    Method("imm", "IMM", imm_setup, notes="epsilon, l=1"),
    Method("imm", "OPIM-C", opimc_setup, notes="epsilon, delta = 1/n"),
    Method("imm", "CELF", celf_setup, parallel=True, skip=celf_skip,
           skip_params=lambda params: None if int(params.get("celf_trials") or 0) > 0 else
           "--celf-trials 0",
           notes="Monte Carlo lazy greedy, use_multithread when T > 1"),
]
