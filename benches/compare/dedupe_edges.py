"""Removes duplicate lines from a generated integer edge list, keeping first occurrences in order.

`clout generate rmat -o F.txt` writes every drawn arc, duplicates included (scale 20, edge
factor 16: 16,777,216 lines, of which NetworKit and clout keep 16,085,359 distinct arcs while
igraph and rustworkx keep all). Peers that merge duplicates and peers that keep them would then
compute on different graphs, so the harness hands every reader the same simple graph.
Self-loops are kept, as for the SNAP files. Leading `#` lines are dropped.

Usage: python dedupe_edges.py IN OUT   (prints one JSON line of counts; needs numpy)
"""

from __future__ import annotations

import json
import sys
import warnings

import numpy as np

from gen_rmat import format_lines

CHUNK = 1 << 22


def main() -> int:
    source, target = sys.argv[1], sys.argv[2]
    with open(source, "rb") as f:
        data = f.read()
    start = 0
    while data.startswith(b"#", start):
        start = data.index(b"\n", start) + 1
    if b"#" in data[start:]:
        raise SystemExit(f"{source}: comment lines after the header are not supported")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fromstring(sep=...) is fast
        arcs = np.fromstring(data[start:], dtype=np.int64, sep=" ").reshape(-1, 2)
    del data
    key = (arcs[:, 0] << 32) | arcs[:, 1]
    _, first = np.unique(key, return_index=True)
    del key
    first.sort()
    kept = arcs[first]
    with open(target, "wb") as out:
        for offset in range(0, len(kept), CHUNK):
            block = kept[offset:offset + CHUNK]
            out.write(format_lines(block[:, 0], block[:, 1]))
    print(json.dumps({"lines": int(len(arcs)), "distinct": int(len(kept)),
                      "self_loops": int(np.count_nonzero(kept[:, 0] == kept[:, 1]))}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
