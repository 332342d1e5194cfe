"""The django-helpdesk half of the side-by-side benchmark: ``python -m bench.helpdesk.run --json OUT``.

Runs only in ``var/bench-helpdesk-venv`` (``scripts/bench_helpdesk.sh``), with
``DJANGO_SETTINGS_MODULE=bench.helpdesk.settings``, on an empty database. It makes one staff
superuser, ``--queues`` queues (as many as Xinfang's bench has units) and 20 assignable staff, then at
each size seeds tickets with ``bulk_create`` (5,000 a transaction, each with the "Ticket Opened"
follow-up its own create writes), spread over the queues, the five statuses, the priorities and the
staff, and times through ``django.test.Client`` (in process, logged in, DEBUG off, as Xinfang's side):

- ``create``: ``POST /tickets/submit/``, the staff "new ticket" form (``TicketForm.save``: the ticket,
  its follow-up, the notification e-mails to the locmem backend), one after another;
- ``detail``: ``GET /tickets/<random id>/``;
- ``list``: ``GET /tickets/`` (the staff ticket list; the page itself has no rows) plus the request its
  DataTable makes for the rows, ``GET /datatables_ticket_list/<query>?draw=1&start=0&length=25``
  (first page, its default filter open + reopened and default sort), timed as one, and the page alone;
- ``report``: ``GET /reports/queuestatus/`` (*Queue by Status*: tickets per queue × status, its
  reports view), and for reference the same table as one GROUP BY (``values("queue", "status")``),
  which django-helpdesk itself does not run.

Percentiles are nearest-rank; each scenario is timed ``--reps`` times after 2 untimed calls, as in
``bench.scenarios.timed``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import platform
import random
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from time import perf_counter
from typing import Any

import django

CHUNK = 5000
# Status shares close to Xinfang's bench (about 46 % open): Open, Reopened, Resolved, Closed, Duplicate.
STATUS_WEIGHTS = {1: 40, 2: 6, 3: 14, 4: 35, 5: 5}
PRIORITY_WEIGHTS = {1: 5, 2: 10, 3: 60, 4: 20, 5: 5}
TITLES = ["小区物业服务费收费不合理", "道路施工噪音扰民", "拖欠工资问题", "违章建筑占用消防通道", "学校周边交通拥堵",
          "供暖温度不达标", "征地补偿款未到位", "医保报销流程繁琐"]
BODY = ("我是幸福里小区的居民，反映物业服务费收费不合理的问题。多次向有关部门反映，至今没有得到答复。"
        "希望有关部门尽快调查处理，给居民一个满意的答复。") * 2


def hd(model: str) -> Any:
    """A django-helpdesk model; imported by name, since only the bench venv has django-helpdesk (mypy runs without it)."""
    return getattr(importlib.import_module("helpdesk.models"), model)


def say(line: str = "") -> None:
    print(line, flush=True)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.helpdesk.run", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10000,100000", help="cumulative ticket counts (default: %(default)s)")
    p.add_argument("--reps", type=int, default=50, help="timed requests per scenario (default: %(default)s)")
    p.add_argument("--create", type=int, default=200, help="tickets to create through the form (default: %(default)s)")
    p.add_argument("--queues", type=int, default=40, help="queues, one per unit (default: %(default)s)")
    p.add_argument("--seed", type=int, default=20240501, help="random seed (default: %(default)s)")
    p.add_argument("--json", type=Path, required=True, help="where to write the results")
    args = p.parse_args(argv)
    args.size_list = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    return args


class BenchError(RuntimeError):
    pass


class SqlCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def counting() -> Iterator[SqlCounter]:
    from django.db import connection

    c = SqlCounter()
    with connection.execute_wrapper(c):
        yield c


def pct(times: list[float], p: float) -> float:
    ordered = sorted(times)
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]


def result(size: int, name: str, times: list[float], queries: int | None, note: str = "") -> dict[str, Any]:
    r = {"size": size, "name": name, "n": len(times), "p50": pct(times, 50), "p95": pct(times, 95),
         "max": max(times), "queries": queries, "note": note}
    say(f"  {name:<52} p50 {r['p50']:8.1f} ms  p95 {r['p95']:8.1f} ms  max {r['max']:8.1f} ms  ({queries} queries)")
    return r


def timed(size: int, name: str, call: Callable[[], Any], reps: int, *, warmup: int = 2, note: str = "") -> dict[str, Any]:
    for _i in range(warmup):
        call()
    times = []
    for _i in range(reps):
        t0 = perf_counter()
        call()
        times.append((perf_counter() - t0) * 1000)
    with counting() as c:
        call()
    return result(size, name, times, c.count, note)


def check(resp: Any, expect: int, what: str) -> Any:
    if resp.status_code != expect:
        raise BenchError(f"{what}: HTTP {resp.status_code}, expected {expect}: {resp.content[:300]!r}")
    return resp


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.helpdesk.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    if connection.introspection.table_names():
        raise SystemExit(f"bench.helpdesk.run needs an empty database; {connection.settings_dict['NAME']} has tables")
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
    helpdesk = importlib.import_module("helpdesk")

    model = ""
    try:
        model = next(ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                     if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (f"{os.cpu_count()} cores{f' ({model})' if model else ''}, Python {platform.python_version()}, "
            f"Django {django.get_version()}, django-helpdesk {getattr(helpdesk, '__version__', '2.6.1')}")


def update_statistics() -> None:
    """As Xinfang's side (bench.run.update_statistics): VACUUM ANALYZE on PostgreSQL, nothing on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")


def weighted(rng: random.Random, weights: dict[int, int]) -> Callable[[], int]:
    keys, w = list(weights), list(weights.values())
    return lambda: rng.choices(keys, w)[0]


class Seeder:
    def __init__(self, queues: list[Any], staff: list[Any], seed: int) -> None:
        from django.utils import timezone

        self.queues, self.staff = queues, staff
        self.rng = random.Random(seed)
        self.status = weighted(self.rng, STATUS_WEIGHTS)
        self.priority = weighted(self.rng, PRIORITY_WEIGHTS)
        self.now = timezone.now()
        self.done = 0

    def seed(self, n: int) -> None:
        from django.db import transaction
        FollowUp, Ticket = hd("FollowUp"), hd("Ticket")  # noqa: N806 - model classes

        rng = self.rng
        for start in range(0, n, CHUNK):
            tickets = []
            for _i in range(min(CHUNK, n - start)):
                self.done += 1
                created = self.now - timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
                status = self.status()
                tickets.append(Ticket(
                    title=f"{rng.choice(TITLES)} {self.done}", queue=rng.choice(self.queues), created=created,
                    modified=created + timedelta(hours=rng.randrange(0, 24 * 30)),
                    submitter_email=f"p{self.done}@example.org",
                    assigned_to=rng.choice(self.staff) if rng.random() < 0.8 else None, status=status,
                    description=BODY, resolution="经调查核实，已责成相关单位整改。" if status in (3, 4) else "",
                    priority=self.priority(),
                    due_date=created + timedelta(days=60) if rng.random() < 0.5 else None))
            with transaction.atomic():
                Ticket.objects.bulk_create(tickets)
                if not all(t.pk for t in tickets):  # SQLite ≥ 3.35 and PostgreSQL return the ids
                    raise BenchError("bulk_create returned no ids")
                FollowUp.objects.bulk_create(
                    FollowUp(ticket=t, date=t.created, title="Ticket Opened", comment=t.description, public=True)
                    for t in tickets)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    Queue, Ticket = hd("Queue"), hd("Ticket")  # noqa: N806 - model classes

    db = db_label()
    load_at_start = os.getloadavg()[0]
    say(f"helpdesk: {db}; sizes {', '.join(f'{s:,}' for s in args.size_list)}; {machine()}")
    user_model = get_user_model()
    admin = user_model.objects.create_superuser("staff", "staff@example.org", "pw-staff")
    staff = [user_model.objects.create_user(f"agent{i}", f"agent{i}@example.org", "pw", is_staff=True) for i in range(20)]
    queues = [Queue.objects.create(title=f"单位 {i:02d}", slug=f"unit{i:02d}", allow_public_submission=True)
              for i in range(args.queues)]
    seeder = Seeder(queues, staff, args.seed)
    rng = random.Random(args.seed)
    client = Client()
    client.force_login(admin)
    out: list[dict[str, Any]] = []
    seeding: list[str] = []
    for size in args.size_list:
        todo = size - Ticket.objects.count()
        say(f"\n==> helpdesk: seeding {todo:,} tickets (to {size:,})")
        t0 = perf_counter()
        seeder.seed(todo)
        update_statistics()
        seeding.append(f"{todo:,} in {perf_counter() - t0:.1f} s")
        say(f"==> helpdesk: measuring at {size:,} tickets ({args.reps} requests per scenario)")
        out.extend(measure(size, client, queues, args.reps, rng))
        if args.create:
            out.append(create(size, client, queues, staff, args.create, rng))
    args.json.write_text(json.dumps({
        "side": "helpdesk", "db": db, "load": [load_at_start, os.getloadavg()[0]], "machine": machine(),
        "seeding": seeding, "queues": len(queues),
        "final_count": Ticket.objects.count(), "results": out,
    }, ensure_ascii=False, indent=1))
    say(f"helpdesk: wrote {args.json}")
    return 0


def measure(size: int, client: Any, queues: list[Any], n: int, rng: random.Random) -> list[dict[str, Any]]:
    """List, detail and report at one size, each checked to show what it should before it is timed."""
    from django.db.models import Count

    Ticket = hd("Ticket")  # noqa: N806 - a model class
    out: list[dict[str, Any]] = []
    ids = list(Ticket.objects.values_list("pk", flat=True))

    page = check(client.get("/tickets/"), 200, "/tickets/").content.decode()
    m = re.search(r"/datatables_ticket_list/([A-Za-z0-9_=-]+)", page)
    if not m:
        raise BenchError("the ticket list page names no datatables_ticket_list URL")
    rows_url = m.group(0)
    rows_params = {"draw": "1", "start": "0", "length": "25", "search[value]": ""}
    data = check(client.get(rows_url, rows_params), 200, rows_url).json()
    open_count = Ticket.objects.filter(status__in=[1, 2]).count()
    if data["recordsTotal"] != open_count or len(data["data"]) != 25:
        raise BenchError(f"the list's rows: {data['recordsTotal']} total, {len(data['data'])} rows; expected {open_count}, 25")

    def list_both() -> None:
        check(client.get("/tickets/"), 200, "/tickets/")
        check(client.get(rows_url, rows_params), 200, rows_url)

    report = check(client.get("/reports/queuestatus/"), 200, "/reports/queuestatus/").content.decode()
    if "Queue by Status" not in report or queues[0].title not in report:
        raise BenchError("/reports/queuestatus/ does not show the queue × status table")

    def group_by() -> dict[tuple[int, int], int]:
        rows = Ticket.objects.filter(queue__in=queues).order_by().values("queue", "status").annotate(n=Count("pk"))
        return {(r["queue"], r["status"]): r["n"] for r in rows}

    if sum(group_by().values()) != Ticket.objects.count():
        raise BenchError("the GROUP BY does not count every ticket")

    out.append(timed(size, "list: /tickets/ + its rows request (25)", list_both, n,
                     note=f"{open_count:,} open + reopened tickets"))
    out.append(timed(size, "list: /tickets/ page alone", lambda: check(client.get("/tickets/"), 200, "list"), n))
    out.append(timed(size, "detail: /tickets/<random id>/",
                     lambda: check(client.get(f"/tickets/{rng.choice(ids)}/"), 200, "detail"), n))
    out.append(timed(size, "report: /reports/queuestatus/",
                     lambda: check(client.get("/reports/queuestatus/"), 200, "report"), n))
    out.append(timed(size, "report: queue × status GROUP BY (reference)", group_by, n,
                     note="not what django-helpdesk runs"))
    return out


def create(size: int, client: Any, queues: list[Any], staff: list[Any], count: int, rng: random.Random) -> dict[str, Any]:
    Ticket = hd("Ticket")  # noqa: N806 - a model class
    def form(i: int) -> dict[str, str]:
        return {"queue": str(rng.choice(queues).pk), "title": f"基准测试登记 {size + i} 小区物业服务费收费不合理",
                "body": BODY, "priority": "3", "submitter_email": f"new{size + i}@example.org",
                "assigned_to": str(rng.choice(staff).pk), "due_date": ""}

    before = Ticket.objects.count()
    check(client.post("/tickets/submit/", form(0)), 302, "POST /tickets/submit/")
    times = []
    t_all = perf_counter()
    for i in range(1, count + 1):
        body = form(i)
        t0 = perf_counter()
        check(client.post("/tickets/submit/", body), 302, "POST /tickets/submit/")
        times.append((perf_counter() - t0) * 1000)
    rate = count / (perf_counter() - t_all)
    with counting() as c:
        check(client.post("/tickets/submit/", form(count + 1)), 302, "POST /tickets/submit/")
    if Ticket.objects.count() != before + count + 2:
        raise BenchError("the create form did not create one ticket per POST")
    return result(size, f"create: POST /tickets/submit/ ×{count}", times, c.count, f"{rate:.0f} tickets/s, one at a time")


if __name__ == "__main__":
    sys.exit(main())
