"""``python -m bench.indicators``: on an empty database, bulk-seed 1,000,000 matters registered over
one year, with their finished deadline windows, ratings and the hotline's accept/refuse events so
every figure has a numerator (but without the search and duplicate indexes, which nothing here
reads), then tally the finished months once (``refresh_tallies``, the worker's job, timed as its own row),
then time the indicators of the whole city over that year, a district's dashboard and the city dashboard, and compare with a naive baseline measured in the same
run: the same figures computed per matter in Python over ``values()`` of the needed columns. The
naive and the real figures must agree, number for number.

Run it through ``scripts/bench.sh`` (``make bench``), which gives it a throwaway database.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter
from typing import Any

from .run import RESULTS, db_label, machine, say, setup

GOAL_CITY_MS = {"sqlite": 2000.0, "postgresql": 1000.0}
GOAL_UNIT_MS = 300.0
EVENT_CHUNK = 20_000
TOUCHED = 150


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.indicators", description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--matters", type=int, default=1_000_000, help="matters to seed (default: %(default)s)")
    p.add_argument("--reps", type=int, default=5, help="timed runs of each measured call (default: %(default)s)")
    p.add_argument("--seed", type=int, default=20240501, help="random seed (default: %(default)s)")
    p.add_argument("--label", default="", help="a note for the results section")
    p.add_argument("--results", type=Path, default=RESULTS)
    p.add_argument("--no-record", action="store_true", help="do not append the results to the results file")
    return p.parse_args(argv)


@dataclass
class Timing:
    name: str
    times_ms: list[float]
    queries: int | None
    note: str = ""

    @property
    def p50(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def max(self) -> float:
        return max(self.times_ms)


def timed(name: str, fn: Callable[[], object], reps: int, note: str = "") -> tuple[Timing, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, out = [], None
    for _i in range(reps):
        t = perf_counter()
        out = fn()
        times.append((perf_counter() - t) * 1000)
    with CaptureQueriesContext(connection) as ctx:  # one more call, untimed, to count its queries
        fn()
    return Timing(name, times, len(ctx.captured_queries), note), out


def make_seeder(org: Any, seed: int) -> Any:
    """The bench seeder, with every matter registered within the last year and, for matters past a
    step, the finished deadline window of that step (the bulk seeder writes open clocks only)."""
    import random

    from deadlines.models import DayKind
    from deadlines.rules import Clock
    from matters.lifecycle import State
    from matters.models import Deadline, Matter

    from .seed import ClockSpec, Seeder, by_day

    @dataclass
    class Done(ClockSpec):
        stopped_on: date | None = None

    year = (30, 364)
    later = {State.REPLIED, State.FOLLOWED_UP, State.REVIEW_REQUESTED, State.REVIEWED, State.RE_REVIEW_REQUESTED}

    class YearSeeder(Seeder):
        AGE = {**{k: (lo, min(hi, 364)) for k, (lo, hi) in Seeder.AGE.items()},
               State.CLOSED: year, State.NOT_ACCEPTED: year, State.MERGED: year}

        def __init__(self) -> None:
            super().__init__(org, seed=seed, index=False)
            self.hist = random.Random(seed + 1)

        def _stop(self, start: date, days: int, on_time: float) -> date:
            late = self.hist.random() > on_time
            stop = start + timedelta(days=self.hist.randint(days + 1, days + 20) if late else self.hist.randint(0, days - 1))
            return by_day(self.hist, start, stop, self.today)

        def _clocks(self, state: str, registered: date) -> tuple[list[ClockSpec], date | None]:
            specs, finished = super()._clocks(state, registered)
            cal, h = DayKind.CALENDAR, self.hist
            done: list[ClockSpec] = []
            if state in (State.ACCEPTED, State.EXTENDED):
                done.append(Done(Clock.ACCEPTANCE, registered, 15, cal, stopped_on=specs[0].start))
            elif state == State.NOT_ACCEPTED:
                done.append(Done(Clock.ACCEPTANCE, registered, 15, cal, stopped_on=self._stop(registered, 15, 0.95)))
            elif state in later or state == State.CLOSED:
                accepted = self._stop(registered, 15, 0.95)
                done.append(Done(Clock.ACCEPTANCE, registered, 15, cal, stopped_on=accepted))
                replied = specs[0].start if specs else self._stop(accepted, 60, 0.9)
                if finished is not None and replied > finished:
                    replied = max(accepted, finished - timedelta(days=h.randint(0, 5)))
                replied = max(replied, accepted)
                done.append(Done(Clock.HANDLING, accepted, 60, cal, stopped_on=replied))
                if state == State.CLOSED:
                    done.append(Done(Clock.REVIEW_REQUEST, replied, 30, cal,
                                     stopped_on=min(replied + timedelta(days=30), self.today)))
            return specs + done, finished

        def _refresh_due_columns(self, matter: Matter, specs: Sequence[ClockSpec]) -> None:
            super()._refresh_due_columns(matter, [s for s in specs if not isinstance(s, Done)])

        def _deadline(self, matter: Matter, spec: ClockSpec) -> Deadline:
            d = super()._deadline(matter, spec)
            if isinstance(spec, Done):
                d.stopped_on = spec.stopped_on
            return d

    return YearSeeder()


def bench_event(seq: int, **fields: Any) -> Any:
    """An audit event written in bulk with placeholder hashes: the bench reads events, never the chain."""
    from audit.models import Event

    return Event(seq=seq, prev_hash=f"bench{seq - 1:058d}", hash=f"bench{seq:059d}", **fields)


def add_ratings_and_events(seed: int, today: date) -> tuple[int, int]:
    """A rating for most matters whose review-request window has started, and for each 12345 work
    order taken up or refused, the accept or refuse event (most within 24 hours) and its moment on
    the matter."""
    import random
    from importlib import import_module

    from django.apps import apps
    from django.db import transaction
    from django.utils import timezone

    from audit.models import Event
    from deadlines.rules import Clock
    from matters.lifecycle import State
    from matters.models import Channel, Deadline, Matter
    from portal.models import Rating

    from .seed import by_day

    rng = random.Random(seed + 2)
    levels = [Rating.Level.SATISFIED] * 7 + [Rating.Level.BASICALLY] * 2 + [Rating.Level.DISSATISFIED]
    starts = Deadline.objects.filter(clock=Clock.REVIEW_REQUEST).order_by().values_list("matter_id", "start")
    ratings = []
    for matter_id, start in starts.iterator(chunk_size=EVENT_CHUNK):
        if rng.random() < 0.8:
            day = by_day(rng, start, start + timedelta(days=rng.randint(0, 20)), today - timedelta(days=1))
            ratings.append(Rating(matter_id=matter_id, level=rng.choice(levels),
                                  rated_at=timezone.make_aware(datetime.combine(max(day, start), time(rng.randint(8, 20))))))
    with transaction.atomic():
        Rating.objects.bulk_create(ratings, batch_size=EVENT_CHUNK)
    taken = (Matter.objects.filter(channel=Channel.HOTLINE).exclude(state__in=[State.REGISTERED, State.FORWARDED, State.MERGED])
             .order_by("pk").values_list("pk", "state", "registered_at", "handling_unit_id"))
    events, seq = [], Event.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    for pk, state, registered_at, unit_id in taken.iterator(chunk_size=EVENT_CHUNK):
        seq += 1
        hours = rng.uniform(0.5, 20) if rng.random() < 0.9 else rng.uniform(24.5, 120)
        events.append(bench_event(seq, at=registered_at + timedelta(hours=hours), unit_id=unit_id,
                                  verb="refuse" if state == State.NOT_ACCEPTED else "accept", target_type="matter", target_id=pk))
    with transaction.atomic():
        Event.objects.bulk_create(events, batch_size=EVENT_CHUNK)
        # Matter.responded_at from those events, as the migration fills it for matters answered
        # before the column (the services keep it for the rest).
        import_module("matters.migrations.0008_responded_at").backfill_responded_at(apps, None)
    return len(ratings), len(events)


def between_refreshes(seed: int, today: date, city: Callable[[], Any], expected: dict[str, tuple[int, int | None]],
                      unit: Callable[[], object], reps: int) -> list[Timing]:
    """The reads before the worker's next refresh, after ``TOUCHED`` events (about ten minutes of a
    busy city's work) on matters registered in the last 60 days, then on matters registered across
    the year: each event makes the tallies of its matter's fact days stale (``tallies.Touches``), so
    those days and their months are counted live. After each, the refresh that tallies them again.
    The events change no fact, so the figures must not move."""
    import random

    from django.utils import timezone

    from audit.models import Event
    from indicators.services import refresh_tallies
    from matters.models import Matter

    rng = random.Random(seed + 3)
    recent = timezone.make_aware(datetime.combine(today - timedelta(days=60), time.min))
    out: list[Timing] = []
    for hour, (where, matters) in enumerate((("registered in the last 60 days", Matter.objects.filter(registered_at__gte=recent)),
                                             ("registered across the year", Matter.objects.all()))):
        n = matters.count()
        ids = list(matters.order_by("pk").values_list("pk", flat=True)[::max(1, n // (TOUCHED * 20))])
        seq = Event.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        moment = timezone.make_aware(datetime.combine(today, time(13 + hour)))
        Event.objects.bulk_create([bench_event(seq + i + 1, at=moment, verb="add_note", target_type="matter", target_id=pk)
                                   for i, pk in enumerate(sorted(rng.sample(ids, min(TOUCHED, len(ids)))))])
        note = f"after {TOUCHED:,} events on matters {where}, before the next refresh"
        figs, found = timed(f"figures(), {note}", city, reps)
        if {f.definition.key: (f.numerator, f.denominator) for f in found} != expected:  # type: ignore[attr-defined]
            raise SystemExit("bench.indicators: FAILED: figures() changed with events that change no fact")
        dash, _d = timed(f"unit dashboard, {note}", unit, reps)
        t = perf_counter()
        again = refresh_tallies(timezone.make_aware(datetime.combine(today, time(13 + hour, 30))))
        out += [figs, dash, Timing(f"refresh_tallies() after those events on matters {where}", [(perf_counter() - t) * 1000],
                                   None, f"{len(again)} months tallied again")]
    return out


def naive(user: Any, period: Any, today: date) -> dict[str, tuple[int, int | None]]:
    """Every figure of ``figures(user, None, period, today)``, per matter in Python: read the needed
    columns of every matter, deadline window, rating and event, and count."""
    from django.utils import timezone

    from audit.models import Event
    from deadlines.rules import Clock
    from indicators.models import IndicatorDefinition
    from matters.lifecycle import State
    from matters.models import Channel, Deadline, HandlingKind, Matter
    from org.scope import sees_confidential, unit_ids_in_scope
    from portal.models import Rating

    units, confidential = unit_ids_in_scope(user), sees_confidential(user)
    visible: dict[int, dict[str, Any]] = {}
    cols = ("pk", "handling_unit_id", "intake_unit_id", "handling_kind", "channel", "state", "is_repeat",
            "registered_at", "closed_at")
    for m in Matter.objects.order_by().values(*cols).iterator(chunk_size=EVENT_CHUNK):
        if units is not None and m["handling_unit_id"] not in units and m["intake_unit_id"] not in units:
            continue
        if not confidential and m["handling_kind"] == HandlingKind.ACCUSATION:
            continue
        visible[m["pk"]] = m
    windows = defaultdict(list)
    for d in Deadline.objects.order_by().values("matter_id", "clock", "start", "due", "stopped_on").iterator(chunk_size=EVENT_CHUNK):
        windows[d["matter_id"]].append(d)
    ratings = {r["matter_id"]: r for r in Rating.objects.order_by().values("matter_id", "level", "rated_at").iterator(chunk_size=EVENT_CHUNK)}
    answers = defaultdict(list)
    for e in (Event.objects.filter(target_type="matter", verb__in=["accept", "refuse"]).order_by()
              .values("target_id", "at").iterator(chunk_size=EVENT_CHUNK)):
        answers[e["target_id"]].append(e["at"])

    def day(moment: datetime | None) -> date | None:
        return timezone.localtime(moment).date() if moment is not None else None

    def within(d: date | None, start: date, end: date) -> bool:
        return d is not None and start <= d <= end

    ended_end = min(period.end, today - timedelta(days=1))
    out: dict[str, tuple[int, int | None]] = {}
    for definition in IndicatorDefinition.objects.all():
        key, params = definition.key, definition.params or {}
        hotline = definition.indicator_set == IndicatorDefinition.Set.HOTLINE
        num = den = 0
        good = {Rating.Level.SATISFIED.value} | ({Rating.Level.BASICALLY.value} if params.get("count_basically_satisfied", True) else set())
        resolved = set(params.get("resolved_levels", [Rating.Level.SATISFIED, Rating.Level.BASICALLY]))
        hours = timedelta(hours=int(str(params.get("response_hours", 24))))
        for pk, m in visible.items():
            if hotline and m["channel"] != Channel.HOTLINE:
                continue
            if key in ("timely_acceptance", "on_time_completion"):
                clock = Clock.ACCEPTANCE if key == "timely_acceptance" else Clock.HANDLING
                for w in windows.get(pk, ()):
                    if w["clock"] == clock and within(w["due"], period.start, ended_end):
                        den += 1
                        num += w["stopped_on"] is not None and w["stopped_on"] <= w["due"]
            elif key in ("satisfaction", "hotline_satisfaction"):
                r = ratings.get(pk)
                if r is not None and within(day(r["rated_at"]), period.start, period.end):
                    den += 1
                    num += r["level"] in good
            elif key == "participation":
                for w in windows.get(pk, ()):
                    if w["clock"] == Clock.REVIEW_REQUEST and within(w["start"], period.start, period.end):
                        den += 1
                        num += pk in ratings
            elif key == "hotline_response":
                if m["state"] != State.MERGED and within(day(m["registered_at"]), period.start, ended_end):
                    den += 1
                    num += any(at <= m["registered_at"] + hours for at in answers.get(pk, ()))
            elif key == "hotline_resolution":
                if m["state"] == State.CLOSED and within(day(m["closed_at"]), period.start, period.end):
                    den += 1
                    r = ratings.get(pk)
                    num += r is not None and r["level"] in resolved
            elif within(day(m["registered_at"]), period.start, period.end):
                num += key != "repeat_rate" or m["is_repeat"]
                den += 1
        out[key] = (num, den if definition.is_rate else None)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = perf_counter()
    setup()
    from django.db import connection
    from django.utils import timezone

    from indicators.compute import Period, figures
    from indicators.dashboard import city_overview, unit_dashboard
    from indicators.services import refresh_tallies
    from matters.models import Deadline, Matter

    from .run import update_statistics
    from .seed import build_org

    db = db_label()
    say(f"bench.indicators: {db}; {args.matters:,} matters; {machine()}")
    org = build_org()
    seeder = make_seeder(org, args.seed)
    today = seeder.today
    t0 = perf_counter()

    def progress(done: int) -> None:
        if done % 50_000 == 0 or done == args.matters:
            say(f"  {done:>9,} / {args.matters:,}  {done / (perf_counter() - t0):7.0f} matters/s")

    seeder.seed(args.matters, progress)
    seeded = perf_counter() - t0
    t1 = perf_counter()
    n_ratings, n_events = add_ratings_and_events(args.seed, today)
    extra = perf_counter() - t1
    update_statistics(False)
    n_deadlines = Deadline.objects.count()
    seeding = (f"{args.matters:,} matters and {n_deadlines:,} deadline windows in {seeded:.0f} s "
               f"({args.matters / seeded:,.0f} matters/s), then {n_ratings:,} ratings and {n_events:,} events in {extra:.0f} s")
    say(f"seeded: {seeding}")

    reviewer, district_user, district = org.users["reviewer"], org.users["d1_reviewer"], org.units["d1"]
    t = perf_counter()
    tallied = refresh_tallies(timezone.make_aware(datetime.combine(today, time(12))))
    refresh = Timing("refresh_tallies() once, in the worker (not in any read)", [(perf_counter() - t) * 1000], None,
                     f"{len(tallied)} months tallied: the finished months, and the finished days of this month and the 13 before")
    year = Period(today - timedelta(days=364), today)
    city, figs = timed(f"figures(): whole city, {year.start} – {year.end}", lambda: figures(reviewer, None, year, today), args.reps)
    unit, _u = timed(f"unit dashboard: {district.name} (d1_reviewer)", lambda: unit_dashboard(district_user, district, today), args.reps)
    overview, _o = timed("city dashboard (reviewer)", lambda: city_overview(reviewer, today), args.reps)
    t = perf_counter()
    slow = naive(reviewer, year, today)
    naive_ms = (perf_counter() - t) * 1000
    real = {f.definition.key: (f.numerator, f.denominator) for f in figs}  # type: ignore[attr-defined]
    if real != slow:
        say(f"bench.indicators: FAILED: figures() and the naive count disagree:\n  figures(): {real}\n  naive:     {slow}")
        return 1
    ratio = naive_ms / city.p50
    base = Timing("baseline: naive per-matter Python count", [naive_ms], None,
                  f"{ratio:.0f}× figures(); same numbers for all {len(real)} figures")
    in_year = Matter.objects.filter(registered_at__gte=timezone.make_aware(datetime.combine(year.start, time.min))).count()
    stale = between_refreshes(args.seed, today, lambda: figures(reviewer, None, year, today), real,
                              lambda: unit_dashboard(district_user, district, today), args.reps)

    vendor = connection.vendor
    goal_city = GOAL_CITY_MS.get(vendor, 1000.0)
    city_ok, unit_ok = city.max < goal_city, unit.p50 < GOAL_UNIT_MS
    lines = ["| measured | runs | p50 ms | max ms | queries | note |", "|:--|--:|--:|--:|--:|:--|"]
    for r in (refresh, city, unit, overview, base, *stale):
        lines.append(f"| {r.name} | {len(r.times_ms)} | {r.p50:.0f} | {r.max:.0f} | {r.queries if r.queries is not None else ''} | {r.note} |")
    figures_line = "; ".join(f"{k} {n:,}/{d:,}" if d is not None else f"{k} {n:,}" for k, (n, d) in real.items())
    verdict = (f"Goal (city indicators over a year < {goal_city:.0f} ms: **{'met' if city_ok else 'missed'}** "
               f"(max {city.max:.0f} ms); unit dashboard < {GOAL_UNIT_MS:.0f} ms: **{'met' if unit_ok else 'missed'}** "
               f"(p50 {unit.p50:.0f} ms).")
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = [
        f"## Indicators at {args.matters:,} matters ({stamp}) — {db}{' — ' + args.label if args.label else ''}",
        "",
        f"- Command: `python -m bench.indicators{' ' + ' '.join(sys.argv[1:]) if sys.argv[1:] else ''}` "
        "(via `make bench` / `scripts/bench.sh`: fresh database, temp var dir and keys)",
        f"- Machine: {machine()}; functions called in-process, DEBUG off",
        f"- Seeding (bulk_create): {seeding}; {in_year:,} matters registered in the year measured; "
        f"whole run {(perf_counter() - started) / 60:.1f} min",
        f"- Figures (numerator/denominator): {figures_line}",
        f"- {verdict}",
    ]
    say("")
    for line in [*header, "", *lines]:
        say(line)
    if not args.no_record:
        with args.results.open("a", encoding="utf-8") as f:
            f.write("\n" + "\n".join([*header, "", *lines]) + "\n")
        say(f"\nbench.indicators: appended to {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
