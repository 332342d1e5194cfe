"""The hotspot trend chart counts each hotspot's matters per week, oldest week first."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from intel.hotspots import Hotspot
from intel.trend import trend_chart

NOW = datetime(2026, 3, 31, 12, tzinfo=ZoneInfo("Asia/Shanghai"))


def _spot(ids: list[int], terms: list[str]) -> Hotspot:
    return Hotspot(terms=terms, place="", district="", size=len(ids), distinct_texts=len(ids), first=NOW, last=NOW,
                   recent=0, previous=0, likes=0, heat=1.0, ids=list(ids))


def test_weekly_counts_per_hotspot() -> None:
    times = {1: NOW, 2: NOW - timedelta(days=1), 3: NOW - timedelta(days=8), 4: NOW - timedelta(days=20),
             5: NOW - timedelta(days=100)}  # older than the window: not drawn
    chart = trend_chart([_spot([1, 2, 3, 4, 5], ["搅拌站", "噪音", "粉尘"]), _spot([3], ["停车"])], times, now=NOW, days=28)
    assert chart is not None and len(chart.labels) == 4
    first, second = chart.series
    assert first.name == "1. 搅拌站 噪音" and first.values == [0, 1, 1, 2]
    assert second.values == [0, 0, 1, 0]
    assert chart.labels[-1] == "03-25" and "<svg" in chart.svg()


def test_no_hotspot_no_chart() -> None:
    assert trend_chart([], {}, now=NOW, days=28) is None
