"""Read queries: the ledger a user sees, its filters, missing reports, the monthly roll-up and
the level-of-resolution report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Q, QuerySet, When
from django.utils import timezone

from org.models import Unit, User
from org.scope import units_in_scope

from .cadence import (
    COMMUNITY,
    STREET,
    Period,
    cadence_of,
    ended_periods,
    is_late,
    must_report,
    period_containing,
)
from .lifecycle import WORKERS
from .models import (
    Cadence,
    EntryStatus,
    Escalation,
    LedgerEntry,
    ScreeningPolicy,
    ScreeningReminder,
    ScreeningReport,
)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def local_date(now: datetime) -> date:
    return timezone.localtime(now).date()


def entries_visible_to(user: User) -> QuerySet[LedgerEntry]:
    """Entries the user's units are responsible for or found: the one way a ledger query starts."""
    scope = units_in_scope(user).values("pk")
    return LedgerEntry.objects.filter(Q(responsible_unit__in=scope) | Q(found_by_unit__in=scope)).select_related(
        "responsible_unit", "found_by_unit", "area", "category")


def get_entry_for(user: User, entry_id: int) -> LedgerEntry:
    return entries_visible_to(user).get(pk=entry_id)


def overdue_q(today: date) -> Q:
    """Overdue: the deadline has passed and the entry is not signed off."""
    return Q(deadline__lt=today) & ~Q(status=EntryStatus.CLOSED)


@dataclass(frozen=True)
class LedgerFilter:
    status: str = ""
    risk_level: str = ""
    overdue: bool = False
    unit: Unit | None = None  # the responsible unit's subtree
    # drill-downs from the level-of-resolution report, which need unit, start and end
    closed: bool = False
    levels: tuple[str, ...] = ()
    escalated: bool = False
    start: date | None = None
    end: date | None = None


def ledger(user: User, f: LedgerFilter, today: date) -> QuerySet[LedgerEntry]:
    qs = entries_visible_to(user)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.risk_level:
        qs = qs.filter(risk_level=f.risk_level)
    if f.overdue:
        qs = qs.filter(overdue_q(today))
    if f.closed or f.escalated:
        if f.start is None or f.end is None or f.unit is None:
            return qs.none()
        if f.closed:
            qs = closed_in(qs, f.unit, f.start, f.end)
        if f.levels:
            qs = qs.filter(closed_unit__level_name__in=f.levels)
        if f.escalated:
            qs = qs.filter(pk__in=escalations_in(f.unit, f.start, f.end).values("entry_id"))
    elif f.unit is not None:
        qs = qs.filter(responsible_unit__path__startswith=f.unit.path)
    return qs.annotate(closed_last=Case(When(status=EntryStatus.CLOSED, then=1), default=0)).order_by(
        "closed_last", "deadline", "pk")


def closed_in(qs: QuerySet[LedgerEntry], root: Unit, start: date, end: date) -> QuerySet[LedgerEntry]:
    return qs.filter(status=EntryStatus.CLOSED, closed_unit__path__startswith=root.path,
                     closed_at__gte=_day_start(start), closed_at__lt=_day_start(end + timedelta(days=1)))


def escalations_in(root: Unit, start: date, end: date) -> QuerySet[Escalation]:
    return Escalation.objects.filter(from_unit__path__startswith=root.path, at__gte=_day_start(start),
                                     at__lt=_day_start(end + timedelta(days=1)))


@dataclass(frozen=True)
class LevelRow:
    level_name: str
    closed: int


@dataclass(frozen=True)
class ResolutionReport:
    root: Unit
    start: date
    end: date
    rows: list[LevelRow]
    closed: int
    escalated: int

    @property
    def grassroots(self) -> int:
        """Closed at community or street level (小事不出村、大事不出镇)."""
        return sum(r.closed for r in self.rows if r.level_name in (COMMUNITY, STREET))

    @property
    def grassroots_share(self) -> float | None:
        return self.grassroots / self.closed if self.closed else None


LEVEL_ORDER = (COMMUNITY, STREET, "区", "市")


def resolution_levels(user: User, root: Unit, start: date, end: date) -> ResolutionReport:
    """Entries signed off in the period under ``root``, by the level of the unit that closed them."""
    closed = closed_in(entries_visible_to(user), root, start, end)
    counts = Counter(closed.values_list("closed_unit__level_name", flat=True))
    levels = [*LEVEL_ORDER, *sorted(set(counts) - set(LEVEL_ORDER))]
    rows = [LevelRow(name, counts.get(name, 0)) for name in levels]
    escalated = escalations_in(root, start, end).filter(entry__in=entries_visible_to(user).values("pk"))
    return ResolutionReport(root, start, end, rows, sum(counts.values()), escalated.values("entry_id").distinct().count())


@dataclass(frozen=True)
class Missing:
    unit: Unit
    period: Period

    @property
    def key(self) -> tuple[int, date]:
        return (self.unit.pk, self.period.start)


def reporting_units(root: Unit) -> list[Unit]:
    return [u for u in Unit.objects.filter(path__startswith=root.path) if must_report(u)]


def _filed(units: list[Unit], since: date) -> set[tuple[int, date, date]]:
    return set(ScreeningReport.objects.filter(unit__in=units, period_end__gte=since).values_list(
        "unit_id", "period_start", "period_end"))


def missing_reports(root: Unit, now: datetime) -> list[Missing]:
    """(unit, period) pairs under ``root`` whose period has ended, past the grace days, unreported."""
    policy, today = ScreeningPolicy.current(), local_date(now)
    units = reporting_units(root)
    filed = _filed(units, today - timedelta(days=policy.look_back_days + 31))
    missing: list[Missing] = []
    for unit in units:
        cadence = cadence_of(unit, policy)
        assert cadence is not None
        for period in ended_periods(cadence, today, policy):
            if (unit.pk, period.start, period.end) not in filed:
                missing.append(Missing(unit, period))
    return sorted(missing, key=lambda m: (m.period.end, m.unit.path), reverse=True)


@dataclass
class RollupRow:
    unit: Unit
    cadence: str
    filed: int = 0
    nil: int = 0
    late: int = 0
    missing: int = 0
    entries: int = 0


@dataclass
class Rollup:
    root: Unit
    month: Period
    rows: list[RollupRow] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        return {name: sum(getattr(r, name) for r in self.rows) for name in ("filed", "nil", "late", "missing", "entries")}


def _periods_in(cadence: str, month: Period, today: date, policy: ScreeningPolicy) -> list[Period]:
    """The unit's periods that end inside the month and whose report is due by ``today``."""
    periods, day = [], month.start
    while day <= month.end:
        period = period_containing(cadence, day)
        if period.end in month and is_late(period, today, policy):
            periods.append(period)
        day = period.end + timedelta(days=1)
    return periods


def monthly_rollup(root: Unit, month_day: date, now: datetime) -> Rollup:
    """The city's monthly figure (市级月汇总): computed from the subtree's reports, never typed in."""
    policy, today = ScreeningPolicy.current(), local_date(now)
    month = period_containing(Cadence.MONTHLY, month_day)
    units = reporting_units(root)
    reports = list(ScreeningReport.objects.filter(unit__in=units, period_end__gte=month.start, period_end__lte=month.end))
    found = Counter(LedgerEntry.objects.filter(found_by_unit__in=units, found_on__gte=month.start,
                                               found_on__lte=month.end).values_list("found_by_unit_id", flat=True))
    rollup = Rollup(root, month)
    for unit in units:
        cadence = cadence_of(unit, policy)
        assert cadence is not None
        mine = [r for r in reports if r.unit_id == unit.pk]
        filed = {(r.period_start, r.period_end) for r in mine}
        due = {(p.start, p.end) for p in _periods_in(cadence, month, today, policy)}
        rollup.rows.append(RollupRow(
            unit, cadence, filed=len(mine), nil=sum(1 for r in mine if r.is_nil), late=sum(1 for r in mine if r.late),
            missing=len(due - filed), entries=found.get(unit.pk, 0)))
    return rollup


def reminded(rows: list[Missing]) -> set[tuple[int, date]]:
    """Which of the missing (unit, period start) pairs the reminder job has already told someone of."""
    if not rows:
        return set()
    return set(ScreeningReminder.objects.filter(unit__in={m.unit for m in rows}, period_start__gte=min(m.period.start for m in rows))
               .values_list("unit_id", "period_start"))


def unreported_entries(unit: Unit, period: Period) -> QuerySet[LedgerEntry]:
    """Entries the unit found in the period that no report lists yet."""
    return LedgerEntry.objects.filter(found_by_unit=unit, found_on__gte=period.start, found_on__lte=period.end,
                                      report__isnull=True)


def entries_for_matter(user: User, matter_id: int) -> QuerySet[LedgerEntry]:
    """Ledger entries linked to a matter, for the matter page: only those the user sees."""
    return entries_visible_to(user).filter(related_matters=matter_id)


def report_for(unit: Unit, period: Period) -> ScreeningReport | None:
    return ScreeningReport.objects.filter(unit=unit, period_start=period.start, period_end=period.end).first()


def units_for_entry(user: User) -> QuerySet[Unit]:
    """Units whose risks the user may enter: where they are a handler or head."""
    return units_in_scope(user, WORKERS).order_by("path")


def filing_units(user: User) -> list[Unit]:
    return [u for u in units_for_entry(user) if must_report(u)]


def report_roots(user: User) -> QuerySet[Unit]:
    """Units a user may look at the boards and reports of: any in their scope."""
    return units_in_scope(user).order_by("path")


def recent_reports(unit: Unit, limit: int = 20) -> QuerySet[ScreeningReport]:
    return ScreeningReport.objects.filter(unit=unit).select_related("filed_by")[:limit]
