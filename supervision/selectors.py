"""Reading orders: a user sees the orders to or from units in their scope."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from matters.lifecycle import OPEN_STATES
from matters.selectors import matters_visible_to
from org.models import User
from org.scope import unit_ids_in_scope

from .models import SupervisionOrder


def orders_visible_to(user: User) -> QuerySet[SupervisionOrder]:
    units = unit_ids_in_scope(user)
    qs = SupervisionOrder.objects.select_related("handling_unit", "supervising_unit")
    return qs if units is None else qs.filter(Q(handling_unit__in=units) | Q(supervising_unit__in=units))


def order_counts(user: User) -> dict[str, int]:
    rows = orders_visible_to(user).values("state").annotate(n=Count("pk"))
    return {r["state"]: r["n"] for r in rows}


def above_level_by_unit(user: User, since: date) -> list[dict[str, object]]:
    """Visits beyond the proper level (越级访) and to the capital (进京访) registered since ``since``,
    counted per unit of origin: the unit responsible for the matter."""
    return list(
        matters_visible_to(user).filter(Q(is_above_level=True) | Q(is_to_capital=True), registered_at__date__gte=since)
        .values("handling_unit_id", "handling_unit__name")
        .annotate(above=Count("pk", filter=Q(is_above_level=True)), capital=Count("pk", filter=Q(is_to_capital=True)))
        .order_by("-capital", "-above", "handling_unit__name")
    )


def overdue_by_unit(user: User, today: date) -> list[dict[str, object]]:
    """Open overdue matters per handling unit, most first: the board's drill-down into the queue."""
    return list(
        matters_visible_to(user).filter(state__in=OPEN_STATES, clock_paused=False, statutory_due__lt=today)
        .values("handling_unit_id", "handling_unit__name").annotate(n=Count("pk")).order_by("-n", "handling_unit__name")
    )
