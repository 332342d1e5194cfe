"""Dashboards: the city overview (volume by channel, category and area per month over the last 12
months, the trend, a heat table of area × category) and a unit's own (its queue, rates and trend).

The city overview's counts are one table of (month, channel, category, area) from the volume
tallies and one grouped query for the rest; category and area are rolled up to their top level in
Python over the few taxonomy and area rows, never over matters."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from matters.models import Channel
from matters.selectors import QueueFilter, count_due_states, queue
from org.models import Unit, User

from .bulletin import Month
from .charts import Chart, Series
from .compute import Figure, counts, registered_spec, spec
from .models import IndicatorDefinition
from .volume import Cell, Rollup, volume

MONTHS = 12
NONE = "—"


def last_months(today: date, n: int = MONTHS) -> list[Month]:
    m = Month(today.year, today.month)
    out = [m]
    for _i in range(n - 1):
        m = m.previous()
        out.append(m)
    return out[::-1]


@dataclass(frozen=True)
class Heat:
    areas: list[str]
    categories: list[str]
    cells: dict[tuple[str, str], int]
    peak: int

    def grid(self) -> list[tuple[str, list[tuple[int, float]]]]:
        """Rows of (count, shade 0..1) for the template."""
        return [(a, [(self.cells.get((a, c), 0), self.cells.get((a, c), 0) / self.peak if self.peak else 0.0)
                     for c in self.categories]) for a in self.areas]


@dataclass(frozen=True)
class CityOverview:
    months: list[Month]
    total: int
    charts: list[Chart]
    heat: Heat
    by_channel: list[tuple[str, int]]


def _by(cells: dict[Cell, int], months: list[Month], pick: Callable[[Cell], object]) -> dict[tuple[str, object], int]:
    """Counts per (month, ``pick`` of the cell)."""
    iso = {m.period.start: m.iso for m in months}
    out: defaultdict[tuple[str, object], int] = defaultdict(int)
    for cell, n in cells.items():
        out[(iso[cell[0]], pick(cell))] += n
    return dict(out)


def _named(key: object) -> str:
    return str(key) if key else NONE  # "" is none given


def _series(counts: dict[tuple[str, object], int], months: list[Month], label: Callable[[object], str] = _named,
            top: int = 6) -> list[Series]:
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (month, key), n in counts.items():
        totals[label(key)][month] += n
    names = sorted(totals, key=lambda k: -sum(totals[k].values()))[:top]
    return [Series(name, [float(totals[name].get(m.iso, 0)) for m in months]) for name in names]


def city_overview(user: User, today: date) -> CityOverview:
    months = last_months(today)
    cells = volume(user, [m.period.start for m in months], today, Rollup.current())
    labels = [f"{m.month}月" for m in months]  # the subtitle gives the year the first month is in
    channel_names = {c.value: str(c.label) for c in Channel}
    by_channel = _by(cells, months, lambda c: c[1])
    per_month: defaultdict[str, int] = defaultdict(int)
    for (month, _key), n in by_channel.items():
        per_month[month] += n
    trend = Series(_("All channels"), [float(per_month.get(m.iso, 0)) for m in months])
    charts = [
        Chart("line", _("Registered per month"), labels, [trend]),
        Chart("line", _("By channel"), labels, _series(by_channel, months, lambda k: channel_names.get(str(k), NONE))),
        Chart("line", _("By category (top level)"), labels, _series(_by(cells, months, lambda c: c[2]), months)),
        Chart("line", _("By area"), labels, _series(_by(cells, months, lambda c: c[3]), months)),
    ]
    heat: dict[tuple[str, str], int] = defaultdict(int)
    for (_m, _channel, category, area), n in cells.items():
        heat[(area or NONE, category or NONE)] += n
    # Busiest first, so the hot spots sit in the top left; "none given" last.
    area_totals: defaultdict[str, int] = defaultdict(int)
    cat_totals: defaultdict[str, int] = defaultdict(int)
    for (a, c), n in heat.items():
        area_totals[a] += n
        cat_totals[c] += n
    area_names = sorted(area_totals, key=lambda a: (a == NONE, -area_totals[a], a))
    cat_names = sorted(cat_totals, key=lambda c: (c == NONE, -cat_totals[c], c))
    totals: defaultdict[str, int] = defaultdict(int)
    for (_month, key), n in by_channel.items():
        totals[channel_names.get(str(key), NONE)] += n
    return CityOverview(months, sum(per_month.values()), charts,
                        Heat(area_names, cat_names, dict(heat), max(heat.values(), default=0)),
                        sorted(totals.items(), key=lambda kv: -kv[1]))


@dataclass(frozen=True)
class UnitDashboard:
    unit: Unit
    queue: dict[str, int]
    sets: list[tuple[str, list[Figure]]]
    charts: list[Chart]


def unit_dashboard(user: User, unit: Unit, today: date) -> UnitDashboard:
    # The month's figures of both sets, the on-time rate and the registered matters of each of the
    # 12 months: one count of each from the tallies and one aggregate query per model and period
    # column for the rest, not a query per figure and month.
    defs = list(IndicatorDefinition.objects.all())
    on_time = next((d for d in defs if d.key == "on_time_completion"), None)
    months = last_months(today)
    now = Month(today.year, today.month).period
    rates_from = len(defs) + len(months)
    specs = ([spec(d, now, today) for d in defs] + [registered_spec(m.period, today) for m in months]
             + ([spec(on_time, m.period, today) for m in months] if on_time else []))
    found = counts(specs, user, unit)
    figures_now = [(str(label), [Figure(d, *found[i]) for i, d in enumerate(defs) if d.indicator_set == key])
                   for key, label in IndicatorDefinition.Set.choices]
    labels = [f"{m.month}月" for m in months]
    volume: list[float | None] = [float(n) for n, _d in found[len(defs):rates_from]]
    rates = [n / d if d else None for n, d in found[rates_from:]]
    charts = [Chart("bar", _("Registered per month"), labels, [Series(_("Registered"), volume)])]
    if on_time is not None:
        charts.append(Chart("line", on_time.name, labels, [Series(on_time.name, rates)], percent=True))
    # The four tiles from one pass over the unit's open matters rather than one query each.
    in_queue = count_due_states(queue(user, QueueFilter(unit_id=unit.pk, open_only=True), today), today)
    tiles = {k: in_queue[k] for k in ("open", "overdue", "due_soon", "paused")}
    return UnitDashboard(unit, tiles, figures_now, charts)
