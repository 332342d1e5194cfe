"""Side-by-side table of the two halves' JSON: ``python -m bench.helpdesk.compare --pair XF.json HD.json ...``.

Each ``--pair`` is one backend at one size, Xinfang's file then django-helpdesk's. Prints the table of
p50 and p95 per operation with the ratio (django-helpdesk ÷ Xinfang: above 1 means Xinfang is
faster), checks the goal (list and report at 100,000 at least 10× faster, on p50 and on p95) and
appends it all to ``bench/RESULTS.md`` unless ``--no-record``. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent.parent / "RESULTS.md"
GOAL_RATIO = 10.0
GOAL_SIZE = 100_000

# (operation, Xinfang scenario, django-helpdesk scenario, counts for the goal)
PAIRS: list[tuple[str, str, str, bool]] = [
    ("create", "intake POST /api/v1/matters", "create: POST /tickets/submit/", False),
    ("detail page", "matter page /matters/<random id>/", "detail: /tickets/<random id>/", False),
    ("queue / list page", "queue / (city reviewer)", "list: /tickets/ + its rows request (25)", True),
    ("per-unit × state report, page", "report: /indicators/dispatch/", "report: /reports/queuestatus/", True),
    ("per-unit × state table, one GROUP BY", "report: per-unit × state counts (query)",
     "report: queue × status GROUP BY (reference)", False),
]


def find(side: dict[str, Any], prefix: str) -> dict[str, Any] | None:
    return next((r for r in side["results"] if r["name"].startswith(prefix)), None)


def ratio(hd: float, xf: float) -> float:
    return hd / xf if xf > 0 else float("inf")


def rows_for(xf: dict[str, Any], hd: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    size = xf["results"][0]["size"]
    for op, xname, hname, goal in PAIRS:
        x, h = find(xf, xname), find(hd, hname)
        if x is None or h is None:
            continue
        out.append({"db": xf["db"], "size": size, "op": op, "goal": goal, "x": x, "h": h,
                    "r50": ratio(h["p50"], x["p50"]), "r95": ratio(h["p95"], x["p95"])})
    return out


def fmt_ratio(r: float) -> str:
    """A ratio to one decimal, rounded down: 9.99× shows as 9.9×, never as a 10.0× that missed the goal."""
    return f"{math.floor(r * 10) / 10:.1f}×" if math.isfinite(r) else "∞"


def table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| database | size | operation | Xinfang: what | p50 ms | p95 ms | django-helpdesk: what | p50 ms | p95 ms "
        "| ratio p50 | ratio p95 |",
        "|:--|--:|:--|:--|--:|--:|:--|--:|--:|--:|--:|",
    ]
    for r in rows:
        x, h = r["x"], r["h"]
        lines.append(
            f"| {r['db']} | {r['size']:,} | {r['op']} | {x['name']} (n={x['n']}) | {x['p50']:.1f} | {x['p95']:.1f} "
            f"| {h['name']} (n={h['n']}) | {h['p50']:.1f} | {h['p95']:.1f} | {fmt_ratio(r['r50'])} | {fmt_ratio(r['r95'])} |"
        )
    return lines


def goal_lines(rows: list[dict[str, Any]]) -> list[str]:
    at = [r for r in rows if r["goal"] and r["size"] >= GOAL_SIZE]
    if not at:
        return [f"- Goal (list and report ≥ {GOAL_RATIO:.0f}× faster at {GOAL_SIZE:,}): not measured at that size."]
    out = []
    for r in at:
        ok = r["r50"] >= GOAL_RATIO and r["r95"] >= GOAL_RATIO
        out.append(f"- Goal, {r['op']} at {r['size']:,} on {r['db']}: {fmt_ratio(r['r50'])} p50, {fmt_ratio(r['r95'])} p95 → "
                   f"**{'met' if ok else 'missed'}**")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.helpdesk.compare", description=__doc__.split("\n\n")[0])
    p.add_argument("--pair", nargs=2, action="append", metavar=("XINFANG_JSON", "HELPDESK_JSON"), required=True)
    p.add_argument("--command", default="scripts/bench_helpdesk.sh", help="the command to name in the results")
    p.add_argument("--results", type=Path, default=RESULTS)
    p.add_argument("--no-record", action="store_true")
    args = p.parse_args(argv)
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    for xpath, hpath in args.pair:
        xf, hd = json.loads(Path(xpath).read_text()), json.loads(Path(hpath).read_text())
        rows.extend(rows_for(xf, hd))
        size = xf["results"][0]["size"]
        notes.append(f"- {xf['db']}, {size:,}: Xinfang seeded {'; '.join(xf['seeding'])} ({xf['units']} units, "
                     f"{xf['open_at_end']:,} open at the end), load average {xf['load'][0]:.1f} → {xf['load'][1]:.1f}; "
                     f"django-helpdesk seeded {'; '.join(hd['seeding'])} ({hd['queues']} queues), load average "
                     f"{hd['load'][0]:.1f} → {hd['load'][1]:.1f}")
    first_x = json.loads(Path(args.pair[0][0]).read_text())
    first_h = json.loads(Path(args.pair[0][1]).read_text())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = [
        f"## {stamp} — side by side with django-helpdesk",
        "",
        f"- Command: `{args.command}` (each size on a fresh database per side, Xinfang first, then django-helpdesk, "
        "in one run; bench/helpdesk/README.md says what is timed)",
        f"- Machine: Xinfang {first_x['machine']}; django-helpdesk in var/bench-helpdesk-venv: {first_h['machine']}. "
        "A **shared** 2-core machine with other work running (load averages below): figures move between runs",
        "- Both: in-process `django.test.Client`, logged in, DEBUG off, MD5 password hasher, 2 untimed calls then the "
        "timed ones, nearest-rank percentiles; ratio = django-helpdesk ÷ Xinfang (above 1: Xinfang faster)",
        *notes,
        *goal_lines(rows),
        "",
        *table(rows),
        "",
    ]
    print("\n".join(text))
    if not args.no_record:
        if not args.results.exists():
            args.results.write_text("# Benchmark results\n")
        with args.results.open("a", encoding="utf-8") as f:  # append only: others append too
            f.write("\n" + "\n".join(text))
        print(f"compare: appended to {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
