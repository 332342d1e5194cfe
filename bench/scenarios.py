"""What is measured: pages and API calls through ``django.test.Client`` (in process, logged in), the
queue selector alone, a naive in-Python queue as the baseline, and the intake rate of the API."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from time import perf_counter
from typing import Any, Protocol

from django.db import connection
from django.test import Client
from django.utils import timezone

from matters.lifecycle import OPEN_STATES
from matters.models import Matter
from matters.selectors import QueueFilter, due_state_counts, matters_visible_to, queue, sorted_queue
from org.models import User

from .seed import Org

PAGE = 50


@dataclass
class Result:
    size: int
    name: str
    times_ms: list[float]
    queries: int | None = None
    sql_ms: float | None = None
    note: str = ""
    extra: dict[str, float] = field(default_factory=dict)

    def pct(self, p: float) -> float:
        """Nearest-rank percentile."""
        ordered = sorted(self.times_ms)
        return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]

    @property
    def p50(self) -> float:
        return self.pct(50)

    @property
    def p95(self) -> float:
        return self.pct(95)

    @property
    def max(self) -> float:
        return max(self.times_ms)


class BenchError(RuntimeError):
    pass


class SqlTimer:
    """Counts the statements and the time spent executing them (the query log rounds to whole ms)."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        t0 = perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += perf_counter() - t0

    @property
    def ms(self) -> float:
        return self.seconds * 1000


@contextmanager
def sql_timer() -> Iterator[SqlTimer]:
    timer = SqlTimer()
    with connection.execute_wrapper(timer):
        yield timer


class Response(Protocol):
    status_code: int
    content: bytes


def _check(resp: Response, expect: int, what: str) -> Response:
    if resp.status_code != expect:
        body = resp.content[:500].decode(errors="replace")
        raise BenchError(f"{what}: HTTP {resp.status_code}, expected {expect}: {body}")
    return resp


def timed(
    size: int, name: str, call: Callable[[], Any], reps: int, *, warmup: int = 2, note: str = ""
) -> Result:
    """``reps`` timed calls after ``warmup`` untimed ones, then one more with its SQL counted and timed."""
    for _i in range(warmup):
        call()
    times = []
    for _i in range(reps):
        t0 = perf_counter()
        call()
        times.append((perf_counter() - t0) * 1000)
    with sql_timer() as sql:
        call()
    return Result(size, name, times, sql.count, sql.ms, note)


# --- clients -------------------------------------------------------------------------------


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(username: str) -> Client:
    resp = Client().post(
        "/api/v1/auth/token",
        {"username": username, "password": "pw-" + username},
        content_type="application/json",
    )
    _check(resp, 200, f"token for {username}")
    return Client(headers={"Authorization": f"Bearer {resp.json()['token']}"})


def get(client: Client, path: str, params: dict[str, str] | None = None) -> Callable[[], Response]:
    def call() -> Response:
        return _check(client.get(path, params or {}), 200, path)

    return call


# --- the queue: selector, and the naive baseline ------------------------------------------------


def selector_queue(user: User, today: date) -> tuple[int, list[int], dict[str, int]]:
    """What the queue view asks the database: the count, the first page, the due-state tiles."""
    qs = sorted_queue(queue(user, QueueFilter(open_only=True), today)).select_related("petitioner")
    count = qs.count()
    page = [m.pk for m in qs[:PAGE]]
    return count, page, due_state_counts(user, today)


def naive_queue(user: User, today: date) -> tuple[int, list[int], dict[str, int]]:
    """The same answer without asking the database to filter, sort or count: every visible matter is
    loaded and the open ones are filtered, counted and sorted in Python (petitioners only for the page)."""
    rows = list(matters_visible_to(user).select_related("handling_unit", "category"))
    open_rows = [m for m in rows if m.state in OPEN_STATES]
    counts = {"overdue": 0, "due_soon": 0, "on_time": 0, "paused": 0, "open": len(open_rows)}
    for m in open_rows:
        if m.clock_paused:
            counts["paused"] += 1
        elif m.statutory_due is not None and m.statutory_due < today:
            counts["overdue"] += 1
        elif m.due_soon_from is not None and m.due_soon_from <= today and m.statutory_due is not None:
            counts["due_soon"] += 1
        elif m.due_soon_from is not None and m.due_soon_from > today:
            counts["on_time"] += 1
    open_rows.sort(key=lambda m: (m.statutory_due is None, m.statutory_due or date.max, -m.pk))
    page = [m.pk for m in open_rows[:PAGE]]
    # The page shows the petitioners' (masked) names.
    names = {m.pk: m.petitioner.name for m in Matter.objects.filter(pk__in=page).select_related("petitioner")}
    if len(names) != len(page):
        raise BenchError("a matter of the page vanished")
    return len(open_rows), page, counts


# --- one size ----------------------------------------------------------------------------------


@dataclass
class Options:
    reps: int = 50
    baseline_reps: int = 3
    intake: int = 200
    search: str = "物业"


def run_size(
    size: int, org: Org, opts: Options, rng: random.Random, say: Callable[[str], None]
) -> list[Result]:
    today = timezone.localdate()
    reviewer, handler = org.users["reviewer"], org.users["handler"]
    rev, hnd = logged_in(reviewer), logged_in(handler)
    api = api_client("reviewer")
    ids = list(Matter.objects.values_list("pk", flat=True))
    results: list[Result] = []

    def add(r: Result) -> None:
        results.append(r)
        say(
            f"  {r.name:<44} p50 {r.p50:8.1f} ms  p95 {r.p95:8.1f} ms  max {r.max:8.1f} ms  ({r.queries} queries)"
        )

    n = opts.reps
    page = timed(size, "queue / (city reviewer)", get(rev, "/"), n)
    add(page)
    add(timed(size, "queue / (unit handler, d1 housing)", get(hnd, "/"), n))
    add(
        timed(
            size,
            "queue ?due_state=overdue&channel=web",
            get(rev, "/", {"due_state": "overdue", "channel": "web"}),
            n,
        )
    )
    add(timed(size, f"queue ?q={opts.search}", get(rev, "/", {"q": opts.search}), n))
    add(
        timed(
            size, "matter page /matters/<random id>/", lambda: get(rev, f"/matters/{rng.choice(ids)}/")(), n
        )
    )
    add(timed(size, "API GET /api/v1/matters?limit=50", get(api, "/api/v1/matters", {"limit": "50"}), n))

    # The naive baseline must give the selectors' answer: count, first page, tiles.
    fast, slow = selector_queue(reviewer, today), naive_queue(reviewer, today)
    if fast != slow:
        raise BenchError(
            f"the naive queue disagrees with the selector: {fast[0]}/{fast[2]} vs {slow[0]}/{slow[2]}"
        )
    base = timed(
        size,
        "baseline: naive queue in Python",
        lambda: naive_queue(reviewer, today),
        opts.baseline_reps,
        warmup=0,
    )
    base.extra["ratio"] = base.p50 / page.p50
    base.note = (
        f"p50 {base.extra['ratio']:.0f}× the queue page's (city reviewer); same answer as the selectors "
        f"({fast[0]:,} open matters)"
    )
    add(base)

    if opts.intake:
        results.append(intake(size, org, opts.intake, rng, say))
    return results


# --- intake through the API ----------------------------------------------------------------------


def _payload(org: Org, rng: random.Random, i: int) -> dict[str, Any]:
    u = org.units
    return {
        "channel": rng.choice(["web", "hotline", "letter", "visit"]),
        "title": f"基准测试登记 {i} 小区物业服务费收费不合理",
        "content": "我是幸福里小区的居民，反映物业服务费收费不合理的问题。多次向有关部门反映，至今没有得到答复。",
        "petitioner": {"name": "张伟", "phone": f"138{i:08d}", "id_number": f"11010519900101{i % 10000:04d}"},
        "category_id": rng.choice(org.leaf_categories),
        "area_id": org.areas["d1"].pk,
        "handling_unit_id": rng.choice([u["city_office"].pk, u["d1_office"].pk, u["d2_office"].pk]),
    }


def intake(size: int, org: Org, count: int, rng: random.Random, say: Callable[[str], None]) -> Result:
    client = api_client("registrar")
    payloads = [_payload(org, rng, size + i) for i in range(count + 1)]
    _check(
        client.post("/api/v1/matters", payloads[0], content_type="application/json"),
        201,
        "POST /api/v1/matters",
    )
    times = []
    t_all = perf_counter()
    for body in payloads[1:]:
        t0 = perf_counter()
        _check(
            client.post("/api/v1/matters", body, content_type="application/json"), 201, "POST /api/v1/matters"
        )
        times.append((perf_counter() - t0) * 1000)
    rate = count / (perf_counter() - t_all)
    with sql_timer() as sql:
        _check(
            client.post("/api/v1/matters", payloads[0], content_type="application/json"),
            201,
            "POST /api/v1/matters",
        )
    r = Result(size, f"intake POST /api/v1/matters ×{count}", times, sql.count, sql.ms)
    r.extra["rate"] = rate
    r.note = f"{rate:.0f} matters/s, one at a time"
    say(
        f"  {r.name:<44} p50 {r.p50:8.1f} ms  p95 {r.p95:8.1f} ms  max {r.max:8.1f} ms  → {rate:.0f} matters/s"
    )
    return r
