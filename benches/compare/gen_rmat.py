"""Fallback R-MAT edge-list generator (numpy), used only when `clout generate` is missing.

Writes `2^scale * edge_factor` arcs as a text edge list ("u v\n", 0-based ids, no header),
drawn with the Graph500 R-MAT recursion (a, b, c; d = 1 - a - b - c) and a random relabelling
of the ids (so id order carries no degree information). Duplicates and self-loops are kept,
as they are in a raw Graph500 arc list. The output is labelled synthetic by its name.

It is not bit-compatible with `clout generate rmat` (different random streams); the harness
labels its datasets "synthetic (numpy fallback)" so the two are never confused.

Usage: python gen_rmat.py --scale 22 --edge-factor 12 --seed 1 -o /tmp/rmat22_ef12.txt
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

CHUNK = 1 << 22  # arcs per chunk: bounded memory whatever the scale


def rmat_chunk(rng: np.random.Generator, count: int, scale: int, a: float, b: float,
               c: float) -> tuple[np.ndarray, np.ndarray]:
    """Draw `count` arcs: at each of `scale` levels pick a quadrant with probabilities a,b,c,d."""
    src = np.zeros(count, dtype=np.int64)
    dst = np.zeros(count, dtype=np.int64)
    ab = a + b
    abc = a + b + c
    for _ in range(scale):
        r = rng.random(count)
        src_bit = r >= ab                           # quadrants c and d: lower half
        dst_bit = ((r >= a) & (r < ab)) | (r >= abc)  # quadrants b and d: right half
        src = (src << 1) | src_bit
        dst = (dst << 1) | dst_bit
    return src, dst


def format_lines(src: np.ndarray, dst: np.ndarray) -> bytes:
    """Vectorised "u v\\n" formatting (np.savetxt is ~20x slower)."""
    width = 10  # enough for ids < 2^32
    out_cols = []
    for column, terminator in ((src, ord(" ")), (dst, ord("\n"))):
        digits = np.zeros((column.size, width), dtype=np.uint8)
        value = column.copy()
        for position in range(width - 1, -1, -1):
            digits[:, position] = (value % 10) + ord("0")
            value //= 10
        n_digits = np.maximum(1, np.floor(np.log10(np.maximum(column, 1))).astype(np.int64) + 1)
        keep = np.arange(width)[None, :] >= (width - n_digits)[:, None]
        block = np.concatenate([digits, np.full((column.size, 1), terminator, np.uint8)], axis=1)
        keep = np.concatenate([keep, np.ones((column.size, 1), bool)], axis=1)
        out_cols.append((block, keep))
    block = np.concatenate([out_cols[0][0], out_cols[1][0]], axis=1)
    keep = np.concatenate([out_cols[0][1], out_cols[1][1]], axis=1)
    return block[keep].tobytes()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--edge-factor", type=int, default=16)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-a", type=float, default=0.57)
    parser.add_argument("-b", type=float, default=0.19)
    parser.add_argument("-c", type=float, default=0.19)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    nodes = 1 << args.scale
    arcs = nodes * args.edge_factor
    rng = np.random.default_rng(args.seed)
    permutation = rng.permutation(nodes)
    started = time.perf_counter()
    with open(args.output, "wb") as out:
        done = 0
        while done < arcs:
            count = min(CHUNK, arcs - done)
            src, dst = rmat_chunk(rng, count, args.scale, args.a, args.b, args.c)
            out.write(format_lines(permutation[src], permutation[dst]))
            done += count
    print(f"gen_rmat: {arcs} arcs, {nodes} node ids, scale={args.scale} "
          f"edge_factor={args.edge_factor} a={args.a} b={args.b} c={args.c} seed={args.seed} "
          f"-> {args.output} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
