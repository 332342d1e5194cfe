"""Matters registered per month by channel, category and area, in a user's scope: what the city
overview's charts and heat table count. Finished months come from the volume tallies where they
are trusted (the same staleness rule as every tally, see ``tallies``), the rest is counted live in
one grouped query."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Count, Sum

from matters.models import Matter
from matters.selectors import matters_visible_to, visible_q
from org.models import User

from . import tallies
from .models import Span, VolumeTally
from .periods import merged, month_period, on_days

# The volume tallies' key among the tallied buckets: a name, not a condition's digest, as they
# count every matter; change it when what they group by changes.
KEY = hashlib.sha256(b"volume|registered_at|channel,category,area").hexdigest()[:32]
GROUP = ("handling_unit_id", "intake_unit_id", "handling_kind", "channel", "category_id", "area_id")

Cell = tuple[date, str, int | None, int | None]  # month, channel, category id, area id


def count_month(month: date) -> list[VolumeTally]:
    rows = (Matter.objects.filter(on_days("registered_at", month_period(month))).order_by()
            .values(*GROUP).annotate(n=Count("pk")))
    return [VolumeTally(month=month, **{f: r[f] for f in GROUP}, count=r["n"]) for r in rows]


def volume(user: User, months: list[date], today: date) -> dict[Cell, int]:
    """Matters in ``user``'s scope registered in each month (first days), per channel, category and area."""
    finished = {tallies.Bucket(Span.MONTH, m) for m in months if month_period(m).end < today}
    trusted = sorted(b.start for _k, b in tallies.untouched(tallies.tallied({KEY}, finished)))
    out: defaultdict[Cell, int] = defaultdict(int)
    if trusted:
        for r in (VolumeTally.objects.filter(visible_q(user), month__in=trusted).order_by()
                  .values("month", "channel", "category_id", "area_id").annotate(n=Sum("count"))):
            out[(r["month"], r["channel"], r["category_id"], r["area_id"])] += r["n"]
    live = [m for m in months if m not in trusted]
    if live:
        periods = {m: month_period(m) for m in live}
        where = reduce(or_, (on_days("registered_at", p) for p in merged(list(periods.values()))))
        per_month = {f"m{i}": Count("pk", filter=on_days("registered_at", p)) for i, p in enumerate(periods.values())}
        for r in (matters_visible_to(user).filter(where).order_by().values("channel", "category_id", "area_id")
                  .annotate(**per_month)):
            for i, m in enumerate(periods):
                if n := r[f"m{i}"]:
                    out[(m, r["channel"], r["category_id"], r["area_id"])] += n
    return dict(out)
