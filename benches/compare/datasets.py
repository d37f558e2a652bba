"""Input graphs for the comparison and their per-reader variants (standard library only).

Real graphs come from the shared datasets folder (env CLOUT_DATASETS overrides
`../shared/datasets` relative to the repository); see its README for provenance. Synthetic
R-MAT graphs come from `clout generate` (or, with --rmat-fallback, from gen_rmat.py); they are
labelled synthetic everywhere. Custom edge lists:
`--edge-list NAME=PATH[:undirected][:zero-based=N][:synthetic][:label=TEXT]`.

Every variant is written once into the run's scratch directory (under /tmp, never the repo):
  text       what peers and clout read: decompressed if gzipped, cut to the first two columns
             if there are more (soc-sign-epinions carries a sign); comments and CRLF kept
  nocomment  original ids, two columns, no comments, LF, space separated (igraph Read_Ncol)
  dense      0-based ids in order of first appearance, plus dense_ids (igraph Read_Edgelist,
             rustworkx index mode, pynetim, cynetdiff, NDlib). A 0-based comment-free file is
             its own dense variant (id count = largest id + 1).
"""

from __future__ import annotations

import gzip
import os
import shutil
from dataclasses import dataclass, field
from typing import Optional

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def datasets_root() -> str:
    return os.environ.get("CLOUT_DATASETS") or os.path.normpath(
        os.path.join(REPO, "..", "shared", "datasets"))


@dataclass
class Spec:
    name: str
    label: str
    directed: bool
    sep: str = "\t"
    path: Optional[str] = None           # relative to the datasets root, or absolute
    expected: Optional[tuple] = None      # (nodes, edges) as published / recounted
    comments: bool = True
    extra_columns: bool = False
    zero_based: bool = False              # ids 0..n-1, every one used or counted
    index_count: Optional[int] = None     # ids a 0-based reader creates (largest id + 1)
    synthetic: bool = False
    generate: Optional[tuple] = None      # ("rmat", scale, edge_factor)
    notes: list = field(default_factory=list)


REGISTRY = {
    # The three small graphs are shipped in the repository's datasets/ (the smoke run in CI needs
    # nothing else); the larger ones are read from the shared folder.
    "karate": Spec("karate", "Zachary karate club", False, "\t",
                   os.path.join(REPO, "datasets", "karate", "karate.edges"), (34, 78)),
    "ego-facebook": Spec("ego-facebook", "SNAP ego-Facebook", False, " ",
                         os.path.join(REPO, "datasets", "ego-facebook", "facebook_combined.txt"), (4039, 88234), comments=False,
                         zero_based=True, index_count=4039),
    "wiki-vote": Spec("wiki-vote", "SNAP wiki-Vote", True, "\t", os.path.join(REPO, "datasets", "wiki-vote", "Wiki-Vote.txt"),
                      (7115, 103689)),
    "slashdot": Spec("slashdot", "SNAP soc-Slashdot0902", True, "\t",
                     "slashdot/soc-Slashdot0902.txt.gz", (82168, 948464)),
    "epinions": Spec("epinions", "SNAP soc-sign-epinions (first two columns)", True, "\t",
                     "sign-epinions/soc-sign-epinions.txt.gz", (131828, 841372),
                     extra_columns=True),
    "higgs-retweet": Spec("higgs-retweet", "SNAP Higgs Twitter retweet graph (first two columns)",
                          True, " ", "higgs-twitter/higgs-retweet_network.edgelist.gz",
                          (256491, 328132), comments=False, extra_columns=True),
    "rmat20": Spec("rmat20", "synthetic R-MAT scale 20, edge factor 16, seed 1", True,
                   synthetic=True, generate=("rmat", 20, 16)),
    "rmat22": Spec("rmat22", "synthetic R-MAT scale 22, edge factor 16, seed 1", True,
                   synthetic=True, generate=("rmat", 22, 16)),
}


def parse_custom(text: str) -> Spec:
    """NAME=PATH[:undirected][:zero-based=N][:synthetic][:label=TEXT]: directed unless told,
    tab or space separated, no comment lines."""
    name, _, rest = text.partition("=")
    parts = rest.split(":")
    spec = Spec(name, f"{name} ({os.path.basename(parts[0])})", True, " ", parts[0],
                comments=False)
    for flag in parts[1:]:
        if flag == "undirected":
            spec.directed = False
        elif flag.startswith("zero-based="):
            spec.zero_based = True
            spec.index_count = int(flag.split("=", 1)[1])
        elif flag == "synthetic":
            spec.synthetic = True
        elif flag.startswith("label="):
            spec.label = flag.split("=", 1)[1]
    spec.sep = _sniff_sep(spec.path)
    return spec


def _sniff_sep(path: str) -> str:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                return "\t" if "\t" in line else " "
    return " "


def _resolve(spec: Spec) -> str:
    return spec.path if os.path.isabs(spec.path) else os.path.join(datasets_root(), spec.path)


def _make_text(spec: Spec, source: str, workdir: str) -> str:
    """Decompress and/or cut to two columns; keep comments and line endings."""
    if not source.endswith(".gz") and not spec.extra_columns:
        return source
    target = os.path.join(workdir, f"{spec.name}.txt")
    opener = gzip.open if source.endswith(".gz") else open
    with opener(source, "rb") as src, open(target, "wb") as dst:
        if not spec.extra_columns:
            shutil.copyfileobj(src, dst, 1 << 20)
            return target
        sep = spec.sep.encode()
        for line in src:
            if line.startswith(b"#"):
                dst.write(line)
                continue
            ending = b"\r\n" if line.endswith(b"\r\n") else (b"\n" if line.endswith(b"\n") else b"")
            fields = line.rstrip(b"\r\n").split(sep)
            dst.write(sep.join(fields[:2]) + ending)
    return target


def _make_plain_and_dense(spec: Spec, text: str, workdir: str) -> dict:
    nocomment = os.path.join(workdir, f"{spec.name}.nocomment.txt")
    dense = os.path.join(workdir, f"{spec.name}.dense.txt")
    ids_path = os.path.join(workdir, f"{spec.name}.dense_ids.txt")
    position: dict = {}
    order: list = []
    arcs = 0
    with open(text, "rb") as src, open(nocomment, "wb") as plain, open(dense, "wb") as dn:
        for line in src:
            if line.startswith(b"#"):
                continue
            fields = line.split()
            if len(fields) < 2:
                continue
            u, v = fields[0], fields[1]
            arcs += 1
            plain.write(u + b" " + v + b"\n")
            for x in (u, v):
                if x not in position:
                    position[x] = len(order)
                    order.append(x)
            dn.write(b"%d %d\n" % (position[u], position[v]))
    with open(ids_path, "wb") as f:
        f.write(b"\n".join(order) + b"\n")
    return {"nocomment": nocomment, "dense": dense, "dense_ids": ids_path,
            "dense_node_count": len(order), "arcs": arcs}


def prepare(spec: Spec, workdir: str, text_path: Optional[str] = None) -> dict:
    """The dataset record handed to workers (JSON-able)."""
    source = text_path or _resolve(spec)
    text = _make_text(spec, source, workdir)
    record = {"name": spec.name, "label": spec.label, "directed": spec.directed,
              "sep": spec.sep, "source": source, "synthetic": spec.synthetic,
              "expected": list(spec.expected) if spec.expected else None,
              "zero_based": spec.zero_based, "notes": list(spec.notes),
              "variants": {"text": text}}
    if spec.zero_based and not spec.comments:
        record["variants"].update({"nocomment": text, "dense": text})
        record["dense_node_count"] = spec.index_count
    else:
        extra = _make_plain_and_dense(spec, text, workdir)
        record["dense_node_count"] = extra.pop("dense_node_count")
        # Recounted from the file (distinct ids, data lines): the load check for inputs without
        # published counts. A multigraph file (duplicate lines) makes simple-graph readers differ.
        record["counted"] = [record["dense_node_count"], extra.pop("arcs")]
        record["variants"].update(extra)
    return record


def top_degree_seeds(record: dict, count: int) -> list:
    """The `count` nodes of highest out-degree (degree if undirected), ties by smaller dense id;
    returned as original ids. Deterministic and independent of any library's RNG."""
    n = record["dense_node_count"]
    degree = [0] * n
    with open(record["variants"]["dense"], "rb") as f:
        for line in f:
            fields = line.split()
            if len(fields) < 2:
                continue
            u, v = int(fields[0]), int(fields[1])
            degree[u] += 1
            if not record["directed"]:
                degree[v] += 1
    best = sorted(range(n), key=lambda i: (-degree[i], i))[:count]
    ids_path = record["variants"].get("dense_ids")
    if ids_path:
        with open(ids_path, encoding="ascii") as f:
            original = f.read().split()
        return [original[i] for i in best]
    return [str(i) for i in best]
