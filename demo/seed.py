"""Demo data (``manage.py load_demo``): a city's organisation, the taxonomy, demo accounts and matters.

Everything that changes a matter goes through ``matters.services`` with an explicit ``now``, so
events, deadlines and the audit chain are what real use would leave behind. The matters are planned
first (``planner``: a fixed random seed, times relative to today), then played here in time order,
with the closing job (``close_lapsed_matters``) run once per simulated night as the real nightly job
would. The whole load is one transaction: it is either all there or not at all.
"""

from __future__ import annotations

import random
import time as clock
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from audit.models import Event
from deadlines.models import DayKind, ServiceProfile
from hearings import demo as hearings_demo
from joint import demo as joint_demo
from matters.clocks import batch_clock_context
from matters.lifecycle import OPEN_STATES, State
from matters.models import Channel, HandlingKind, Matter
from matters.services import ACTIONS, close_lapsed_matters, register_matter
from org.models import Area, Unit, User
from screening import demo as screening_demo
from suggestions import demo as suggestions_demo

from .categories import CategoryPicker, load_taxonomy
from .organisation import build_org, create_accounts
from .planner import HORIZON_DAYS, Plan, Planner, Step
from .texts import read_texts

DEFAULT_MATTERS = 2000
SEED = 20250521
FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SENTINEL_USERNAME = "registrar"


# Areas beside the matters, each with its own demo loader (they read the organisation and matters).
AREAS = (hearings_demo, suggestions_demo, screening_demo, joint_demo)


def demo_loaded() -> bool:
    return User.objects.filter(username=SENTINEL_USERNAME).exists()


FIRST_PETITION_PROFILE = "首次信访三周办结"


def ensure_service_profile() -> ServiceProfile:
    profile, _created = ServiceProfile.objects.get_or_create(
        name=FIRST_PETITION_PROFILE,
        defaults={"stage": "handling", "days": 21, "day_kind": DayKind.CALENDAR, "first_petition_only": True},
    )
    return profile


# --- playing the plan ----------------------------------------------------------------------


def _perform(plan: Plan, step: Step) -> None:
    assert step.at is not None
    try:
        if step.action == "register":
            assert step.actor is not None
            plan.matter_id = register_matter(plan.data, actor=step.actor, now=step.at).pk
        elif step.action == "merge":
            assert plan.merge_into is not None
            ACTIONS["merge"](
                plan.matter_id,
                actor=step.actor,
                now=step.at,
                into_id=plan.merge_into.matter_id,
                **step.params,
            )
        else:
            ACTIONS[step.action](plan.matter_id, actor=step.actor, now=step.at, **step.params)
    except Exception as exc:
        raise RuntimeError(
            f"demo matter #{plan.index} ({plan.fate}): {step.action} on {step.at:%Y-%m-%d %H:%M} "
            f"by {step.actor}: {exc}"
        ) from exc


def play(plans: list[Plan], now: datetime, say: Callable[[str], None], started: float) -> None:
    """Every step in time order, with the closing job run each night at 01:00."""
    tz = ZoneInfo(settings.TIME_ZONE)
    timeline: list[tuple[datetime, int, int, tuple[Plan, Step] | None]] = []
    for plan in plans:
        for k, step in enumerate(plan.steps):
            assert step.at is not None
            timeline.append((step.at, plan.index, k, (plan, step)))
    if timeline:
        day = min(t[0] for t in timeline).astimezone(tz).date() + timedelta(days=1)
        while (night := datetime.combine(day, datetime.min.time(), tzinfo=tz) + timedelta(hours=1)) <= now:
            timeline.append((night, -1, 0, None))  # the nightly closing job
            day += timedelta(days=1)
    timeline.sort(key=lambda t: (t[0], t[1], t[2]))
    with batch_clock_context():
        _play_timeline(timeline, len(plans), say, started, tz)
        close_lapsed_matters(now=now)


def _play_timeline(
    timeline: list[tuple[datetime, int, int, tuple[Plan, Step] | None]],
    total: int, say: Callable[[str], None], started: float, tz: ZoneInfo,
) -> None:
    registered = 0
    for at, _index, _k, action in timeline:
        if action is None:
            close_lapsed_matters(now=at)
            continue
        plan, step = action
        _perform(plan, step)
        if step.action == "register":
            registered += 1
            if registered % 250 == 0 or registered == total:
                say(
                    f"  {registered:>5}/{total} matters registered, played up to {at.astimezone(tz):%Y-%m-%d} "
                    f"({clock.perf_counter() - started:.1f} s)"
                )


# --- the whole load -----------------------------------------------------------------------


@dataclass
class LoadReport:
    matters: int
    seconds: float
    states: dict[str, int]
    channels: dict[str, int]
    kinds: dict[str, int]
    overdue: int
    due_soon: int
    paused: int
    events: int

    def lines(self) -> list[str]:
        def fmt(counts: dict[str, int]) -> str:
            return ", ".join(f"{k} {v}" for k, v in counts.items())

        return [
            f"Loaded {self.matters} matters in {self.seconds:.1f} s ({self.events} audit events).",
            f"States: {fmt(self.states)}",
            f"Channels: {fmt(self.channels)}",
            f"Kinds of handling: {fmt(self.kinds)}",
            f"Open matters: {self.overdue} overdue, {self.due_soon} due soon, {self.paused} with a paused clock.",
        ]


def _counts(field_name: str, order: Iterable[str]) -> dict[str, int]:
    found = Counter(dict(Matter.objects.values_list(field_name).annotate(n=models.Count("pk"))))
    return {key: found[key] for key in order if found[key]}


def report(seconds: float, now: datetime) -> LoadReport:
    today = now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    open_matters = Matter.objects.filter(state__in=OPEN_STATES)
    return LoadReport(
        matters=Matter.objects.count(),
        seconds=seconds,
        states=_counts("state", State.values),
        channels=_counts("channel", Channel.values),
        kinds=_counts("handling_kind", HandlingKind.values),
        overdue=open_matters.filter(statutory_due__lt=today, clock_paused=False).count(),
        due_soon=open_matters.filter(
            due_soon_from__lte=today, statutory_due__gte=today, clock_paused=False
        ).count(),
        paused=open_matters.filter(clock_paused=True).count(),
        events=Event.objects.count(),
    )


def load_demo(
    *,
    matters: int = DEFAULT_MATTERS,
    seed: int = SEED,
    now: datetime | None = None,
    texts_path: Path | None = None,
    say: Callable[[str], None] | None = None,
) -> LoadReport | None:
    """Load the demo data in one transaction; returns None (and does nothing) if it is already loaded."""
    out = say or (lambda _message: None)
    if demo_loaded():
        return None
    started = clock.perf_counter()
    now = now or timezone.now()
    texts = read_texts(texts_path or FIXTURES / "demo_texts.csv")
    with transaction.atomic():
        org = build_org()
        nodes = load_taxonomy(FIXTURES / "taxonomy.csv")
        ensure_service_profile()
        accounts = create_accounts(org, now - timedelta(days=HORIZON_DAYS + 7), random.Random(seed + 1))
        out(
            f"Organisation: {Unit.objects.count()} units, {Area.objects.count()} areas; "
            f"{len(nodes)} categories; {accounts} accounts ({clock.perf_counter() - started:.1f} s)."
        )
        plans = Planner(random.Random(seed), org, CategoryPicker(nodes), texts, now).plan_all(matters)
        out(
            f"Planned {len(plans)} matters over the last {HORIZON_DAYS} days; playing them through the services…"
        )
        play(plans, now, out, started)
        for area in AREAS:
            out(area.load_demo_data(now, random.Random(seed + 2)))
    return report(clock.perf_counter() - started, now)
