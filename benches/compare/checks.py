"""Applies the answer checks of `crosscheck.py` to one group (standard library only).

The reference of every group is also saved under `out/refs/` (score vectors only up to
200,000 nodes) so that a later `--update --peers clout` run (clout re-measured, peers not
re-run) is still checked against the same reference.
"""

from __future__ import annotations

import json
import os

import crosscheck


def _ref_path(runner, op: str, dataset: str) -> str:
    return os.path.join(runner.refs_dir, f"{op}-{dataset}.json")


MAX_SAVED_SCORES = 200_000  # keep out/ small: larger references are not saved


def save_ref(runner, op: str, dataset: str, label: str, payload: dict) -> None:
    if len(payload.get("scores", ())) > MAX_SAVED_SCORES:
        return
    os.makedirs(runner.refs_dir, exist_ok=True)
    with open(_ref_path(runner, op, dataset), "w", encoding="utf-8") as f:
        json.dump({"label": label, **payload}, f)


def load_ref(runner, op: str, dataset: str):
    try:
        with open(_ref_path(runner, op, dataset), encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return None
    data["label"] += " (saved by an earlier run)"
    return data


def score_reference(runner, op, record, rows):
    """(scores by id, label, the reference row or None) for pagerank / betweenness."""
    ref = crosscheck.pick_reference(op, rows)
    if ref is not None:
        ref["is_reference"] = True
        label = f"{ref['peer']} ({ref['method']})"
        scores = crosscheck.load_scores(ref["result"]["scores_file"])
        save_ref(runner, op, record["name"], label, {"scores": scores})
        return scores, label, ref
    saved = load_ref(runner, op, record["name"])
    return (saved["scores"], saved["label"], None) if saved else (None, None, None)


def check_group(runner, op, record, params, group) -> None:
    rows = [r for r in group["peers"] if r.get("ok")]
    clout = group["clout"]
    candidates = rows + ([clout] if clout.get("ok") else [])
    if op == "load":
        expected = record.get("expected") or record.get("counted")
        group["reference"] = ("published counts" if record.get("expected") else
                              "distinct ids and lines counted in the file" if expected else
                              "none (no published counts; the file was not scanned)")
        for r in candidates:
            r["check"] = (crosscheck.check_counts(r["result"], expected) if expected else
                          {"agree": None, "detail": f"{r['result']['nodes']} nodes, "
                                                    f"{r['result']['edges']} edges"})
        return
    if op in ("pagerank", "betweenness"):
        scores, label, ref = score_reference(runner, op, record, rows)
        if scores is None:
            group["reference"] = "none"
            return
        group["reference"] = label
        bound = (crosscheck.pagerank_bound(params) if op == "pagerank"
                 else crosscheck.betweenness_bound(scores))
        if op == "betweenness":
            runner.exact_bc.setdefault(record["name"], (scores, label))
        for r in candidates:
            if r is not ref:
                r["check"] = crosscheck.compare_scores(
                    crosscheck.load_scores(r["result"]["scores_file"]), scores, bound)
        return
    if op == "betweenness_approx":
        exact = runner.exact_bc.get(record["name"])
        if exact is None:
            saved = load_ref(runner, "betweenness", record["name"])
            exact = (saved["scores"], saved["label"]) if saved else None
        if exact is None:
            group["reference"] = "none (run --ops betweenness too)"
            return
        scores, label = exact
        group["reference"] = f"exact {label}"
        default_bound = crosscheck.approx_bound(params, len(scores))
        for r in candidates:
            bound = r["result"].get("error_bound", default_bound)
            r["check"] = crosscheck.compare_scores(
                crosscheck.load_scores(r["result"]["scores_file"]), scores, bound)
        return
    if op == "ic":
        ref = crosscheck.pick_reference(op, rows)
        if ref is not None:
            ref["is_reference"] = True
            label, ref_result = f"{ref['peer']} ({ref['method']})", ref["result"]
            save_ref(runner, op, record["name"], label, {"result": ref_result})
        else:
            saved = load_ref(runner, op, record["name"])
            if saved is None:
                group["reference"] = "none"
                return
            label, ref_result = saved["label"], saved["result"]
        group["reference"] = label
        for r in candidates:
            if r is not ref:
                r["check"] = crosscheck.spread_agreement(r["result"], ref_result)
        return
    if op == "imm":
        check_imm(runner, record, params, group, candidates)


def check_imm(runner, record, params, group, candidates) -> None:
    """Every seed set is re-evaluated by one Monte Carlo (cynetdiff, under the same edge
    probabilities: params["im_prob"]) and compared with the reference selector's evaluated
    spread. References are saved per probability model (`imm-DATASET.json` for uniform, as
    before; `imm-wc-DATASET.json` for weighted cascade)."""
    ref_op = "imm" if (params.get("im_prob") or "uniform") == "uniform" else \
        f"imm-{params['im_prob']}"
    wanted = {tuple(r["result"]["seeds"]) for r in candidates}
    missing = [s for s in wanted if (record["name"], s) not in runner.evaluations]
    if missing:
        for seeds, spread in runner.evaluate(record, params, missing).items():
            runner.evaluations[(record["name"], seeds)] = spread
    for r in candidates:
        spread = runner.evaluations.get((record["name"], tuple(r["result"]["seeds"])))
        if spread is not None:
            r["result"]["evaluated_spread"] = spread
    ref = crosscheck.pick_reference("imm", [r for r in candidates if r is not group["clout"]])
    if ref is not None and "evaluated_spread" in ref["result"]:
        ref["is_reference"] = True
        label, ref_spread = f"{ref['peer']} ({ref['method']})", ref["result"]["evaluated_spread"]
        ref["ref_detail"] = f"spread {ref_spread['spread_mean']:.4g}"
        save_ref(runner, ref_op, record["name"], label, {"spread": ref_spread})
    else:
        saved = load_ref(runner, ref_op, record["name"])
        if saved is None:
            group["reference"] = "none"
            return
        ref, label, ref_spread = None, saved["label"], saved["spread"]
    group["reference"] = f"{label}, spreads by cynetdiff Monte Carlo"
    for r in candidates:
        if r is not ref and "evaluated_spread" in r["result"]:
            r["check"] = crosscheck.quality_agreement(r["result"]["evaluated_spread"], ref_spread)
