"""Run the reply pre-check (intel.precheck) over a CSV of petitions with their replies and report.

    python manage.py precheck_replies [--data PATH] [--out CSV] [--limit N]

Input columns: id, text, reply (subject optional) -- the layout of shared/data/teddy2020/replies.csv.
Prints the score distribution, the share of replies failing each check and a few example ids per
check; --out writes one row per reply (score, pass/fail per check, reasons, unanswered demands).
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from intel.precheck import WEIGHTS, PrecheckResult, precheck

DEFAULT_DATA = "/work/shared/data/teddy2020/replies.csv"
CHECK_KEYS = tuple(WEIGHTS)
EXAMPLES_PER_CHECK = 5
SCORE_BANDS = ((0, 19), (20, 39), (40, 59), (60, 79), (80, 100))


def run(path: str | Path, limit: int | None = None) -> list[tuple[dict[str, str], PrecheckResult]]:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: file not found")
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"id", "text", "reply"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))} (need id, text, reply)")
        out = []
        for i, row in enumerate(reader):
            if limit is not None and i >= limit:
                break
            out.append((row, precheck(row["text"], row["reply"], subject=row.get("subject") or "")))
    return out


def report(results: list[tuple[dict[str, str], PrecheckResult]]) -> list[str]:
    n = len(results)
    if not n:
        return ["0 rows."]
    scores = sorted(r.score for _, r in results)
    lines = [f"{n} replies checked.", "", "Score distribution:"]
    for lo, hi in SCORE_BANDS:
        k = sum(lo <= s <= hi for s in scores)
        lines.append(f"  {lo:>3}-{hi:<3} {k:>5}  {100 * k / n:5.1f}%")
    lines.append(f"  median {scores[n // 2]}, mean {sum(scores) / n:.1f}")
    lines += ["", "Failing each check (share of replies) and example ids:"]
    fails: Counter[str] = Counter()
    examples: dict[str, list[str]] = {k: [] for k in CHECK_KEYS}
    labels: dict[str, str] = {}
    for row, res in results:
        for c in res.checks:
            labels[c.key] = c.label
            if not c.passed:
                fails[c.key] += 1
                if len(examples[c.key]) < EXAMPLES_PER_CHECK:
                    examples[c.key].append(row["id"])
    for key in CHECK_KEYS:
        lines.append(
            f"  {key:<13} {labels.get(key, ''):<8} {fails[key]:>5}  {100 * fails[key] / n:5.1f}%  "
            f"e.g. {', '.join(examples[key]) or '-'}"
        )
    demands = [d for _, r in results for d in r.demands]
    if demands:
        answered = sum(d.answered for d in demands)
        lines += [
            "",
            f"Demands: {len(demands)} extracted ({len(demands) / n:.2f} per petition), "
            f"{answered} ({100 * answered / len(demands):.1f}%) matched by the reply's terms.",
        ]
    return lines


def write_rows(results: list[tuple[dict[str, str], PrecheckResult]], out: str | Path) -> None:
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "score", *CHECK_KEYS, "n_demands", "n_unanswered", "unanswered", "reasons"])
        for row, res in results:
            passed = {c.key: c.passed for c in res.checks}
            unanswered = [d.text for d in res.demands if not d.answered]
            w.writerow([
                row["id"], res.score, *(int(passed[k]) for k in CHECK_KEYS), len(res.demands), len(unanswered),
                " | ".join(unanswered), " | ".join(f"{c.label}：{c.reason}" for c in res.failed),
            ])


class Command(BaseCommand):
    help = "Run the reply pre-check (答复预审) over a CSV of petitions and replies and print a report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", default=DEFAULT_DATA, help="CSV with columns id, text, reply (subject optional)")
        parser.add_argument("--out", help="write per-row results to this CSV")
        parser.add_argument("--limit", type=int, help="only the first N rows")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            results = run(options["data"], options["limit"])
        except (FileNotFoundError, ValueError) as exc:
            raise CommandError(str(exc))
        for line in report(results):
            self.stdout.write(line)
        self.stdout.write(f"\n{time.perf_counter() - started:.1f} s")
        if options["out"]:
            write_rows(results, options["out"])
            self.stdout.write(f"{len(results)} row(s) written to {options['out']}")
