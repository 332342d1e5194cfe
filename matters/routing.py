"""Routing suggestion (§1, §11): the competent unit for a category and area, with its reason.

In order: a routing rule (data, the most specific one), else history (where matters of the same
top-level category and area went last year), else the territorial government of the area.
It is a suggestion shown at registration; the registrar decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils.translation import gettext as _

from org.models import Area, Unit, UnitKind

from .lifecycle import REPLIED_STATES, State
from .models import Category, Matter, RoutingRule

HISTORY_DAYS = 365
# Matters that reached these states were handled where they are, not sent on.
HANDLED_STATES = REPLIED_STATES | {State.ACCEPTED, State.EXTENDED}


@dataclass(frozen=True)
class RoutingSuggestion:
    unit: Unit
    reason: str
    source: str  # rule, history, territory


def _ancestors(node: Category | Area | None) -> list[int]:
    ids: list[int] = []
    while node is not None and len(ids) < 10:
        ids.append(node.pk)
        node = node.parent
    return ids


def suggest_unit(category_id: int | None, area_id: int | None, *, now: datetime) -> RoutingSuggestion | None:
    category = Category.objects.filter(pk=category_id).select_related("parent__parent").first() if category_id else None
    area = Area.objects.filter(pk=area_id).select_related("parent__parent").first() if area_id else None
    cats, areas = _ancestors(category), _ancestors(area)
    if cats:
        rules = RoutingRule.objects.filter(category_id__in=cats).select_related("unit", "category", "area")
        matching = [r for r in rules if r.area_id is None or r.area_id in areas]
        if matching:
            # Deeper category first, then a named area over "anywhere", then the deeper area.
            best = max(matching, key=lambda r: (-cats.index(r.category_id), r.area_id is not None,
                                                -areas.index(r.area_id) if r.area_id in areas else 0))
            return RoutingSuggestion(best.unit, _("Routing rule: %(rule)s") % {"rule": best.note or str(best.category)}, "rule")
        top = cats[-1]
        history = Matter.objects.filter(registered_at__gte=now - timedelta(days=HISTORY_DAYS), state__in=HANDLED_STATES)
        history = history.filter(category__path__startswith=Category.objects.get(pk=top).path)
        if area is not None:
            history = history.filter(area_id=area.pk)
        counts = list(history.values("handling_unit").annotate(n=Count("pk")).order_by("-n")[:1])
        total = history.count()
        if counts:
            usual = Unit.objects.get(pk=counts[0]["handling_unit"])
            return RoutingSuggestion(usual, _("History: %(n)d of %(total)d such matters in the last year were handled by this unit.")
                                     % {"n": counts[0]["n"], "total": total}, "history")
    for area_pk in areas:
        government = Unit.objects.filter(area_id=area_pk, kind=UnitKind.TERRITORIAL).order_by("path").first()
        if government is not None:
            return RoutingSuggestion(government, _("Territorial management: the government of the area."), "territory")
    return None
