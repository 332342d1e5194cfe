"""``python -m bench.imports``: import 100,000 12345 work orders (the real Haikou rows, repeated
with fresh work-order numbers) through ``import_workorders``' service into an empty database,
print rows per second, re-import the same file (every row already present), and compare with a
baseline measured in the same run: the same rows imported one at a time (chunks of one row),
which is what a row-by-row importer through the ordinary services costs at least.

Run it through ``scripts/bench.sh`` (``make bench``), which gives it a throwaway database.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter

from .run import RESULTS, db_label, machine, say, setup

SOURCE = Path(__file__).resolve().parents[1] / "fixtures" / "haikou12345" / "cases.csv.gz"
GOAL_ROWS_PER_S = 2000


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--rows", type=int, default=100_000, help="work orders in the file (default: %(default)s)")
    p.add_argument("--baseline-rows", type=int, default=500, help="rows imported one at a time (default: %(default)s)")
    p.add_argument("--source", type=Path, default=SOURCE, help="the gzipped CSV whose rows are repeated")
    p.add_argument("--results", type=Path, default=RESULTS)
    p.add_argument("--no-record", action="store_true")
    return p.parse_args(argv)


def repeated_csv(source: Path, n: int) -> bytes:
    """``n`` rows of ``source``, cycling, each copy after the first with a suffixed work-order number."""
    with gzip.open(source, "rt", encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header, rows = next(reader), list(reader)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(header)
    for i in range(n):
        row = list(rows[i % len(rows)])
        if i >= len(rows):
            row[0] = f"{row[0]}-{i // len(rows)}"
        w.writerow(row)
    return out.getvalue().encode("gb18030")  # the source system's own encoding


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    setup()
    from django.utils import timezone

    from exchange import importer
    from exchange.services import import_file
    from org.models import UnitKind
    from org.services import create_unit

    root = create_unit("海口市人民政府", kind=UnitKind.TERRITORIAL, level_name="市")
    data = repeated_csv(args.source, args.rows)
    say(f"{db_label()}; {machine()}")
    say(f"file: {args.rows:,} rows, {len(data) / 1e6:.1f} MB (GB18030)")

    t = perf_counter()
    run = import_file(data, "orders.csv", "haikou12345", actor=None, now=timezone.now(), root=root)
    first = perf_counter() - t
    assert run.rows_imported == args.rows, (run.status, run.rows_rejected, run.file_problem)
    t = perf_counter()
    again = import_file(data, "orders.csv", "haikou12345", actor=None, now=timezone.now(), root=root)
    second = perf_counter() - t
    assert again.rows_imported == 0 and again.rows_present == args.rows

    sample = repeated_csv(args.source, args.baseline_rows).decode("gb18030").replace("\n2018", "\nB2018").encode()
    importer.CHUNK, chunk = 1, importer.CHUNK
    t = perf_counter()
    base = import_file(sample, "baseline.csv", "haikou12345", actor=None, now=timezone.now(), root=root)
    baseline = perf_counter() - t
    importer.CHUNK = chunk
    assert base.rows_imported == args.baseline_rows

    rate, rate_again, rate_base = args.rows / first, args.rows / second, args.baseline_rows / baseline
    lines = [
        f"| import {args.rows:,} new rows | {first:.1f} s | {rate:,.0f} rows/s | {rate / rate_base:.1f}× baseline |",
        f"| re-import, all {args.rows:,} present | {second:.1f} s | {rate_again:,.0f} rows/s | |",
        f"| baseline: {args.baseline_rows} rows, one per chunk | {baseline:.1f} s | {rate_base:,.0f} rows/s | 1× |",
    ]
    verdict = "met" if rate > GOAL_ROWS_PER_S else "NOT met"
    for line in lines:
        say(line)
    say(f"goal above {GOAL_ROWS_PER_S:,} rows/s: {verdict}")
    if not args.no_record:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        with args.results.open("a", encoding="utf-8") as f:
            f.write(f"\n## Work-order import ({stamp}, `make bench`: `python -m bench.imports`)\n\n"
                    f"{db_label()}; {machine()}. File: {args.rows:,} real Haikou rows repeated with fresh ids, "
                    f"GB18030 CSV, {len(data) / 1e6:.1f} MB.\n\n| step | time | rate | ratio |\n| --- | --- | --- | --- |\n"
                    + "\n".join(lines) + f"\n\nGoal above {GOAL_ROWS_PER_S:,} rows/s on SQLite: {verdict}.\n")


if __name__ == "__main__":
    main()
