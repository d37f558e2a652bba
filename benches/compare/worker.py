"""Runs ONE (peer, method, operation, dataset, threads) job in its own process.

Usage: python worker.py JOB.json   (written by compare.py; the result goes to job["out"])

Setup (imports, graph loading for non-load operations, model building) and an optional
warm-up call on a 3-node input (one-time library initialisation) are untimed. Only
`prepared.run()` is timed, once per repetition, with time.perf_counter. If the repetitions so
far exceed job["rep_budget_s"], the remaining ones are skipped and that is noted. Peak memory is
measured by the parent (os.wait4 on this process); this process also reports its own
ru_maxrss and the RSS after setup so the operation's own growth can be read off.

Exit status: 0 when a result file was written (even if the peer raised: the error is in the
file), 2 when the job itself could not be read.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import resource
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from peers.common import Context  # noqa: E402


def current_rss_kib() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def find_method(module, op: str, name: str):
    for method in module.METHODS:
        if method.op == op and method.name == name:
            return method
    raise LookupError(f"{module.__name__} has no method {name!r} for {op!r}")


def run_job(job: dict) -> dict:
    result = {"peer": job["peer"], "method": job["method"], "op": job["op"],
              "dataset": job["dataset"]["name"], "threads": job["threads"], "times": [],
              "notes": [], "error": None}
    ctx = Context(dataset=job["dataset"], params=job["params"], threads=job["threads"],
                  scores_path=job["scores_out"])
    try:
        module = importlib.import_module(f"peers.{job['peer']}_peer")
        method = find_method(module, job["op"], job["method"])
        reason = method.skip(job["dataset"]) or method.skip_params(job["params"])
        if reason:
            result["skipped"] = reason
            return result
        started = time.perf_counter()
        prepared = method.setup(ctx)
        if prepared.warmup is not None:
            prepared.warmup()
        result["setup_seconds"] = time.perf_counter() - started
        result["rss_after_setup_kib"] = current_rss_kib()
        output = None
        spent = 0.0
        for rep in range(job["reps"]):
            if rep > 0:
                output = None
                if prepared.between_reps is not None:
                    prepared.between_reps()
                gc.collect()
            start = time.perf_counter()
            output = prepared.run()
            elapsed = (time.perf_counter() - start) * prepared.time_scale
            result["times"].append(elapsed)
            spent += elapsed
            if rep + 1 < job["reps"] and spent > job["rep_budget_s"]:
                ctx.note(f"stopped after {rep + 1} of {job['reps']} reps "
                         f"(over the {job['rep_budget_s']:.0f}s budget)")
                break
        result["result"] = prepared.finish(output)
        if prepared.time_scale != 1.0:
            result["extrapolated"] = prepared.time_scale
    except Exception as error:  # the peer failed: report, do not crash the harness
        result["error"] = f"{type(error).__name__}: {error}"
        result["traceback"] = traceback.format_exc(limit=8)
        if isinstance(error, ImportError):  # e.g. NetworkX's pagerank without scipy
            result["missing_dependency"] = result["error"]
    result["notes"] = ctx.notes
    result["self_maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return result


def describe(peer: str, distributions: list) -> int:
    """`worker.py --list PEER [DIST...]`: the peer's methods and versions, as JSON on stdout.
    Exit 3 (with the import error) when the library is not importable here."""
    from importlib import metadata

    versions = {}
    for dist in distributions:
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    try:
        module = importlib.import_module(f"peers.{peer}_peer")
    except Exception as error:  # ImportError, or a library that fails while importing
        print(json.dumps({"error": f"{type(error).__name__}: {error}", "versions": versions,
                          "python": sys.executable}))
        return 3
    methods = [{"op": m.op, "name": m.name, "parallel": m.parallel, "notes": m.notes}
               for m in module.METHODS]
    print(json.dumps({"methods": methods, "versions": versions, "python": sys.executable}))
    return 0


def main() -> int:
    if len(sys.argv) >= 3 and sys.argv[1] == "--list":
        return describe(sys.argv[2], sys.argv[3:])
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            job = json.load(f)
    except (IndexError, OSError, ValueError) as error:
        print(f"worker: cannot read job: {error}", file=sys.stderr)
        return 2
    result = run_job(job)
    with open(job["out"], "w", encoding="utf-8") as f:
        json.dump(result, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
