"""Every invocation of the `clout` binary lives here (standard library only).

When a flag changes in the CLI, this is the only file to touch.

  load                clout ingest TEXT -o SNAP --edges influence|--undirected --self-loops keep
                           --json --threads T
  pagerank            clout rank SNAP(follows) --by pagerank --damping A --tol pr_tol/N
                           --max-iter M -o OUT.json --threads T
  betweenness         clout rank SNAP --by betweenness -o OUT.json --threads T
  betweenness_approx  clout rank SNAP --by betweenness --epsilon E --delta D --seed S -o OUT.json
  ic                  clout simulate SNAP --model ic --prob uniform:P --seeds a,b,.. --trials N
                           --seed S --no-awareness --json --threads T
  imm                 clout select SNAP -k K --model ic --method imm --prob uniform:P|wc
                           --epsilon E --seed S --trials 0 --json --threads T

Graph conventions, so that clout computes exactly what the peers compute:
- The peers read a directed line `A B` as the arc A -> B and run IC along it, so the snapshot
  for load / IC / IM is ingested with `--edges influence` (stored arc A -> B).
- `clout rank --by pagerank` "equals networkx.pagerank on the file read as DiGraph(A -> B)"
  when the file is read as `--edges follows` (its default); on an `--edges influence`
  snapshot it ranks the reversed graph (checked on wiki-Vote: top node 11 instead of NetworkX's
  4037). PageRank therefore uses a second snapshot ingested with `--edges follows`.
  Betweenness does not depend on the direction of every arc at once (reversal maps each
  shortest s-t path to a t-s path), so it uses the influence snapshot.
- `--self-loops keep`: the peers keep self-loops (Slashdot has 78,303), and they change
  PageRank's out-degrees; clout's default drops them.
- PageRank tolerance: clout uses NetworkX's rule (L1 change < N * tol), so it gets pr_tol / N.
- Influence maximization with `--im-prob wc`: `--prob wc` is p(u, v) = 1 / in-degree(v) on the
  influence snapshot's arcs, self-loops counted (checked: on `0 1`, `1 1`, `2 1`, `1 3` read
  with `--edges influence --self-loops keep`, seed 0 reaches 1 + 2 x 1/3 = 1.667 nodes, not 2;
  undirected, a self-loop is one arc). The peers get the same numbers per arc from
  `Context.im_arcs_and_probs` (peers/common.py).

Timing: clout reports its own kernel seconds (`rank -o X.json`: kernels[].seconds; `ingest
--json`: `seconds - write_seconds`, i.e. without writing the snapshot, which peers do not
do; `simulate --json` / `select --json`: `seconds`, the simulation or selection alone). Those are the operation times in the table; the process wall time (start-up, snapshot
mapping, output writing) is kept beside them in results.json.

`available()` asks `clout help CMD` (clap exits non-zero for an unknown subcommand).
"""

from __future__ import annotations

import json
import os

SUBCOMMAND = {
    "load": "ingest",
    "pagerank": "rank",
    "betweenness": "rank",
    "betweenness_approx": "rank",
    "ic": "simulate",
    "imm": "select",
}

_available_cache: dict = {}


def available(binary: str, op: str) -> tuple[bool, str]:
    """(True, "") if `clout` has the subcommand for `op`, else (False, reason)."""
    from proc import run_measured

    if op not in SUBCOMMAND:
        return False, f"no clout mapping for {op}"
    if not binary or not os.path.exists(binary):
        return False, "clout binary not built"
    command = SUBCOMMAND[op]
    key = (binary, command)
    if key not in _available_cache:
        probe = run_measured([binary, "help", command], timeout=30)
        ok = probe.returncode == 0
        _available_cache[key] = (ok, "" if ok else f"`clout {command}` not available yet")
    return _available_cache[key]


def reading_for(op: str) -> str:
    """Which snapshot an operation needs: "follows" for PageRank, else "influence"."""
    return "follows" if op == "pagerank" else "influence"


def snapshot_path(workdir: str, dataset: dict, reading: str) -> str:
    return os.path.join(workdir, f"{dataset['name']}.{reading}.clout")


def ingest_argv(binary: str, dataset: dict, threads: int, out: str,
                reading: str = "influence") -> list:
    argv = [binary, "ingest", dataset["variants"]["text"], "-o", out]
    argv += ["--undirected"] if not dataset["directed"] else ["--edges", reading]
    return argv + ["--self-loops", "keep", "--json", "--threads", str(threads)]


def op_argv(binary: str, op: str, snapshot: str, params: dict, threads: int, out_file: str,
            nodes: int) -> list:
    """The command for one repetition of `op` (not `load`); `nodes` is the graph's N."""
    t = ["--threads", str(threads)]
    if op == "pagerank":
        return [binary, "rank", snapshot, "--by", "pagerank", "--damping", str(params["alpha"]),
                "--tol", repr(params["pr_tol"] / nodes), "--max-iter",
                str(params["pr_max_iter"]), "-o", out_file] + t
    if op == "betweenness":
        return [binary, "rank", snapshot, "--by", "betweenness", "-o", out_file] + t
    if op == "betweenness_approx":
        return [binary, "rank", snapshot, "--by", "betweenness", "--epsilon",
                str(params["bc_epsilon"]), "--delta", str(params["bc_delta"]), "--seed",
                str(params["seed"]), "-o", out_file] + t
    if op == "ic":
        # Same IC as the peers: uniform p on the influence snapshot (arc A -> B for a line
        # `A B`), the same original-id seeds and trial count. --json prints the result on stdout
        # (spread_mean, spread_std, trials, seconds = the simulation alone, without loading).
        # --no-awareness: the peers compute spread only; clout's awareness metric would read
        # every out-arc of every active node, which geometric jumps otherwise skip (with it,
        # clout is 1.1-5x the peers' speed instead; see `clout help simulate`).
        return [binary, "simulate", snapshot, "--model", "ic", "--prob",
                f"uniform:{params['ic_p']}", "--seeds", ",".join(map(str, params["seeds"])),
                "--trials", str(params["ic_trials"]), "--seed", str(params["seed"]),
                "--no-awareness", "--json"] + t
    if op == "imm":  # IMM with pynetim's defaults (delta = 1/n, i.e. l = 1); the harness
        # judges the seed set with its own evaluator, so clout's re-estimation is off.
        prob = "wc" if params.get("im_prob") == "wc" else f"uniform:{params['ic_p']}"
        return [binary, "select", snapshot, "-k", str(params["im_k"]), "--model", "ic",
                "--method", "imm", "--prob", prob, "--epsilon",
                str(params["im_epsilon"]), "--seed", str(params["seed"]), "--trials", "0",
                "--json"] + t
    raise KeyError(op)


def out_file_for(op: str, base: str) -> str:
    return base + ".json"


def parse_ingest(stdout: str) -> dict:
    """Counts and timings from `clout ingest --json`."""
    data = json.loads(stdout)
    total = data.get("seconds")
    # Without writing the snapshot (peers build an in-memory graph and write nothing).
    seconds = max(0.0, total - data.get("write_seconds", 0.0)) if total is not None else None
    return {"nodes": int(data["nodes"]), "edges": int(data["edges"]),
            "self_loops_dropped": data.get("self_loops_dropped"),
            "duplicates_merged": data.get("duplicates_merged"),
            "op_seconds": seconds or data.get("seconds"),
            "total_seconds_incl_write": data.get("seconds")}


def parse_rank(out_file: str, score: str) -> dict:
    """Scores keyed by original id, kernel seconds and the kernel's own detail line."""
    with open(out_file, encoding="utf-8") as f:
        data = json.load(f)
    ids = [str(row["id"]) for row in data["rows"]]
    scores = [float(row[score]) for row in data["rows"]]
    kernel = next((k for k in data.get("kernels", []) if k.get("score") == score), {})
    return {"ids": ids, "scores": scores, "op_seconds": kernel.get("seconds"),
            "detail": kernel.get("detail", "")}


def parse_spread(stdout: str) -> dict:
    """`clout simulate --json`: mean total reach (seeds included, as the peers count it), the
    per-trial standard deviation, trials, the simulation's own seconds and its throughput."""
    data = json.loads(stdout)
    seconds = data["seconds"]
    arcs = data.get("arcs_examined")
    detail = (f"{data['trials'] / seconds:.0f} trials/s, {arcs / seconds / 1e6:.0f} M edges "
              f"examined/s ({seconds * 1e9 / arcs:.2f} ns each)") if arcs and seconds else ""
    return {"spread_mean": float(data["spread_mean"]), "spread_std": float(data["spread_std"]),
            "trials": int(data["trials"]), "op_seconds": seconds, "detail": detail}


def parse_seeds(stdout: str) -> dict:
    """Seeds (original ids), selection seconds, RR-set counts and RR memory from `clout select
    --json` (selection.sampling). `rr_sets`: the sets the final greedy ran on plus validation
    sets (the count comparable with pynetim's); `rr_sets_drawn`: every set sampled (IMM's
    selection sample extends the estimation prefix of the same sequence, so max(...));
    `rr_peak_bytes`: clout's own peak of RR sets plus their index."""
    data = json.loads(stdout)
    out = {"seeds": [str(s) for s in data.get("seeds", [])], "op_seconds": data.get("seconds"),
           "im_prob": data.get("prob")}
    sampling = (data.get("selection") or {}).get("sampling")
    if sampling:
        drawn = max(sampling["estimation_sets"], sampling["selection_sets"]) + \
            sampling["validation_sets"]
        out.update(rr_sets=sampling["selection_sets"] + sampling["validation_sets"],
                   rr_sets_drawn=drawn, rr_peak_bytes=sampling["peak_bytes"])
        out["detail"] = (f"{drawn:,} RR sets drawn ({sampling['estimation_sets']:,} in "
                         f"{sampling.get('rounds', '?')} estimation round(s), final sample "
                         f"{sampling['selection_sets']:,}), peak RR memory "
                         f"{sampling['peak_bytes'] / 2**20:.1f} MiB")
    return out
