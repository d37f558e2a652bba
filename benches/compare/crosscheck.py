"""Answer checks: a fast wrong answer must show as wrong (standard library only).

Each check compares one result with a reference result of the same (operation, dataset) and
returns {"agree": bool, "detail": str, ...numbers}. Reference choice, most trusted first:
  load                published counts (datasets README), else the distinct ids and data lines
                      counted in the file; none for an unscanned custom file (counts shown)
  pagerank            igraph PRPACK (solved to ~1e-10), NetworkX, NetworKit, rustworkx
  betweenness         NetworkX, igraph, NetworKit, rustworkx
  betweenness_approx  the exact betweenness reference of the same dataset
  ic                  cynetdiff, pynetim, NDlib
  imm                 pynetim IMM; every seed set is re-evaluated by one independent IC
                      Monte Carlo (cynetdiff) so all selectors are judged on equal terms
"""

from __future__ import annotations

import json
import math

REFERENCE_ORDER = {
    "pagerank": ["igraph", "networkx", "networkit", "rustworkx"],
    "betweenness": ["networkx", "igraph", "networkit", "rustworkx"],
    "ic": ["cynetdiff", "pynetim", "ndlib"],
    "imm": ["pynetim"],
}

TOP_K = 20


def load_scores(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return dict(zip(data["ids"], data["scores"]))


def pick_reference(op: str, results: list):
    """The most trusted successful result among `results` (dicts with peer/method/result)."""
    for peer in REFERENCE_ORDER.get(op, []):
        for r in results:
            if r["peer"] == peer and r.get("ok"):
                return r
    return None


def compare_scores(candidate: dict, reference: dict, bound: float, top_k: int = TOP_K) -> dict:
    """Max |difference| over all nodes and a tie-aware top-k overlap.

    A reference top-k node missing from the candidate's top-k counts as a miss only if its
    reference score exceeds the reference k-th score by more than `bound` (nodes within the
    error bound of the cut-off are ties, and any order among them is correct).
    """
    missing = set(reference) ^ set(candidate)
    if missing:
        sample = sorted(missing)[:5]
        return {"agree": False, "detail": f"node sets differ ({len(missing)} ids, e.g. {sample})"}
    diff = max((abs(candidate[k] - reference[k]) for k in reference), default=0.0)
    ref_top = sorted(reference, key=lambda k: (-reference[k], k))[:top_k]
    cand_top = set(sorted(candidate, key=lambda k: (-candidate[k], k))[:top_k])
    overlap = sum(1 for k in ref_top if k in cand_top)
    cutoff = reference[ref_top[-1]] if ref_top else 0.0
    hard_misses = [k for k in ref_top if k not in cand_top and reference[k] - cutoff > bound]
    agree = diff <= bound and not hard_misses
    detail = f"max diff {diff:.3g} (bound {bound:.3g}), top-{top_k} {overlap}/{len(ref_top)}"
    if hard_misses:
        detail += f", misses {hard_misses[:3]}"
    return {"agree": agree, "detail": detail, "max_abs_diff": diff, "bound": bound,
            "top_overlap": overlap}


def check_counts(result: dict, expected) -> dict:
    got = (result["nodes"], result["edges"])
    return {"agree": tuple(expected) == got,
            "detail": f"{got[0]} nodes, {got[1]} edges" +
                      ("" if tuple(expected) == got else f" (expected {expected[0]}/{expected[1]})")}


def pagerank_bound(params: dict) -> float:
    # Power iteration: ||x_k - x*||_1 <= alpha/(1-alpha) * ||x_k - x_{k-1}||_1, so two answers
    # that each stopped at L1 change < tol differ by at most 2 * alpha/(1-alpha) * tol.
    alpha = params["alpha"]
    return 2.0 * alpha / (1.0 - alpha) * params["pr_tol"] + 1e-12


def betweenness_bound(reference: dict) -> float:
    top = max(reference.values(), default=0.0)
    return 1e-9 * max(top, 1e-300) + 1e-12


def approx_bound(params: dict, n: int) -> float:
    # Additive error eps on the fraction of the n(n-1) ordered pairs; in NetworkX's
    # normalized scale (1/((n-1)(n-2))) that is eps * n / (n - 2).
    return params["bc_epsilon"] * (n / (n - 2) if n > 2 else 1.0)


def spread_agreement(candidate: dict, reference: dict, relative_slack: float = 0.0) -> dict:
    """|mean_a - mean_r| within 4 standard errors (+ slack); both from Monte Carlo."""
    se = math.sqrt(candidate["spread_std"] ** 2 / max(1, candidate["trials"]) +
                   reference["spread_std"] ** 2 / max(1, reference["trials"]))
    diff = candidate["spread_mean"] - reference["spread_mean"]
    limit = 4.0 * se + relative_slack * reference["spread_mean"] + 1e-9
    return {"agree": abs(diff) <= limit, "difference": diff, "limit": limit,
            "detail": f"spread {candidate['spread_mean']:.4g} vs {reference['spread_mean']:.4g} "
                      f"(diff {abs(diff):.3g}, limit {limit:.3g})"}


def quality_agreement(spread: dict, reference: dict, slack: float = 0.05) -> dict:
    """Influence maximization: a seed set is acceptable if its spread is not below the
    reference's by more than `slack` (relative) plus 4 standard errors."""
    se = math.sqrt(spread["spread_std"] ** 2 / max(1, spread["trials"]) +
                   reference["spread_std"] ** 2 / max(1, reference["trials"]))
    floor = reference["spread_mean"] * (1.0 - slack) - 4.0 * se
    return {"agree": spread["spread_mean"] >= floor,
            "detail": f"spread {spread['spread_mean']:.4g} vs ref {reference['spread_mean']:.4g} "
                      f"(floor {floor:.4g})"}
