"""The hotspot page's trend chart: matters per week for the top hotspots."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.charts import Chart, Series

from .hotspots import Hotspot

SHOWN = 5


def trend_chart(hotspots: Sequence[Hotspot], times: Mapping[Any, datetime], *, now: datetime, days: int) -> Chart | None:
    """Weekly counts over the last ``days``, one line per hotspot (the first ``SHOWN``), oldest week first."""
    if not hotspots:
        return None
    weeks = max(1, (days + 6) // 7)
    today = timezone.localtime(now).date()
    starts = [today - timedelta(days=7 * (weeks - i)) + timedelta(days=1) for i in range(weeks)]
    series = []
    for rank, h in enumerate(hotspots[:SHOWN], start=1):
        counts = [0] * weeks
        for i in h.ids:
            if i in times:
                age = (today - timezone.localtime(times[i]).date()).days
                if 0 <= age < 7 * weeks:
                    counts[weeks - 1 - age // 7] += 1
        values: list[float | None] = [float(c) for c in counts]
        series.append(Series(f"{rank}. {' '.join(h.terms[:2])}", values))
    return Chart("line", _("Matters per week, top hotspots"), [s.strftime("%m-%d") for s in starts], series)
