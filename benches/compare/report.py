"""Machine description and the results.md / results.json writers (standard library only)."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess

STOPPING_RULES = [
    "PageRank is tolerance-matched: every library stops when the L1 change between two "
    "iterations falls below the same tolerance (pr_tol), damping alpha, uniform teleport, "
    "dangling mass spread uniformly, unweighted.",
    "NetworkX `pagerank`: stops when sum|x_new - x_old| < N * tol, so tol = pr_tol / N.",
    "rustworkx `pagerank`: documented as NetworkX's rule (L1 change < N * tol): tol = pr_tol / N.",
    "NetworKit `PageRank`: norm = L1_NORM stops when sum|x_new - x_old| <= tol (its default "
    "L2_NORM would use the Euclidean norm), so tol = pr_tol; SinkHandling.DistributeSinks.",
    "igraph `pagerank(implementation='prpack')`: no tolerance knob; PRPACK solves to ~1e-10, "
    "so igraph is the PageRank reference.",
    "clout `rank --by pagerank --tol pr_tol/N`: NetworkX's rule (L1 change < N * tol), so tol = pr_tol / N.",
    "Two answers that each stopped at L1 change < tol differ by at most "
    "2*alpha/(1-alpha)*tol in L1 (so in max-abs too): that is the PageRank agreement bound.",
]


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def _command(argv: list) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def describe_machine(repo: str) -> dict:
    cpuinfo = _read("/proc/cpuinfo")
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown")
    meminfo = _read("/proc/meminfo")
    mem_kib = next((int(line.split()[1]) for line in meminfo.splitlines()
                    if line.startswith("MemTotal:")), 0)
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "cpu_model": model,
        "logical_cpus": os.cpu_count(),
        "usable_cpus": usable,
        "memory_gib": round(mem_kib / 2**20, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "rustc": _command(["rustc", "-V"]),
        "clout_commit": _command(["git", "-C", repo, "rev-parse", "--short", "HEAD"]),
        "load_average": _read("/proc/loadavg").split()[:3],
    }


def _fmt_seconds(value) -> str:
    if value is None:
        return "–"
    return f"{value:.3g}" if value < 100 else f"{value:.0f}"


def _fmt_mib(kib) -> str:
    return "–" if not kib else f"{kib / 1024:.0f}"


def _yes_no(check) -> str:
    if not check:
        return "–"
    if check.get("agree") is None:
        return "n/a"
    return "yes" if check.get("agree") else "**NO**"


def _peer_time(row: dict) -> str:
    status = row.get("status")
    if status != "ok":
        return status or "–"
    text = _fmt_seconds(row.get("seconds_median"))
    if row.get("extrapolated"):
        text = f"~{text}"
    return text


def markdown(report: dict) -> str:
    meta = report["meta"]
    machine = meta["machine"]
    lines = ["# clout vs peers: side-by-side comparison", "",
             f"Generated {meta['finished']} by `{meta['command']}`"
             f"{' (SMOKE: karate only, 1 rep)' if meta['smoke'] else ''}.", "",
             "## Machine", "",
             f"- CPU: {machine['cpu_model']} ({machine['logical_cpus']} logical CPUs, "
             f"{machine['usable_cpus']} usable; shared with other work, load average "
             f"{' '.join(machine['load_average'])} at start)",
             f"- Memory: {machine['memory_gib']} GiB; kernel {machine['kernel']}; "
             f"Python {machine['python']}; {machine['rustc']}; clout commit "
             f"{machine['clout_commit']}", ""]
    bandwidth = meta.get("bandwidth")
    if bandwidth and bandwidth.get("results"):
        parts = [f"{r['threads']} thread(s): best {r['best_gbps']:.1f} GB/s, median "
                 f"{r['median_gbps']:.1f} GB/s" for r in bandwidth["results"]]
        lines += [f"- Memory bandwidth (streaming u64 sum over "
                  f"{bandwidth['array_bytes'] >> 20} MiB, benches/bandwidth.rs): "
                  + "; ".join(parts) + f" ({bandwidth.get('how', '')})", ""]
    elif bandwidth:
        lines += [f"- Memory bandwidth: not measured ({bandwidth.get('error', 'skipped')})", ""]
    lines += ["## Versions", "", "| package | version | interpreter |", "|---|---|---|"]
    for name, info in meta["versions"].items():
        lines.append(f"| {name} | {info.get('version') or info.get('status')} | "
                     f"{info.get('python') or '–'} |")
    lines += ["", "## Parameters", "", "```", json.dumps(meta["params"], indent=1), "```", "",
              "## Stopping rules and conventions", ""]
    lines += [f"- {rule}" for rule in STOPPING_RULES]
    lines += [f"- {note}" for note in meta.get("notes", [])]
    lines += ["", "## Results", "",
              "Times are medians over the repetitions of the operation alone (loading is its "
              "own `load` row). RSS is the peak resident set of the whole process (interpreter "
              "and graph included). `peer/clout` > 1 means clout is faster. `~` marks an "
              "extrapolated time. Agreement is against the reference named per group.", ""]
    for op in meta["ops"]:
        groups = [g for g in report["groups"] if g["op"] == op]
        if not groups:
            continue
        if op == "imm":
            lines += imm_table(groups)
            continue
        lines += [f"### {op}", "", "| dataset | T | peer (method) | peer s | clout s | "
                  "peer/clout | peer agrees | clout agrees | peer RSS MiB | clout RSS MiB | "
                  "notes |", "|---|---|---|---|---|---|---|---|---|---|---|"]
        for g in groups:
            clout = g["clout"]
            clout_s = clout.get("seconds_median") if clout.get("status") == "ok" else None
            clout_text = _fmt_seconds(clout_s) if clout_s else clout.get("status", "–")
            dataset = g["dataset_label"] + (" *(synthetic)*" if g.get("synthetic") else "")
            for row in g["peers"] or [{"peer": "(no peer)", "method": "", "status": "–"}]:
                ratio = "–"
                if clout_s and row.get("status") == "ok" and row.get("seconds_median"):
                    ratio = f"{row['seconds_median'] / clout_s:.2f}"
                notes = list(row.get("notes", []))
                if row.get("check"):
                    notes.append(row["check"].get("detail", ""))
                if row.get("is_reference"):
                    notes.insert(0, "reference")
                    notes.append(row.get("ref_detail", ""))
                if row.get("error"):
                    notes.append(row["error"][:160])
                if row.get("reason"):
                    notes.append(row["reason"])
                lines.append(
                    f"| {dataset} | {g['threads']} | {row['peer']} ({row.get('method', '')}) | "
                    f"{_peer_time(row)} | {clout_text} | {ratio} | "
                    f"{'ref' if row.get('is_reference') else _yes_no(row.get('check'))} | "
                    f"{_yes_no(clout.get('check'))} | "
                    f"{_fmt_mib(row.get('maxrss_kib')) if row.get('status') == 'ok' else '–'} | "
                    f"{_fmt_mib(clout.get('maxrss_kib'))} | "
                    f"{'; '.join(n for n in notes if n).replace('|', '/')} |")
        lines.append("")
        lines.extend(_clout_lines(groups, lambda g: f"{g['dataset_label']}, T={g['threads']}"))
        lines.append("")
    lines += pagerank_vs_bandwidth(report)
    return "\n".join(lines) + "\n"


def _fmt_count(value) -> str:
    return "–" if value is None else f"{value:,}"


def _spread(row: dict) -> str:
    spread = (row.get("result") or {}).get("evaluated_spread") if row.get("status") == "ok" \
        else None
    return "–" if not spread else f"{spread['spread_mean']:.4g}"


def _ratio(a, b) -> str:
    return f"{a / b:.2f}" if a and b else "–"


def _clout_command(argv: list) -> str:
    """`clout select SNAPSHOT ...` with the scratch directory cut from the snapshot path."""
    return " ".join(["clout", argv[1], os.path.basename(argv[2])] + list(argv[3:]))


IMM_PROB_LABEL = {"uniform": "uniform", "wc": "wc (1/in-degree)"}


def imm_table(groups: list) -> list:
    """Influence maximization: time, RR sets, memory and the spread of each chosen set (one
    cynetdiff Monte Carlo for every library), peer beside clout, with ratios."""
    lines = ["### imm", "",
             "Spread: the chosen set's expected reach under the same edge probabilities, "
             "estimated by one cynetdiff Monte Carlo (`--eval-trials`) for every library. RR "
             "sets: the sample the final greedy ran on (pynetim IMM's final sample, OPIM-C's "
             "last R1 + R2, clout's selection + validation sets; every set drawn is in clout's "
             "note below). clout RR MiB: clout's own peak of RR sets plus index; RSS: the "
             "whole process. Ratios peer/clout (> 1: clout faster / smaller).", "",
             "| dataset | T | p | peer (method) | peer s | clout s | time peer/clout | "
             "peer RSS MiB | clout RSS MiB | RSS peer/clout | peer RR sets | clout RR sets | "
             "clout RR MiB | peer spread | clout spread | peer agrees | clout agrees | notes |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for g in groups:
        clout = g["clout"]
        ok = clout.get("status") == "ok"
        clout_s = clout.get("seconds_median") if ok else None
        clout_rss = clout.get("maxrss_kib") if ok else None
        result = clout.get("result") or {}
        peak = result.get("rr_peak_bytes")
        dataset = g["dataset_label"] + (" *(synthetic)*" if g.get("synthetic") else "")
        prob = IMM_PROB_LABEL.get(g.get("im_prob", "uniform"), g.get("im_prob"))
        for row in g["peers"] or [{"peer": "(no peer)", "method": "", "status": "–"}]:
            row_ok = row.get("status") == "ok"
            peer_s = row.get("seconds_median") if row_ok else None
            peer_rss = row.get("maxrss_kib") if row_ok else None
            notes = list(row.get("notes", []))
            if row.get("check"):
                notes.append(row["check"].get("detail", ""))
            if row.get("is_reference"):
                notes.insert(0, "reference")
            for key in ("error", "reason"):
                if row.get(key):
                    notes.append(row[key][:160])
            lines.append(
                f"| {dataset} | {g['threads']} | {prob} | {row['peer']} "
                f"({row.get('method', '')}) | {_peer_time(row)} | "
                f"{_fmt_seconds(clout_s) if ok else clout.get('status', '–')} | "
                f"{_ratio(peer_s, clout_s)} | {_fmt_mib(peer_rss)} | {_fmt_mib(clout_rss)} | "
                f"{_ratio(peer_rss, clout_rss)} | "
                f"{_fmt_count((row.get('result') or {}).get('rr_sets')) if row_ok else '–'} | "
                f"{_fmt_count(result.get('rr_sets'))} | "
                f"{'–' if peak is None else f'{peak / 2**20:.1f}'} | {_spread(row)} | "
                f"{_spread(clout)} | "
                f"{'ref' if row.get('is_reference') else _yes_no(row.get('check'))} | "
                f"{_yes_no(clout.get('check'))} | "
                f"{'; '.join(n for n in notes if n).replace('|', '/')} |")
    lines.append("")
    lines.extend(_clout_lines(
        groups, lambda g: f"{g['dataset_label']}, T={g['threads']}, p {g.get('im_prob', 'uniform')}",
        with_command=True))
    return lines + [""]


def pagerank_vs_bandwidth(report: dict) -> list:
    """Lines comparing clout's PageRank seconds per iteration with the streaming floor
    (4 m + 24 n bytes per iteration at the measured bandwidth)."""
    bandwidth = {r["threads"]: r["best_gbps"] for r in
                 ((report["meta"].get("bandwidth") or {}).get("results") or [])}
    sizes = {}
    for g in report["groups"]:
        if g["op"] != "load":
            continue
        for row in [g["clout"]] + g["peers"]:
            result = row.get("result") or {}
            if row.get("status") == "ok" and "nodes" in result:
                sizes.setdefault(g["dataset"], (result["nodes"], result["edges"]))
    lines = []
    for g in report["groups"]:
        clout = g["clout"]
        if g["op"] != "pagerank" or clout.get("status") != "ok":
            continue
        match = re.search(r"(\d+) iterations", " ".join(clout.get("notes") or []))
        gbps = bandwidth.get(g["threads"])
        if not match or not gbps or g["dataset"] not in sizes:
            continue
        n, m = sizes[g["dataset"]]
        per_iteration = clout["seconds_median"] / int(match.group(1))
        floor = (4 * m + 24 * n) / (gbps * 1e9)
        lines.append(f"| {g['dataset_label']} | {g['threads']} | {n:,} | {m:,} | "
                     f"{match.group(1)} | {per_iteration * 1e3:.3g} | {floor * 1e3:.3g} | "
                     f"{per_iteration / floor:.1f} |")
    if not lines:
        return []
    return ["## PageRank against the memory-bandwidth floor", "",
            "Floor = streaming the CSR once per iteration, (4 m + 24 n) bytes at the best "
            "measured bandwidth for that thread count; the random gather of m neighbour scores "
            "is not in it, so a ratio well above 1 on a cache-resident graph means latency or "
            "compute, not bandwidth, is the limit.", "",
            "| dataset | T | n | m | iterations | clout ms/iteration | floor ms/iteration | "
            "ratio |", "|---|---|---|---|---|---|---|---|"] + lines + [""]


def write(report: dict, out_dir: str) -> tuple[str, str]:
    os.makedirs(out_dir, exist_ok=True)
    json_path = os.path.join(out_dir, "results.json")
    md_path = os.path.join(out_dir, "results.md")
    with open(json_path, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1)
    with open(md_path, "w", encoding="utf-8") as f:
        f.write(markdown(report))
    return md_path, json_path


def _clout_lines(groups, where, with_command: bool = False) -> list:
    """The lines under a table about clout's own runs: the reasons it did not run, then per
    group its median time, process wall time, notes and check detail (and the exact command)."""
    lines = [f"clout: {reason}." for reason in
             sorted({g["clout"].get("reason") for g in groups if g["clout"].get("reason")})]
    for g in groups:
        clout = g["clout"]
        if clout.get("status") == "ok":
            walls = clout.get("wall_times") or []
            wall = f", process wall {_fmt_seconds(sorted(walls)[len(walls) // 2])} s" \
                if walls else ""
            details = list(clout.get("notes") or [])
            if clout.get("check"):
                details.append(clout["check"].get("detail", ""))
            command = f"; `{_clout_command(clout['argv'])}`" if with_command else ""
            lines.append(f"- clout, {where(g)}: {_fmt_seconds(clout['seconds_median'])} s{wall}; "
                         f"{'; '.join(d for d in details if d)}{command}")
        elif clout.get("status") not in (None, "not available", "not run"):
            lines.append(f"- clout, {where(g)}: {clout['status']}: "
                         f"{clout.get('error', '')[:200]}")
    return lines
