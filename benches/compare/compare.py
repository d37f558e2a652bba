"""Side-by-side comparison of clout with NetworKit, igraph, NetworkX, rustworkx, cynetdiff,
pynetim and NDlib: same inputs, same thread counts, ratios, answer checks.

Entry point: `bash benches/compare/run.sh [options]` (sets up the venv and builds clout, then
calls this with --python). This file uses only the standard library; the peers run in worker
subprocesses (worker.py), one per (peer, method, operation, dataset, threads), by whichever
interpreter has them installed. See README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import datasets  # noqa: E402
import report  # noqa: E402
import runner  # noqa: E402
from registry import OPS, PEERS  # noqa: E402

REPO = datasets.REPO

def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--smoke", action="store_true",
                   help="karate only, 1 rep, no installs: checks the machinery (<1 min)")
    p.add_argument("--ops", help=f"comma list of {','.join(OPS)}")
    p.add_argument("--datasets", help=f"comma list of {','.join(datasets.REGISTRY)} "
                                      "(default: per-operation defaults)")
    p.add_argument("--peers", help=f"comma list of {','.join(PEERS)},clout")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--jobs", type=int, default=None,
                   help="peer jobs run at once (default 1; 2 in --smoke, where timing is moot)")
    p.add_argument("--timeout", type=float, default=900.0, help="seconds per job")
    p.add_argument("--rep-budget", type=float, default=300.0,
                   help="stop repeating once a job's repetitions took this long")
    p.add_argument("--slow-budget", type=float, default=120.0,
                   help="NDlib: run only as many IC trials as fit, and extrapolate")
    p.add_argument("--python", action="append", default=[],
                   help="interpreter(s) to try for the peers (default: the venv, this one)")
    p.add_argument("--clout", default=os.path.join(REPO, "target", "release", "clout"))
    p.add_argument("--out", help="output directory (default: out/, or out/smoke/ for --smoke "
                                 "so a smoke test never overwrites a full run's results)")
    p.add_argument("--workdir", help="scratch directory (default: a new one under /tmp)")
    p.add_argument("--keep-workdir", action="store_true")
    p.add_argument("--edge-list", action="append", default=[],
                   help="extra dataset NAME=PATH[:undirected][:zero-based=N][:synthetic][:label=TEXT]")
    p.add_argument("--rmat-fallback", action="store_true",
                   help="if `clout generate` is missing, make R-MAT inputs with gen_rmat.py")
    p.add_argument("--no-bandwidth", action="store_true")
    p.add_argument("--bandwidth-gib", default="1")
    p.add_argument("--install-log", help="JSON written by run.sh: per-package install status")
    p.add_argument("--note", action="append", default=[], help="a line for the report's notes")
    p.add_argument("--update", action="store_true",
                   help="merge into the existing out/results.json: groups re-run here replace "
                        "the old ones with the same (operation, dataset, threads)")
    g = p.add_argument_group("operation parameters")
    g.add_argument("--alpha", type=float, default=0.85)
    g.add_argument("--pr-tol", type=float, default=1e-8, help="L1 change tolerance")
    g.add_argument("--pr-max-iter", type=int, default=1000)
    g.add_argument("--bc-epsilon", type=float, default=0.01)
    g.add_argument("--bc-delta", type=float, default=0.1)
    g.add_argument("--ic-p", type=float, default=0.01)
    g.add_argument("--ic-seeds", type=int, default=10)
    g.add_argument("--ic-trials", type=int, default=10000)
    g.add_argument("--im-k", type=int, default=50)
    g.add_argument("--im-epsilon", type=float, default=0.5)
    g.add_argument("--im-prob", choices=("uniform", "wc"), default="uniform",
                   help="edge probabilities of the imm op (selection and evaluation): uniform "
                        "--ic-p on every arc, or wc, weighted cascade p(u, v) = 1/in-degree(v)")
    g.add_argument("--celf-trials", type=int, default=100,
                   help="Monte Carlo trials per estimate of pynetim's CELF (imm op; 0 skips "
                        "it; 100 already takes ~5 min on ego-Facebook under wc)")
    g.add_argument("--eval-trials", type=int, default=10000)
    g.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    if args.smoke:
        args.reps = 1
        args.jobs = args.jobs or 2
        args.timeout = min(args.timeout, 120.0)
        args.no_bandwidth = True
        args.ic_trials = min(args.ic_trials, 2000)
        args.eval_trials = min(args.eval_trials, 2000)
        args.im_k = min(args.im_k, 5)
    args.jobs = args.jobs or 1
    args.out = args.out or os.path.join(HERE, "out", "smoke" if args.smoke else "")
    return args


def split(text, allowed, what):
    items = [x.strip() for x in text.split(",") if x.strip()]
    unknown = [x for x in items if x not in allowed]
    if unknown:
        raise SystemExit(f"unknown {what}: {', '.join(unknown)} (known: {', '.join(allowed)})")
    return items


def candidate_pythons(args) -> list:
    found = list(args.python)
    venv = os.path.join(HERE, ".venv", "bin", "python")
    for path in (venv, sys.executable, shutil.which("python3")):
        if path and os.path.exists(path) and path not in found:
            found.append(path)
    return found


def discover_peers(args, names) -> dict:
    """peer -> {"python", "methods", "versions"} or {"status": "not installed", ...}."""

    def probe(peer):
        errors = []
        for python in candidate_pythons(args):
            try:
                done = subprocess.run([python, os.path.join(HERE, "worker.py"), "--list", peer,
                                       *PEERS[peer][1]], capture_output=True, text=True,
                                      timeout=120)
                info = json.loads(done.stdout.strip().splitlines()[-1])
            except (subprocess.SubprocessError, ValueError, IndexError, OSError) as error:
                errors.append(f"{python}: {error}")
                continue
            if "methods" in info:
                return peer, {"status": "ok", **info}
            errors.append(f"{python}: {info.get('error')}")
        return peer, {"status": "not installed", "errors": errors, "methods": []}

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        return dict(pool.map(probe, names))


def prepare_datasets(args, wanted: list, workdir: str, notes: list) -> dict:
    specs = dict(datasets.REGISTRY)
    for text in args.edge_list:
        spec = datasets.parse_custom(text)
        specs[spec.name] = spec
    records = {}
    for name in wanted:
        spec = specs[name]
        text_path = None
        if spec.generate:
            text_path = generate(args, spec, workdir, notes)
            if text_path is None:
                continue
        started = time.perf_counter()
        records[name] = datasets.prepare(spec, workdir, text_path)
        records[name]["arcs_estimate"] = (spec.expected[1] if spec.expected else
                                          estimate_arcs(spec, records[name]))
        print(f"prepared {name} in {time.perf_counter() - started:.1f}s", flush=True)
    return records


def estimate_arcs(spec, record) -> int:
    if spec.generate:
        return (1 << spec.generate[1]) * spec.generate[2]
    return os.path.getsize(record["variants"]["text"]) // 12


def numpy_python(args):
    return next((p for p in candidate_pythons(args) if subprocess.run(
        [p, "-c", "import numpy"], capture_output=True).returncode == 0), None)


def generate(args, spec, workdir: str, notes: list):
    """The R-MAT input as a simple graph: `clout generate` (or gen_rmat.py with
    --rmat-fallback), then duplicate lines removed by dedupe_edges.py so that readers that
    merge duplicates and readers that keep them see the same graph."""
    kind, scale, edge_factor = spec.generate
    raw = os.path.join(workdir, f"{spec.name}.raw.txt")
    argv = [args.clout, "generate", kind, "--scale", str(scale), "--edge-factor",
            str(edge_factor), "--seed", str(args.seed), "-o", raw]
    python = numpy_python(args)
    if os.path.exists(args.clout) and subprocess.run(
            [args.clout, "help", "generate"], capture_output=True).returncode == 0:
        done = subprocess.run(argv, capture_output=True, text=True)
        if done.returncode != 0:
            notes.append(f"{spec.name}: `{shlex.join(argv)}` failed: {done.stderr.strip()[:200]}")
            return None
        how = f"`{shlex.join(argv[1:-2])}`"
    elif not args.rmat_fallback:
        notes.append(f"{spec.name} skipped: `clout generate` is not available yet "
                     "(--rmat-fallback uses gen_rmat.py instead)")
        return None
    elif python is None:
        notes.append(f"{spec.name} skipped: no clout generate and no numpy for gen_rmat.py")
        return None
    else:
        subprocess.run([python, os.path.join(HERE, "gen_rmat.py"), "--scale", str(scale),
                        "--edge-factor", str(edge_factor), "--seed", str(args.seed), "-o", raw],
                       check=True)
        spec.label += " (numpy fallback generator, not clout's stream)"
        how = "gen_rmat.py"
    # ids are 0..2^scale-1 but not all used: zero_based=False makes datasets.prepare write the
    # dense variant and count the distinct ids and lines (the load check).
    spec.zero_based, spec.index_count = False, 1 << scale
    if python is None:
        notes.append(f"{spec.name}: kept as generated (a multigraph: no numpy to dedupe it)")
        spec.sep, spec.comments = datasets._sniff_sep(raw), _has_comment(raw)
        return raw
    out = os.path.join(workdir, f"{spec.name}.txt")
    done = subprocess.run([python, os.path.join(HERE, "dedupe_edges.py"), raw, out],
                          capture_output=True, text=True, check=True)
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    os.remove(raw)
    spec.sep, spec.comments = " ", False
    notes.append(f"{spec.name}: {how} wrote {counts['lines']:,} lines; duplicates removed "
                 f"before any reader sees it: {counts['distinct']:,} distinct arcs "
                 f"({counts['self_loops']:,} self-loops kept)")
    return out


def _has_comment(path: str) -> bool:
    with open(path, "rb") as f:
        return f.read(1) == b"#"


def op_params(args, record) -> dict:
    params = {"alpha": args.alpha, "pr_tol": args.pr_tol, "pr_max_iter": args.pr_max_iter,
              "bc_epsilon": args.bc_epsilon, "bc_delta": args.bc_delta, "ic_p": args.ic_p,
              "ic_trials": args.ic_trials, "im_k": args.im_k, "im_epsilon": args.im_epsilon,
              "im_prob": args.im_prob, "celf_trials": args.celf_trials,
              "eval_trials": args.eval_trials, "seed": args.seed,
              "slow_budget_s": args.slow_budget}
    if record is not None and "seeds" in record:
        params["seeds"] = record["seeds"]
    return params


def merge_group(old: dict, new: dict) -> dict:
    """Row-level merge: peer rows (peer, method) and clout re-run now replace the old ones; rows
    of peers not re-run (filtered out by --peers) stay."""
    row_key = lambda r: (r["peer"], r.get("method", ""))  # noqa: E731
    fresh = {row_key(r): r for r in new["peers"]}
    rows = [fresh.pop(row_key(r), r) for r in old["peers"]] + list(fresh.values())
    clout = new["clout"] if new["clout"].get("status") != "not run" else old["clout"]
    return {**old, **{k: v for k, v in new.items() if k not in ("peers", "clout")},
            "peers": rows, "clout": clout,
            "reference": new.get("reference") or old.get("reference")}


def group_key(g: dict) -> tuple:
    """What --update replaces: same op, dataset, threads and, for imm, edge probabilities
    (groups written before --im-prob existed were uniform)."""
    return (g["op"], g["dataset"], g["threads"],
            g.get("im_prob", "uniform") if g["op"] == "imm" else None)


def merge_into_previous(new: dict, out_dir: str) -> dict:
    """--update: previous groups, with the ones re-run now replaced (same op/dataset/T, and
    the same --im-prob for imm: wc rows are added beside uniform ones, not over them)."""
    path = os.path.join(out_dir, "results.json")
    if not os.path.exists(path):
        return new
    with open(path, encoding="utf-8") as f:
        old = json.load(f)
    key = group_key
    fresh = {key(g): g for g in new["groups"]}
    groups = [merge_group(g, fresh.pop(key(g))) if key(g) in fresh else g
              for g in old["groups"]] + list(fresh.values())
    meta = dict(new["meta"])
    meta["ops"] = [op for op in OPS if op in set(old["meta"]["ops"]) | set(meta["ops"])]
    meta["datasets"] = {**old["meta"]["datasets"], **meta["datasets"]}
    meta["bandwidth"] = meta.get("bandwidth") or old["meta"].get("bandwidth")
    rerun = sorted({f"{g['op']}/{g['dataset']}" for g in new["groups"]})
    meta["notes"] = old["meta"].get("notes", []) + meta.get("notes", []) + [
        f"{meta['finished']}: `{meta['command']}` re-ran {', '.join(rerun)} "
        f"(the rest is from {old['meta']['finished']})"]
    meta["started"] = old["meta"]["started"]
    meta["command"] = old["meta"]["command"] + " (then updated: see notes)"
    return {"meta": meta, "groups": groups}


def main(argv=None) -> int:
    args = parse_args(argv)
    ops = split(args.ops, OPS, "operations") if args.ops else list(OPS)
    peer_names = list(PEERS)
    use_clout = True
    if args.peers:
        chosen = split(args.peers, list(PEERS) + ["clout"], "peers")
        peer_names = [p for p in chosen if p != "clout"]
        use_clout = "clout" in chosen
    threads = [int(t) for t in args.threads.split(",") if t.strip()]
    custom = [datasets.parse_custom(t).name for t in args.edge_list]
    if args.smoke:
        plan = {op: ["karate"] for op in ops}
    elif args.datasets or custom:
        chosen = split(args.datasets, list(datasets.REGISTRY) + custom, "datasets") \
            if args.datasets else custom
        plan = {op: chosen for op in ops}
    else:
        plan = {op: OPS[op] for op in ops}

    workdir = args.workdir or tempfile.mkdtemp(prefix="clout-compare-", dir="/tmp")
    os.makedirs(workdir, exist_ok=True)
    notes: list = list(args.note)
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    print(f"scratch: {workdir}", flush=True)
    try:
        peers = discover_peers(args, peer_names)
        for name, info in peers.items():
            print(f"peer {name}: {info['status']}"
                  f"{' via ' + info['python'] if info.get('python') else ''}", flush=True)
        wanted = sorted({d for ds in plan.values() for d in ds})
        records = prepare_datasets(args, wanted, workdir, notes)
        if "ic" in ops:
            for record in records.values():
                record["seeds"] = datasets.top_degree_seeds(record, args.ic_seeds)
        evaluator = peers.get("cynetdiff")
        if "imm" in ops and evaluator is None:  # seed sets are judged by cynetdiff anyway
            evaluator = discover_peers(args, ["cynetdiff"])["cynetdiff"]
        ctx = runner.Runner(args, workdir, peers, records, threads, use_clout, evaluator)
        bandwidth = None if args.no_bandwidth else runner.measure_bandwidth(args, threads, workdir)
        groups = []
        for op in ops:
            for name in plan[op]:
                if name not in records:
                    continue
                for t in threads:
                    groups.append(ctx.run_group(op, records[name], t, op_params(args, records[name])))
        report_data = {
            "meta": {
                "command": os.environ.get("CLOUT_COMPARE_COMMAND") or "python3 compare.py " +
                " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:])),
                "smoke": args.smoke, "started": started,
                "finished": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
                "machine": report.describe_machine(REPO),
                "versions": ctx.versions(args.install_log),
                "params": {**op_params(args, None), "reps": args.reps, "threads": threads,
                           "timeout_s": args.timeout, "rep_budget_s": args.rep_budget,
                           "ic_seed_rule": f"top {args.ic_seeds} nodes by out-degree "
                                           "(degree if undirected), ties by first appearance"},
                "datasets": {k: {x: v[x] for x in ("label", "directed", "expected", "counted", "synthetic",
                                                   "source", "seeds") if x in v}
                             for k, v in records.items()},
                "ops": ops, "bandwidth": bandwidth, "notes": notes + ctx.notes,
            },
            "groups": groups,
        }
        if args.update:
            report_data = merge_into_previous(report_data, args.out)
        md_path, json_path = report.write(report_data, args.out)
        print(f"wrote {md_path} and {json_path}", flush=True)
        problems = ctx.machinery_problems(groups)
    finally:
        if not args.keep_workdir and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    for problem in problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    if args.smoke and problems:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
