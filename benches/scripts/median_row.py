"""One BENCHMARKS.md row from the JSON documents of repeated `clout simulate|select --json` runs
(one per line on stdin): the run with the median time, and every run's time."""

import json
import sys


def main() -> None:
    label = sys.argv[1]
    docs = [json.loads(line) for line in sys.stdin if line.strip()]
    docs.sort(key=lambda d: d["seconds"])
    d = docs[len(docs) // 2]
    times = [round(x["seconds"], 3) for x in docs]
    if "arcs_examined" in d:
        rate = d["trials"] / d["seconds"]
        edges = d["arcs_examined"] / d["seconds"] / 1e6
        print(f"{label}: {d['seconds']:.3f} s (runs {times}), {rate:.0f} trials/s, "
              f"{edges:.0f} M edges examined/s, spread {d['spread_mean']:.1f}")
    else:
        sel = d["selection"]
        sampling = sel["sampling"]
        sets = sum(sampling[k] for k in ("estimation_sets", "selection_sets", "validation_sets"))
        post = sel["guarantee"].get("a_posteriori")
        ratio = f", measured ratio {post['ratio']:.3f}" if post else ""
        print(f"{label}: {d['seconds']:.3f} s (runs {times}), {sets} RR sets, "
              f"peak RR memory {sampling['peak_bytes'] / 2**20:.1f} MiB, "
              f"estimate {sel['estimate']:.1f}{ratio}")


if __name__ == "__main__":
    main()
