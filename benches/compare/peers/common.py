"""Worker-side plumbing shared by the peer modules (standard library only).

A peer module lists `Method`s. The worker calls `method.setup(ctx)` (untimed: import, load the
graph, build the model), then times `prepared.run()` once per repetition, then calls
`prepared.finish(last_output)` (untimed) to turn the answer into a JSON-able dict: node and edge
counts for `load`, a scores file keyed by ORIGINAL node id for the centralities, a spread for
IC, a seed set for influence maximization.

Dataset variants (prepared once by the orchestrator, see `datasets.py`):
  text       the input as peers read it: decompressed, only the first two columns, comments
             and line endings as in the original
  nocomment  original ids, two columns, no comments, "\n" endings, space separated
  dense      0-based dense ids (order of first appearance), no comments, space separated,
             with `dense_ids` (one original id per line, line i = dense id i)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Optional


@dataclass
class Prepared:
    """What `Method.setup` returns."""

    run: Callable[[], Any]                 # the timed operation
    finish: Callable[[Any], dict]          # untimed: answer -> result dict
    between_reps: Optional[Callable[[], None]] = None  # untimed cleanup between repetitions
    warmup: Optional[Callable[[], None]] = None  # untimed, once before the first repetition
    # When a very slow peer runs only part of the work (e.g. 500 of 10,000 trials), the
    # measured seconds are multiplied by this and the result is marked extrapolated.
    time_scale: float = 1.0


@dataclass
class Method:
    """One way a peer performs one operation (one table row)."""

    op: str
    name: str
    setup: Callable[["Context"], Prepared]
    parallel: bool = False          # honours the thread count
    notes: str = ""
    # Returns a reason to skip this dataset, or None.
    skip: Callable[[dict], Optional[str]] = field(default=lambda dataset: None)
    # Returns a reason to skip under these operation parameters (e.g. --celf-trials 0), or None.
    skip_params: Callable[[dict], Optional[str]] = field(default=lambda params: None)


@dataclass
class Context:
    """Everything a method may need, deserialised from the job file."""

    dataset: dict
    params: dict
    threads: int
    scores_path: str
    notes: list = field(default_factory=list)

    @property
    def directed(self) -> bool:
        return bool(self.dataset["directed"])

    def variant(self, name: str) -> str:
        return self.dataset["variants"][name]

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def dense_ids(self) -> list[str]:
        """Original id (as a string) of each dense id."""
        ids_path = self.dataset["variants"].get("dense_ids")
        if ids_path is None:  # the file itself is 0-based: dense id == original id
            count = self.dataset["dense_node_count"]
            return [str(i) for i in range(count)]
        with open(ids_path, encoding="ascii") as f:
            return f.read().split()

    def dense_edges(self) -> tuple[int, list[tuple[int, int]]]:
        """(node count, arcs as (u, v) dense-id pairs), read from the dense variant."""
        edges = []
        with open(self.variant("dense"), "rb") as f:
            for line in f:
                parts = line.split()
                edges.append((int(parts[0]), int(parts[1])))
        return len(self.dense_ids()), edges

    def influence_arcs(self) -> tuple[int, list[tuple[int, int]]]:
        """(node count, distinct influence arcs) for `--im-prob wc`, i.e. the arcs of clout's
        influence snapshot (`ingest --edges influence|--undirected --self-loops keep`): a dense
        line `u v` is the arc u -> v (directed) or the two arcs u -> v and v -> u (undirected;
        a self-loop is ONE arc, as clout stores it); duplicate arcs merged, keeping first
        occurrences in order (clout's ingest merges them; the four real graphs have none and
        the R-MAT inputs are deduplicated before anyone reads them); self-loops kept."""
        n, lines = self.dense_edges()
        if self.directed:
            arcs = lines
        else:
            arcs = [a for u, v in lines for a in (((u, v),) if u == v else ((u, v), (v, u)))]
        return n, list(dict.fromkeys(arcs))

    def im_arcs_and_probs(self) -> tuple[int, list[tuple[int, int]], list[float]]:
        """(n, arcs, per-arc probabilities) of the influence-maximization graph under
        params["im_prob"] == "wc": weighted cascade p(u, v) = 1 / in-degree(v), the in-degree
        counted on exactly these arcs (self-loops included, duplicates merged), which is what
        `clout select --prob wc` computes (checked on a 4-node graph with a self-loop)."""
        n, arcs = self.influence_arcs()
        return n, arcs, weighted_cascade(n, arcs)

    def seeds_dense(self, key: str = "seeds") -> list[int]:
        """The op's seed set (original ids in params) translated to dense ids."""
        position = {orig: i for i, orig in enumerate(self.dense_ids())}
        return [position[s] for s in self.params[key]]

    def tiny_file(self, variant: str) -> str:
        """A 3-node file in the format of `variant`, for an untimed warm-up call (readers do
        one-time initialisation on their first call: igraph's first Read_Edgelist takes
        ~150 ms even on 3 edges)."""
        sep = self.dataset["sep"] if variant == "text" else " "
        body = f"0{sep}1\n1{sep}2\n"
        if variant == "text" and not self.dataset.get("zero_based"):
            body = "# warm-up\n" + body
        path = f"{self.scores_path}.warmup-{variant}.txt"
        with open(path, "w", encoding="ascii") as f:
            f.write(body)
        return path

    def write_scores(self, ids: list, scores: list) -> dict:
        """Write a score vector keyed by original id; returns the result fields for it."""
        if len(ids) != len(scores):
            raise ValueError(f"{len(ids)} ids but {len(scores)} scores")
        with open(self.scores_path, "w", encoding="utf-8") as f:
            json.dump({"ids": [str(i) for i in ids], "scores": [float(s) for s in scores]}, f)
        return {"scores_file": self.scores_path, "scored_nodes": len(ids)}


def weighted_cascade(n: int, arcs: list) -> list[float]:
    """p(u, v) = 1 / in-degree(v) for every arc u -> v of `arcs` (Kempe et al. 2003)."""
    in_degree = [0] * n
    for _, v in arcs:
        in_degree[v] += 1
    return [1.0 / in_degree[v] for _, v in arcs]


def im_prob(params: dict) -> str:
    """The edge probabilities of the `imm` operation: "uniform" (ic_p on every arc, the
    default) or "wc" (weighted cascade)."""
    return params.get("im_prob") or "uniform"


def counts(nodes: int, edges: int, **extra: Any) -> dict:
    """Result of a `load`: node and edge counts (cross-checked by the orchestrator)."""
    return {"nodes": int(nodes), "edges": int(edges), **extra}


def pagerank_bound(params: dict) -> str:
    return f"L1 change < {params['pr_tol']:g}"
