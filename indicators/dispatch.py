"""周调度 (weekly dispatch): per unit, the matters overdue and due soon at the end of an ISO week,
with what was done on them during the week, read from the event log.

At the week's end (Sunday) a running office clock is overdue when its last day has passed, and due
soon when its last day falls within the next ``HORIZON_DAYS``: the week the dispatch meeting plans
for. Clocks paused now are left out, since their due date is not fixed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from audit.models import Event
from deadlines.rules import CLOCKS
from matters.models import Deadline, Matter
from matters.selectors import matters_visible_to
from org.models import User

from .units import Row, rows_q, tally

HORIZON_DAYS = 7
OFFICE_CLOCKS = [c.value for c, rule in CLOCKS.items() if rule.office_obligation]
BUCKETS = ("overdue", "due_soon", "untouched")
# Reading is not acting: opening the petitioner's identity leaves an event but moves nothing.
NOT_ACTIONS = ("view_personal_data",)


@dataclass(frozen=True)
class Week:
    year: int
    number: int

    @classmethod
    def of(cls, day: date) -> Week:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def parse(cls, text: str, default: date) -> Week:
        """'2026-W10' as an <input type=week> sends it; anything else: the week of ``default``."""
        try:
            year, number = text.split("-W")
            return cls.of(date.fromisocalendar(int(year), int(number), 1))
        except ValueError:
            return cls.of(default)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def iso(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    def bounds(self) -> tuple[datetime, datetime]:
        start = timezone.make_aware(datetime.combine(self.monday, time.min))
        return start, start + timedelta(days=7)


@dataclass(frozen=True)
class DispatchLine:
    row: Row
    overdue: int
    due_soon: int
    actions: int  # events on those matters during the week
    untouched: int  # of those matters, how many saw no action at all


def _open_clocks(week: Week) -> QuerySet[Deadline]:
    end = week.sunday
    return Deadline.objects.filter(clock__in=OFFICE_CLOCKS, start__lte=end).filter(
        Q(stopped_on__isnull=True) | Q(stopped_on__gt=end))


def _week_events(week: Week) -> QuerySet[Event]:
    start, stop = week.bounds()
    return Event.objects.filter(target_type="matter", at__gte=start, at__lt=stop).exclude(verb__in=NOT_ACTIONS)


def flagged(user: User, report_rows: list[Row], week: Week, bucket: str | None = None) -> QuerySet[Matter]:
    """The matters overdue or due soon at the week's end, each annotated with its bucket and
    whether anything was done on it in the week."""
    end = week.sunday
    q = rows_q(report_rows)
    clocks = _open_clocks(week).filter(matter=OuterRef("pk"))
    # Only matters with a clock running at the week's end and due by the horizon are candidates:
    # the subqueries below then run on those few, not on every matter in scope.
    candidates = _open_clocks(week).filter(due__lte=end + timedelta(days=HORIZON_DAYS)).values("matter_id")
    qs = matters_visible_to(user).filter(q, clock_paused=False, pk__in=candidates).annotate(
        is_overdue=Exists(clocks.filter(due__lt=end)),
        is_due_soon=Exists(clocks.filter(due__gte=end, due__lte=end + timedelta(days=HORIZON_DAYS))),
        acted=Exists(_week_events(week).filter(target_id=OuterRef("pk"))),
    ).filter(Q(is_overdue=True) | Q(is_due_soon=True))
    if bucket == "overdue":
        return qs.filter(is_overdue=True)
    if bucket == "due_soon":
        return qs.filter(is_overdue=False)
    if bucket == "untouched":
        return qs.filter(acted=False)
    return qs


def weekly_dispatch(user: User, report_rows: list[Row], week: Week) -> list[DispatchLine]:
    if not report_rows:
        return []
    matters = flagged(user, report_rows, week)
    data = list(matters.order_by().values("handling_unit").annotate(
        overdue=Count("pk", filter=Q(is_overdue=True)),
        due_soon=Count("pk", filter=Q(is_overdue=False)),
        untouched=Count("pk", filter=Q(acted=False)),
    ))
    unit_of = Matter.objects.filter(pk=OuterRef("target_id")).values("handling_unit_id")
    actions = _week_events(week).filter(target_id__in=matters.values("pk")).annotate(
        matter_unit=Subquery(unit_of)).order_by().values("matter_unit").annotate(n=Count("pk"))
    columns = {name: tally(report_rows, {d["handling_unit"]: d[name] for d in data})
               for name in ("overdue", "due_soon", "untouched")}
    columns["actions"] = tally(report_rows, {d["matter_unit"]: d["n"] for d in actions})
    return [DispatchLine(row, columns["overdue"][i], columns["due_soon"][i], columns["actions"][i], columns["untouched"][i])
            for i, row in enumerate(report_rows)]


def actions_on(matter_ids: list[int], week: Week) -> dict[int, list[Event]]:
    """The events of the week on the listed matters (one page of a drill-down), oldest first."""
    out: dict[int, list[Event]] = {pk: [] for pk in matter_ids}
    for e in _week_events(week).filter(target_id__in=matter_ids).select_related("actor").order_by("seq"):
        out[e.target_id].append(e)  # type: ignore[index]
    return out
