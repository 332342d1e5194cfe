"""``python -m bench.run``: on an empty database, seed matters in bulk, time the queue, the matter page,
the API list and intake at each size, print a table and append it to ``bench/RESULTS.md``.

Run it through ``scripts/bench.sh`` (``make bench``): that gives each run a fresh SQLite file or a
throwaway PostgreSQL cluster, a temp var dir and key file. Extra arguments are passed on, e.g.
``make bench ARGS="--sizes 2000 --reps 10 --no-record"`` for a quick check.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING

import django

if TYPE_CHECKING:
    from .scenarios import Result

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
GOAL_MS = 100.0
GOAL_SIZE = 100_000


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    p.add_argument(
        "--sizes",
        default="10000,100000",
        help="cumulative matter counts to measure at (default: %(default)s)",
    )
    p.add_argument("--reps", type=int, default=50, help="timed requests per scenario (default: %(default)s)")
    p.add_argument(
        "--baseline-reps", type=int, default=3, help="runs of the naive baseline (default: %(default)s)"
    )
    p.add_argument(
        "--intake", type=int, default=200, help="API registrations to time, 0 to skip (default: %(default)s)"
    )
    p.add_argument("--search", default="物业", help="the ?q= term (default: %(default)s)")
    p.add_argument("--seed", type=int, default=20240501, help="random seed (default: %(default)s)")
    p.add_argument(
        "--explain", action="store_true", help="print the plans of the queue page's SQL at each size"
    )
    p.add_argument(
        "--analyze",
        action="store_true",
        help="SQLite: run ANALYZE after seeding (planner statistics, as PRAGMA optimize would keep them)",
    )
    p.add_argument("--label", default="", help="a note for the results section, e.g. which patch is applied")
    p.add_argument(
        "--results", type=Path, default=RESULTS, help="the file to append to (default: bench/RESULTS.md)"
    )
    p.add_argument("--no-record", action="store_true", help="do not append the results to the results file")
    args = p.parse_args(argv)
    try:
        args.size_list = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        p.error("--sizes takes comma-separated integers")
    if not args.size_list or args.size_list[0] <= 0:
        p.error("--sizes needs positive sizes")
    return args


def say(line: str = "") -> None:
    print(line, flush=True)


def setup() -> None:
    """Django with DEBUG off and MD5 passwords; keys and schema on the (required to be empty) database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
    os.environ.setdefault("XINFANG_DEBUG", "0")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if connection.introspection.table_names():
        raise SystemExit(
            f"bench.run needs an empty database and {connection.settings_dict['NAME']} has tables; "
            "run it through scripts/bench.sh (make bench), which makes a throwaway one."
        )
    call_command("ensure_keys", stdout=io.StringIO())
    call_command("migrate", interactive=False, verbosity=0)


def db_label() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        return f"PostgreSQL {cur.fetchone()[0].split()[0]}"


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores{f' ({model})' if model else ''}, Python {platform.python_version()}, "
        f"Django {django.get_version()}"
    )


def update_statistics(sqlite_analyze: bool) -> None:
    """PostgreSQL: what autovacuum does soon after a bulk load (planner statistics, visibility map for
    index-only scans). SQLite: nothing unless asked, as in an installation, where nobody runs ANALYZE,
    so the planner works without sqlite_stat1."""
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("VACUUM ANALYZE")
        elif sqlite_analyze:
            cur.execute("ANALYZE")


def explain_queue(org_users: dict[str, object]) -> None:
    """The plan of every query on matters that the queue page runs, for the reviewer and the handler."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from org.models import User

    for name in ("reviewer", "handler"):
        user = org_users[name]
        assert isinstance(user, User)
        client = Client()
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            client.get("/")
        for q in ctx.captured_queries:
            sql = q["sql"]
            if "matters_matter" not in sql:
                continue
            say(f"\n--- {name}: {float(q['time']) * 1000:.1f} ms\n{sql}")
            prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
            with connection.cursor() as cur:
                cur.execute(prefix + sql)
                for row in cur.fetchall():
                    say("    " + " | ".join(str(c) for c in row))


def table(results: list[Result]) -> list[str]:
    lines = [
        "| matters | scenario | n | p50 ms | p95 ms | max ms | queries | SQL ms¹ | note |",
        "|--:|:--|--:|--:|--:|--:|--:|--:|:--|",
    ]
    for r in results:
        sql = f"{r.sql_ms:.1f}" if r.sql_ms is not None else ""
        lines.append(
            f"| {r.size:,} | {r.name} | {len(r.times_ms)} | {r.p50:.1f} | {r.p95:.1f} | {r.max:.1f} | "
            f"{r.queries if r.queries is not None else ''} | {sql} | {r.note} |"
        )
    return lines


def goal_lines(results: list[Result]) -> list[str]:
    at_goal = [r for r in results if r.size >= GOAL_SIZE and r.name.startswith(("queue /", "queue ?"))]
    if not at_goal:
        return [f"Goal (queue p95 < {GOAL_MS:.0f} ms at {GOAL_SIZE:,} matters): not measured at that size."]
    missed = [r for r in at_goal if r.p95 >= GOAL_MS]
    verdict = "met" if not missed else "missed by " + ", ".join(f"{r.name} ({r.p95:.0f} ms)" for r in missed)
    return [f"Goal (queue page p95 < {GOAL_MS:.0f} ms at {GOAL_SIZE:,} matters): **{verdict}**."]


def record(path: Path, header: list[str], results: list[Result]) -> None:
    if not path.exists():
        path.write_text(
            "# Benchmark results\n\nAppended by `python -m bench.run` (`make bench`), newest last; "
            "bench/README.md says what is measured.\n"
        )
    text = "\n".join(
        [
            "",
            *header,
            "",
            *table(results),
            "",
            "¹ SQL ms: time spent executing the queries of one extra call of the scenario (execute only, not fetching).",
            "",
        ]
    )
    with path.open("a", encoding="utf-8") as f:
        f.write(text)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = perf_counter()
    setup()

    from .scenarios import BenchError, Options, run_size
    from .seed import Seeder, build_org

    db = db_label()
    say(f"bench: {db}; sizes {', '.join(f'{s:,}' for s in args.size_list)}; {machine()}")
    t0 = perf_counter()
    org = build_org()
    say(
        f"bench: organisation ({len(org.units)} units, {len(org.users)} users) and taxonomy in {perf_counter() - t0:.1f} s"
    )
    seeder = Seeder(org, seed=args.seed)
    rng = random.Random(args.seed)
    opts = Options(reps=args.reps, baseline_reps=args.baseline_reps, intake=args.intake, search=args.search)
    results: list[Result] = []
    seeding: list[str] = []
    seeded = 0
    for size in args.size_list:
        todo = size - seeded
        say(f"\n==> seeding {todo:,} matters (to {size:,})")
        t0 = perf_counter()

        def progress(done: int, todo: int = todo, t0: float = t0) -> None:
            say(f"  {done:>9,} / {todo:,}  {done / (perf_counter() - t0):7.0f} matters/s")

        seeder.seed(todo, progress)
        update_statistics(args.analyze)
        took = perf_counter() - t0
        seeded = size
        seeding.append(f"{todo:,} in {took:.1f} s ({todo / took:,.0f} matters/s)")
        say(f"==> measuring at {size:,} matters ({args.reps} requests per scenario)")
        try:
            results.extend(run_size(size, org, opts, rng, say))
        except BenchError as err:
            say(f"bench: FAILED: {err}")
            return 1
        if args.explain:
            explain_queue(dict(org.users))
        # Intake added a few matters; the next size counts from what is there.
        from matters.models import Matter

        seeded = Matter.objects.count()

    elapsed = perf_counter() - started
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    stats = " (ANALYZE after seeding)" if args.analyze and db.startswith("SQLite") else ""
    header = [
        f"## {stamp} — {db}{stats}{' — ' + args.label if args.label else ''}",
        "",
        f"- Command: `python -m bench.run{' ' + ' '.join(sys.argv[1:]) if sys.argv[1:] else ''}` "
        "(via `make bench` / `scripts/bench.sh`: fresh database, temp var dir and keys)",
        f"- Machine: {machine()}; in-process `django.test.Client`, DEBUG off, MD5 password hasher",
        f"- Seeding (bulk_create): {'; then '.join(seeding)}; whole run {elapsed / 60:.1f} min",
        f"- {goal_lines(results)[0]}",
    ]
    say("")
    for line in [*header, "", *table(results)]:
        say(line)
    if not args.no_record:
        record(args.results, header, results)
        say(f"\nbench: appended to {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
