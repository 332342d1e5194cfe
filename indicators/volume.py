"""Matters registered per month by channel, top-level category and district, in a user's scope:
what the city overview's charts and heat table count. Finished months come from the volume
tallies where they are trusted (the same staleness rule as every tally, see ``tallies``), the rest
is counted live in one grouped query and rolled up in Python over the few taxonomy and area rows."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cached_property, reduce
from operator import or_
from typing import Any

from django.db.models import Count, QuerySet, Sum

from matters.models import Category, Matter
from matters.selectors import matters_visible_to, visible_q
from org.models import Area, User

from . import tallies
from .models import Span, VolumeTally
from .periods import merged, month_period, on_days

SCOPE = ("handling_unit_id", "intake_unit_id", "handling_kind")

Cell = tuple[date, str, str, str]  # month, channel, top-level category, district ("" for none given)


@dataclass(frozen=True)
class Rollup:
    """Each category under its top-level name and each area under its district's (the level below
    the root), as the overview shows them."""

    categories: dict[int, str]
    areas: dict[int, str]

    @classmethod
    def current(cls) -> Rollup:
        cats = {c.pk: c for c in Category.objects.only("pk", "name", "parent_id")}
        tops = {}
        for pk, c in cats.items():
            top = c
            while top.parent_id is not None and top.parent_id in cats:
                top = cats[top.parent_id]
            tops[pk] = top.name
        areas = {a.pk: a for a in Area.objects.only("pk", "name", "parent_id")}
        districts = {}
        for pk, a in areas.items():
            chain = [a]
            while chain[-1].parent_id is not None and chain[-1].parent_id in areas:
                chain.append(areas[chain[-1].parent_id])
            districts[pk] = chain[-2].name if len(chain) >= 2 else a.name
        return cls(tops, districts)

    @cached_property
    def key(self) -> str:
        """The volume tallies' key among the tallied buckets: a change to the taxonomy or the areas
        changes what they rolled up, so it gives them a new key, untrusted until the next refresh."""
        text = f"volume|registered_at|{sorted(self.categories.items())}|{sorted(self.areas.items())}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def cell(self, month: date, channel: str, category: int | None, area: int | None) -> Cell:
        return (month, channel, "" if category is None else self.categories.get(category, ""),
                "" if area is None else self.areas.get(area, ""))


def _grouped(matters: QuerySet[Matter], group: tuple[str, ...], **counts: Count) -> QuerySet[Matter, dict[str, Any]]:
    return matters.order_by().values(*group, "channel", "category_id", "area_id").annotate(**counts)


def count_month(month: date, rollup: Rollup) -> list[VolumeTally]:
    sums: defaultdict[tuple[Any, ...], int] = defaultdict(int)
    for r in _grouped(Matter.objects.filter(on_days("registered_at", month_period(month))), SCOPE, n=Count("pk")):
        _m, channel, category, area = rollup.cell(month, r["channel"], r["category_id"], r["area_id"])
        sums[(*(r[f] for f in SCOPE), channel, category, area)] += r["n"]
    return [VolumeTally(month=month, handling_unit_id=hu, intake_unit_id=iu, handling_kind=kind, channel=channel,
                        category=category, area=area, count=n) for (hu, iu, kind, channel, category, area), n in sums.items()]


def volume(user: User, months: list[date], today: date, rollup: Rollup) -> dict[Cell, int]:
    """Matters in ``user``'s scope registered in each month (first days), per channel, top-level
    category and district."""
    finished = {tallies.Bucket(Span.MONTH, m) for m in months if month_period(m).end < today}
    trusted = sorted(b.start for _k, b in tallies.untouched(tallies.tallied({rollup.key}, finished)))
    out: defaultdict[Cell, int] = defaultdict(int)
    if trusted:
        for r in (VolumeTally.objects.filter(visible_q(user), month__in=trusted).order_by()
                  .values("month", "channel", "category", "area").annotate(n=Sum("count"))):
            out[(r["month"], r["channel"], r["category"], r["area"])] += r["n"]
    live = [m for m in months if m not in trusted]
    if live:
        periods = {m: month_period(m) for m in live}
        where = reduce(or_, (on_days("registered_at", p) for p in merged(list(periods.values()))))
        per_month = {f"m{i}": Count("pk", filter=on_days("registered_at", p)) for i, p in enumerate(periods.values())}
        for r in _grouped(matters_visible_to(user).filter(where), (), **per_month):
            for i, m in enumerate(periods):
                if n := r[f"m{i}"]:
                    out[rollup.cell(m, r["channel"], r["category_id"], r["area_id"])] += n
    return dict(out)
