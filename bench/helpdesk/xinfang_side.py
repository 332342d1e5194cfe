"""The Xinfang half of the side-by-side benchmark: ``python -m bench.helpdesk.xinfang_side --json OUT``.

Runs in the project's ``.venv`` on an empty database (``scripts/bench_helpdesk.sh`` gives it a fresh
one). At each size it seeds with ``bench/seed.py`` and measures exactly what ``python -m bench.run``
measures (``bench.scenarios.run_size``: the queue, the matter page, the API list, intake), then the
per-unit × state report, two ways:

- ``report: /indicators/dispatch/``: the nearest report page Xinfang has, one row per unit under the
  user with its overdue and due-soon matters and the week's actions (HTML, logged in);
- ``report: per-unit × state counts (query)``: the table django-helpdesk's *Queue by Status* report
  shows, for Xinfang: ``matters_visible_to(user).values("handling_unit", "state").annotate(Count)``,
  i.e. one GROUP BY through the scope rule, no page around it.

Writes the results as JSON for ``bench/helpdesk/compare.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from time import perf_counter
from typing import Any

from bench.run import db_label, machine, say, setup, update_statistics


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.helpdesk.xinfang_side", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10000,100000", help="cumulative matter counts (default: %(default)s)")
    p.add_argument("--reps", type=int, default=50, help="timed requests per scenario (default: %(default)s)")
    p.add_argument("--intake", type=int, default=200, help="registrations to time (default: %(default)s)")
    p.add_argument("--seed", type=int, default=20240501, help="random seed (default: %(default)s)")
    p.add_argument("--json", type=Path, required=True, help="where to write the results")
    args = p.parse_args(argv)
    args.size_list = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    return args


def per_unit_state_counts(user: Any) -> dict[tuple[int, str], int]:
    """The per-unit × state table: one GROUP BY on the matters the user may see."""
    from django.db.models import Count

    from matters.selectors import matters_visible_to

    rows = matters_visible_to(user).order_by().values("handling_unit", "state").annotate(n=Count("pk"))
    return {(r["handling_unit"], r["state"]): r["n"] for r in rows}


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    setup()

    from matters.lifecycle import OPEN_STATES
    from matters.models import Matter

    from ..scenarios import BenchError, Options, Result, get, logged_in, run_size, timed
    from ..seed import Seeder, build_org

    db = db_label()
    load_at_start = os.getloadavg()[0]
    say(f"xinfang: {db}; sizes {', '.join(f'{s:,}' for s in args.size_list)}; {machine()}")
    org = build_org()
    seeder = Seeder(org, seed=args.seed)
    rng = random.Random(args.seed)
    opts = Options(reps=args.reps, baseline_reps=1, intake=args.intake)
    out: list[dict[str, Any]] = []
    seeding: list[str] = []
    seeded = 0
    reviewer = org.users["reviewer"]
    for size in args.size_list:
        todo = size - seeded
        say(f"\n==> xinfang: seeding {todo:,} matters (to {size:,})")
        t0 = perf_counter()
        seeder.seed(todo)
        update_statistics(False)
        seeding.append(f"{todo:,} in {perf_counter() - t0:.1f} s")
        say(f"==> xinfang: measuring at {size:,} matters ({args.reps} requests per scenario)")
        try:
            results: list[Result] = run_size(size, org, opts, rng, say)
        except BenchError as err:
            say(f"xinfang: FAILED: {err}")
            return 1
        table = per_unit_state_counts(reviewer)
        total = sum(table.values())
        if total != Matter.objects.count():
            raise SystemExit(f"xinfang: the per-unit × state table counts {total}, not every matter")
        results.append(timed(size, "report: /indicators/dispatch/", get(logged_in(reviewer), "/indicators/dispatch/"),
                             args.reps))
        results.append(timed(size, "report: per-unit × state counts (query)",
                             lambda: per_unit_state_counts(reviewer), args.reps,
                             note=f"{len(table)} cells over {total:,} matters"))
        for r in results[-2:]:
            say(f"  {r.name:<44} p50 {r.p50:8.1f} ms  p95 {r.p95:8.1f} ms  max {r.max:8.1f} ms  ({r.queries} queries)")
        out.extend({"size": r.size, "name": r.name, "n": len(r.times_ms), "p50": r.p50, "p95": r.p95, "max": r.max,
                    "queries": r.queries, "note": r.note} for r in results)
        seeded = Matter.objects.count()
    open_count = Matter.objects.filter(state__in=OPEN_STATES).count()
    args.json.write_text(json.dumps({
        "side": "xinfang", "db": db, "load": [load_at_start, os.getloadavg()[0]], "machine": machine(),
        "seeding": seeding, "units": len(org.units),
        "final_count": seeded, "open_at_end": open_count, "results": out,
    }, ensure_ascii=False, indent=1))
    say(f"xinfang: wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
