"""``python -m bench.intel``: latency of the category suggestion (intel.classifier.suggest) per
matter on one core, over the first N messages of the hotspot file, with the model already loaded;
and, as the baseline measured in the same run, the prediction alone (no reasons)."""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import sys
from pathlib import Path
from time import perf_counter

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "teddy2020" / "hotspot_messages.csv"


def _pcts(ms: list[float]) -> str:
    ms = sorted(ms)
    return f"p50 {ms[len(ms) // 2]:.2f} ms  p95 {ms[int(len(ms) * 0.95)]:.2f} ms  max {ms[-1]:.1f} ms"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.intel")
    p.add_argument("--data", type=Path, default=DATA)
    p.add_argument("-n", type=int, default=1000)
    args = p.parse_args(argv)
    if not args.data.is_file():
        print(f"bench.intel: {args.data} not found (pass --data)", file=sys.stderr)
        return 1
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    from intel import classifier

    t0 = perf_counter()
    classifier.load_model()
    classifier.suggest("预热", "加载分词词典")
    print(f"model load + first call: {perf_counter() - t0:.2f} s")
    with args.data.open(encoding="utf-8") as f:
        rows = [(r.get("subject", ""), r["text"]) for r in itertools.islice(csv.DictReader(f), args.n)]
    timings: dict[str, list[float]] = {"suggest (top 3 + reasons)": [], "baseline: predict only": []}
    for subject, text in rows:
        t = perf_counter()
        classifier.suggest(subject, text)
        timings["suggest (top 3 + reasons)"].append((perf_counter() - t) * 1000)
        t = perf_counter()
        classifier.predict([subject], [text])
        timings["baseline: predict only"].append((perf_counter() - t) * 1000)
    for name, ms in timings.items():
        print(f"{name:28} n={len(ms)}  {_pcts(ms)}")
    ratio = sorted(timings["suggest (top 3 + reasons)"])[len(rows) // 2] / sorted(timings["baseline: predict only"])[len(rows) // 2]
    print(f"p50 ratio suggest / predict-only: {ratio:.2f}x (goal: suggest p50 < 5 ms on one core)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
