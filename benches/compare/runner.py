"""Runs one (operation, dataset, threads) group: every peer method in its own worker process,
then clout, then the answer checks (standard library only)."""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
from concurrent.futures import ThreadPoolExecutor

import checks
from registry import ARC_LIMITS, PEERS
from peers import clout_peer
from proc import run_measured

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
THREAD_VARS = ("OMP_NUM_THREADS", "RAYON_NUM_THREADS", "OPENBLAS_NUM_THREADS",
               "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def thread_env(threads: int) -> dict:
    env = dict(os.environ)
    for var in THREAD_VARS:
        env[var] = str(threads)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)


class Runner:
    def __init__(self, args, workdir, peers, records, threads, use_clout, evaluator=None):
        self.args, self.workdir, self.peers = args, workdir, peers
        self.evaluator = evaluator or peers.get("cynetdiff")  # judges seed sets (imm)
        self.records, self.threads, self.use_clout = records, threads, use_clout
        self.cache: dict = {}          # (peer, method, op, dataset, threads) -> row
        self.exact_bc: dict = {}       # dataset -> (scores, "peer (method)")
        self.evaluations: dict = {}    # (dataset, seeds tuple) -> spread dict
        self.clout_nodes: dict = {}    # (dataset, reading) -> node count of clout's snapshot
        self.refs_dir = os.path.join(args.out, "refs")  # references kept for --update runs
        self.notes: list = []
        for sub in ("jobs", "scores", "clout"):
            os.makedirs(os.path.join(workdir, sub), exist_ok=True)

    # ---------------------------------------------------------------- peers
    def peer_job(self, peer, method, op, record, threads, params) -> dict:
        info = self.peers[peer]
        key = f"{op}-{record['name']}-{peer}-{slug(method['name'])}-t{threads}"
        job = {"peer": peer, "method": method["name"], "op": op, "dataset": record,
               "threads": threads, "reps": self.args.reps, "params": params,
               "rep_budget_s": self.args.rep_budget,
               "out": os.path.join(self.workdir, "jobs", key + ".result.json"),
               "scores_out": os.path.join(self.workdir, "scores", key + ".json")}
        job_path = os.path.join(self.workdir, "jobs", key + ".json")
        with open(job_path, "w", encoding="utf-8") as f:
            json.dump(job, f)
        measured = run_measured([info["python"], os.path.join(HERE, "worker.py"), job_path],
                                env=thread_env(threads), timeout=self.args.timeout, cwd=HERE)
        row = {"peer": peer, "method": method["name"], "maxrss_kib": measured.maxrss_kib,
               "notes": [], "parallel": method["parallel"]}
        if measured.timed_out:
            return {**row, "status": f"timeout (>{self.args.timeout:.0f}s)", "ok": False}
        try:
            with open(job["out"], encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError):
            tail = (measured.stderr.strip().splitlines() or ["no output"])[-1][:200]
            return {**row, "status": "crashed", "ok": False, "crashed": True,
                    "error": f"exit {measured.returncode}: {tail}"}
        row.update({k: data.get(k) for k in ("times", "notes", "setup_seconds", "result",
                                             "rss_after_setup_kib", "self_maxrss_kib",
                                             "extrapolated", "traceback")})
        if data.get("missing_dependency"):
            return {**row, "status": "missing dependency", "ok": False,
                    "reason": data["missing_dependency"]}
        if data.get("skipped"):
            return {**row, "status": "skipped", "ok": False, "reason": data["skipped"]}
        if data.get("error"):
            return {**row, "status": "error", "ok": False, "error": data["error"]}
        row["seconds_median"] = statistics.median(data["times"])
        return {**row, "status": "ok", "ok": True}

    def peer_rows(self, op, record, threads, params) -> list:
        tasks, rows = [], []
        for peer, info in self.peers.items():
            methods = [m for m in info.get("methods", []) if m["op"] == op]
            if info["status"] != "ok":
                if op in PEERS[peer][0]:
                    rows.append({"peer": peer, "method": "", "status": "not installed",
                                 "ok": False})
                continue
            for method in methods:
                limit = ARC_LIMITS.get(peer)
                if limit and record.get("arcs_estimate", 0) > limit:
                    rows.append({"peer": peer, "method": method["name"], "status": "skipped",
                                 "ok": False, "reason": f"> {limit:,} arcs: would not fit "
                                 "in memory as Python objects"})
                    continue
                first = self.threads[0]
                reuse = (peer, method["name"], op, record["name"], first)
                if not method["parallel"] and threads != first and reuse in self.cache:
                    copy = dict(self.cache[reuse])
                    copy["notes"] = list(copy.get("notes") or []) + [
                        f"single-threaded: the T={first} run"]
                    rows.append(copy)
                    continue
                tasks.append((peer, method))
        with ThreadPoolExecutor(max_workers=self.args.jobs) as pool:
            results = list(pool.map(
                lambda pm: self.peer_job(pm[0], pm[1], op, record, threads, params), tasks))
        for (peer, method), row in zip(tasks, results):
            self.cache[(peer, method["name"], op, record["name"], threads)] = row
            print(f"  {op} {record['name']} T={threads} {peer} ({method['name']}): "
                  f"{row['status']} {row.get('seconds_median', '')}", flush=True)
        order = list(self.peers)
        return sorted(rows + results, key=lambda r: order.index(r["peer"]))

    # ---------------------------------------------------------------- clout
    def clout_snapshot(self, record, reading, threads) -> tuple[str, int]:
        """The snapshot an operation reads (ingested once, untimed) and its node count."""
        directory = os.path.join(self.workdir, "clout")
        snapshot = clout_peer.snapshot_path(directory, record, reading)
        key = (record["name"], reading)
        if key not in self.clout_nodes:
            done = run_measured(clout_peer.ingest_argv(self.args.clout, record, threads,
                                                       snapshot, reading),
                                env=thread_env(threads), timeout=self.args.timeout)
            if done.returncode != 0:
                raise RuntimeError(f"clout ingest failed: {done.stderr.strip()[-200:]}")
            self.clout_nodes[key] = clout_peer.parse_ingest(done.stdout)["nodes"]
        return snapshot, self.clout_nodes[key]

    def clout_row(self, op, record, threads, params) -> dict:
        if not self.use_clout:
            return {"status": "not run", "reason": "clout excluded by --peers"}
        ok, reason = clout_peer.available(self.args.clout, op)
        if not ok:
            return {"status": "not available", "reason": reason}
        reading = clout_peer.reading_for(op)
        base = os.path.join(self.workdir, "clout", f"{op}-{record['name']}-t{threads}")
        out_file = clout_peer.out_file_for(op, base)
        try:
            if op == "load":
                snapshot = clout_peer.snapshot_path(os.path.join(self.workdir, "clout"),
                                                    record, reading)
                nodes = 0
            else:
                snapshot, nodes = self.clout_snapshot(record, reading, threads)
        except (RuntimeError, ValueError, KeyError) as error:
            return {"status": "error", "error": str(error)}
        times, walls, rss, last, parsed = [], [], 0, None, None
        for _ in range(self.args.reps):
            argv = (clout_peer.ingest_argv(self.args.clout, record, threads, snapshot, reading)
                    if op == "load" else clout_peer.op_argv(self.args.clout, op, snapshot, params,
                                                            threads, out_file, nodes))
            last = run_measured(argv, env=thread_env(threads), timeout=self.args.timeout)
            rss = max(rss, last.maxrss_kib)
            if last.timed_out:
                return {"status": f"timeout (>{self.args.timeout:.0f}s)", "maxrss_kib": rss}
            if last.returncode != 0:
                return {"status": "error", "error": last.stderr.strip()[-300:], "argv": last.argv,
                        "maxrss_kib": rss}
            try:
                parsed = self.parse_clout(op, last, out_file, base)
            except (ValueError, KeyError, OSError) as error:
                return {"status": "error", "error": f"cannot parse clout output: {error}",
                        "argv": last.argv}
            times.append(parsed.pop("op_seconds", None) or last.seconds)
            walls.append(last.seconds)
            if sum(times) > self.args.rep_budget:
                break
        if op == "load":  # later operations reuse this snapshot
            self.clout_nodes[(record["name"], reading)] = parsed["nodes"]
        notes = [parsed.pop("detail")] if parsed.get("detail") else []
        print(f"  {op} {record['name']} T={threads} clout: ok {statistics.median(times)}",
              flush=True)
        return {"status": "ok", "times": times, "seconds_median": statistics.median(times),
                "wall_times": walls, "maxrss_kib": rss, "argv": last.argv, "notes": notes,
                "result": parsed}

    def parse_clout(self, op, measured, out_file, base) -> dict:
        if op == "load":
            return clout_peer.parse_ingest(measured.stdout)
        if op in ("pagerank", "betweenness", "betweenness_approx"):
            score = "pagerank" if op == "pagerank" else "betweenness"
            parsed = clout_peer.parse_rank(out_file, score)
            path = base + ".scores.json"
            with open(path, "w", encoding="utf-8") as f:
                json.dump({"ids": parsed.pop("ids"), "scores": parsed.pop("scores")}, f)
            return {**parsed, "scores_file": path}
        if op == "ic":
            return clout_peer.parse_spread(measured.stdout)
        return clout_peer.parse_seeds(measured.stdout)

    # ---------------------------------------------------------------- group
    def run_group(self, op, record, threads, params) -> dict:
        rows = self.peer_rows(op, record, threads, params)
        clout = self.clout_row(op, record, threads, params)
        clout["ok"] = clout.get("status") == "ok"
        group = {"op": op, "dataset": record["name"], "dataset_label": record["label"],
                 "synthetic": record.get("synthetic", False), "threads": threads,
                 "peers": rows, "clout": clout,
                 "load_average_after": [round(x, 2) for x in os.getloadavg()]}
        if op == "imm":
            group["im_prob"] = params.get("im_prob") or "uniform"
        try:
            checks.check_group(self, op, record, params, group)
        except Exception as error:  # a broken check is a harness problem: record it loudly
            group["check_error"] = f"{type(error).__name__}: {error}"
        return group

    def evaluate(self, record, params, seed_sets) -> dict:
        """Spread of each seed set by cynetdiff Monte Carlo, in a worker (untimed)."""
        info = self.evaluator
        if not info or info["status"] != "ok":
            self.notes.append("imm answers not evaluated: cynetdiff missing")
            return {}
        labels = {f"s{i}": list(s) for i, s in enumerate(seed_sets)}
        saved, self.peers = self.peers, {**self.peers, "cynetdiff": info}
        try:
            row = self.peer_job("cynetdiff", {"name": "compute_marginal_gains",
                                              "parallel": False},
                                "evaluate", record, 1, {**params, "seed_sets": labels})
        finally:
            self.peers = saved
        if not row.get("ok"):
            self.notes.append(f"imm evaluation failed on {record['name']}: {row.get('error')}")
            return {}
        return {tuple(labels[k]): v for k, v in row["result"]["evaluations"].items()}

    # ---------------------------------------------------------------- summary
    def versions(self, install_log) -> dict:
        out = {}
        installs = {}
        if install_log and os.path.exists(install_log):
            with open(install_log, encoding="utf-8") as f:
                installs = json.load(f)
        for peer, info in self.peers.items():
            for dist, version in (info.get("versions") or {}).items():
                entry = out.setdefault(dist, {})
                if version and not entry.get("version"):
                    entry.update(version=version, python=info.get("python"))
        for peer, info in self.peers.items():
            if info["status"] != "ok":
                out.setdefault(peer, {}).setdefault("status", "not installed")
        for dist, status in installs.items():
            if status != "ok":
                out.setdefault(dist, {})["status"] = f"install failed: {status}"
        clout_version = "not built"
        if os.path.exists(self.args.clout):
            done = subprocess.run([self.args.clout, "--version"], capture_output=True, text=True)
            clout_version = done.stdout.strip() or f"built (no --version: exit {done.returncode})"
        out["clout"] = {"version": clout_version, "python": None}
        return out

    def machinery_problems(self, groups) -> list:
        """What --smoke fails on: crashed or erroring peer jobs, broken checks, peers that
        disagree with the reference (on karate that means a conversion bug in the harness)."""
        problems = []
        for g in groups:
            where = f"{g['op']}/{g['dataset']}/T={g['threads']}"
            if g.get("check_error"):
                problems.append(f"{where}: check failed: {g['check_error']}")
            for r in g["peers"]:
                if r.get("status") in ("error", "crashed"):
                    problems.append(f"{where}: {r['peer']} ({r['method']}): {r.get('error')}")
                check = r.get("check") or {}
                if g["op"] == "betweenness_approx" and check.get("agree") is False:
                    # A sampled answer may miss its bound with probability delta; only a gross
                    # miss (a wrong scale factor, say) is a harness problem.
                    if check.get("max_abs_diff", 0) <= 3 * check.get("bound", 0):
                        continue
                if check.get("agree") is False:
                    problems.append(f"{where}: {r['peer']} ({r['method']}) disagrees: "
                                    f"{r['check']['detail']}")
        return problems


def _bandwidth_line(stdout: str):
    for line in reversed(stdout.splitlines()):
        if line.startswith('{"bench":"bandwidth"'):
            return json.loads(line)
    return None


STANDALONE_MANIFEST = """[package]
name = "clout-bandwidth-probe"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
rayon = "1.11"
[[bin]]
name = "bandwidth"
path = "{source}"
[profile.release]
codegen-units = 4
lto = "thin"
"""


def measure_bandwidth(args, threads, workdir) -> dict:
    """`cargo bench --bench bandwidth`, its JSON line. If the workspace does not build (the
    bench is part of the root package, so a broken CLI breaks it), the same source file is
    built as a standalone crate (rayon only) in the scratch directory, and that is recorded."""
    env = dict(os.environ, CLOUT_BANDWIDTH_GIB=str(args.bandwidth_gib),
               CLOUT_BANDWIDTH_THREADS=",".join(str(t) for t in threads))
    try:
        done = subprocess.run(["cargo", "bench", "--bench", "bandwidth"], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.SubprocessError) as error:
        return {"error": str(error)}
    parsed = _bandwidth_line(done.stdout)
    if parsed:
        parsed["how"] = "cargo bench --bench bandwidth"
        return parsed
    first_error = next((line for line in done.stderr.splitlines() if line.startswith("error")),
                       f"exit {done.returncode}")
    probe = os.path.join(workdir, "bandwidth-probe")
    os.makedirs(probe, exist_ok=True)
    with open(os.path.join(probe, "Cargo.toml"), "w", encoding="utf-8") as f:
        f.write(STANDALONE_MANIFEST.format(source=os.path.join(REPO, "benches", "bandwidth.rs")))
    try:
        run = subprocess.run(["cargo", "run", "--release", "--quiet"], cwd=probe, env=env,
                             capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.SubprocessError) as error:
        return {"error": f"cargo bench failed ({first_error}); standalone: {error}"}
    parsed = _bandwidth_line(run.stdout)
    if parsed:
        parsed["how"] = ("benches/bandwidth.rs built standalone (rayon only) because "
                         f"`cargo bench` failed: {first_error[:160]}")
        return parsed
    return {"error": f"cargo bench failed ({first_error}); standalone build failed too: "
                     f"{run.stderr.strip()[-200:]}"}
