"""Read queries on matters. Every query starts from ``matters_visible_to``: the one access rule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import overload

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from org.models import Unit, User
from org.scope import covering_scope, sees_confidential, unit_ids_in_scope, units_in_scope

from . import search
from .lifecycle import OPEN_STATES, TRANSITIONS, Scope, State
from .models import HandlingKind, Matter


def matters_visible_to(user: User) -> QuerySet[Matter]:
    """Matters handled or registered within the user's scope; accusations only for the petition
    office and discipline inspection."""
    return Matter.objects.filter(visible_q(user))


def visible_q(user: User, prefix: str = "", handled_by: frozenset[int] | None = None) -> Q:
    """The scope rule as a filter on a path to a matter (``prefix``, e.g. "matter__"), for queries
    that join to matters rather than start from them; no condition at all for a whole-city scope.
    ``handled_by``: the caller already keeps to matters handled by these units; when all of them are
    in scope the unit condition holds for every such matter and is left out, so the query reads one
    index instead of OR-ing the handling and intake indexes over every matter of the units."""
    q = Q()
    units = unit_ids_in_scope(user)
    if units is not None and not (handled_by is not None and handled_by <= units):
        q &= Q(**{f"{prefix}handling_unit__in": units}) | Q(**{f"{prefix}intake_unit__in": units})
    if not sees_confidential(user):
        q &= ~Q(**{f"{prefix}handling_kind": HandlingKind.ACCUSATION})
    return q


def get_matter_for(user: User, matter_id: int) -> Matter:
    """Raises Matter.DoesNotExist for a matter outside the user's scope, exactly as for a missing one."""
    return matters_visible_to(user).select_related(
        "category", "area", "handling_unit", "intake_unit", "petitioner", "merged_into"
    ).get(pk=matter_id)


def get_matter_by_code_for(user: User, code: str) -> Matter | None:
    return matters_visible_to(user).filter(query_code=code.strip().upper().replace("-", "")).first()


def units_for_assignment(user: User) -> QuerySet[Unit]:
    return units_in_scope(user)


@dataclass
class QueueFilter:
    state: str = ""
    due_state: str = ""
    channel: str = ""
    category_id: int | None = None
    area_id: int | None = None
    unit_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    open_only: bool = False


def _due_state_q(due_state: str, today: date) -> Q:
    if due_state == "overdue":
        return Q(statutory_due__lt=today, clock_paused=False)
    if due_state == "due_soon":
        return Q(due_soon_from__lte=today, statutory_due__gte=today, clock_paused=False)
    if due_state == "on_time":
        return Q(due_soon_from__gt=today, clock_paused=False)
    if due_state == "paused":
        return Q(clock_paused=True)
    return Q()


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def queue(user: User, f: QueueFilter, today: date) -> QuerySet[Matter]:
    subtree: frozenset[int] | None = None
    if f.unit_id:
        unit = Unit.objects.filter(pk=f.unit_id).first()
        subtree = frozenset(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True)) if unit else frozenset()
    qs = Matter.objects.filter(visible_q(user, handled_by=subtree))
    if subtree is not None:
        qs = qs.filter(handling_unit_id__in=subtree)
    if f.state:
        qs = qs.filter(state=f.state)
    elif f.open_only:
        qs = qs.filter(state__in=OPEN_STATES)
    if f.due_state:
        qs = qs.filter(_due_state_q(f.due_state, today))
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.category_id:
        qs = qs.filter(Q(category_id=f.category_id) | Q(category__parent_id=f.category_id) | Q(category__parent__parent_id=f.category_id))
    if f.area_id:
        qs = qs.filter(Q(area_id=f.area_id) | Q(area__parent_id=f.area_id))
    if f.date_from:
        qs = qs.filter(registered_at__gte=_day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(registered_at__lt=_day_start(f.date_to + timedelta(days=1)))
    if f.q.strip():
        term = f.q.strip()
        if search.uses_index(term):
            qs = qs.filter(search.matching_q(term))
        else:
            qs = qs.filter(Q(title__icontains=term) | Q(content__icontains=term) | Q(query_code=term.upper().replace("-", "")))
    return qs


def sorted_queue(qs: QuerySet[Matter]) -> QuerySet[Matter]:
    """Most urgent first; matters without a running clock last."""
    return qs.select_related("handling_unit", "category").order_by(F("statutory_due").asc(nulls_last=True), "-id")


class SortedRows(Sequence[Matter]):
    """A sorted queryset that fetches a slice in two steps: the slice's ids, then those rows.

    SQLite would otherwise carry every column of every match through the sort before cutting the
    page; the ids alone come from a covering index. Paginator and the API slice this like a list.
    """

    def __init__(self, qs: QuerySet[Matter], known_count: int | None = None) -> None:
        self.qs, self.known_count = qs, known_count

    def count(self, value: object = None) -> int:  # Paginator asks count() before len()
        return self.known_count if self.known_count is not None else self.qs.count()

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> Matter: ...
    @overload
    def __getitem__(self, index: slice) -> list[Matter]: ...

    def __getitem__(self, index: int | slice) -> Matter | list[Matter]:
        if isinstance(index, int):
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        ids = list(self.qs.values_list("pk", flat=True)[index])
        rows = self.qs.order_by().in_bulk(ids)
        return [rows[pk] for pk in ids]


def known_queue_count(f: QueueFilter, counts: dict[str, int]) -> int | None:
    """The unfiltered queue is every open matter in scope, which ``due_state_counts`` has just
    counted: the page need not count them again (a second scan of every open matter)."""
    return counts["open"] if f == QueueFilter(open_only=True) else None


def due_state_counts(user: User, today: date) -> dict[str, int]:
    """Open matters per due state, in one query."""
    return count_due_states(matters_visible_to(user).filter(state__in=OPEN_STATES), today)


DUE_STATES = ("overdue", "due_soon", "on_time", "paused")


def count_due_states(qs: QuerySet[Matter], today: date) -> dict[str, int]:
    """The matters of ``qs`` ("open") and those of each due state, in one query: what ``queue``
    with each ``due_state`` would count, from the same conditions."""
    # Counting "state" (never null), not the id: then every column the query reads is in the
    # queue's covering index and PostgreSQL answers from the index alone (5 ms, not 31 ms, at 100k).
    return qs.order_by().aggregate(open=Count("state"),
                                   **{s: Count("state", filter=_due_state_q(s, today)) for s in DUE_STATES})


def available_actions(user: User, matter: Matter) -> list[str]:
    """The transitions this user may take on this matter now (buttons shown, nothing more)."""
    actions = []
    for name, t in TRANSITIONS.items():
        if t.scope == Scope.SYSTEM or matter.state not in t.sources:
            continue
        if t.scope == Scope.HANDLING_UNIT:
            ok = covering_scope(user, matter.handling_unit, t.roles) is not None
        elif t.scope == Scope.ABOVE_HANDLING_UNIT:
            ok = covering_scope(user, matter.handling_unit, t.roles, strictly_above=True) is not None
        else:
            ok = matter.review_unit is not None and covering_scope(user, matter.review_unit, t.roles, strictly_above=True) is not None
        if ok:
            actions.append(name)
    return actions


def is_open(matter: Matter) -> bool:
    return matter.state in OPEN_STATES


__all__ = ["State", "QueueFilter", "available_actions", "count_due_states", "due_state_counts", "get_matter_for", "matters_visible_to", "queue"]
