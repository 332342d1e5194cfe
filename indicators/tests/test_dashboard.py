"""The city overview and the unit dashboard, hand-computed: months, channels, the roll-up of
categories and areas to their top level, the heat table and a unit's queue."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from indicators.charts import Chart, Series
from indicators.dashboard import city_overview, last_months, unit_dashboard
from matters.models import Category, Channel
from matters.tests.journeys import act
from org.models import Area
from xinfang.testing import World

from .helpers import file

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)


def _category(path: str) -> Category:
    parent = None
    for level, name in enumerate(path.split("/"), start=1):
        parent, _created = Category.objects.get_or_create(
            path="/".join(path.split("/")[:level]), defaults={"name": name, "level": level, "parent": parent})
    assert parent is not None
    return parent


@pytest.fixture
def places(world: World) -> dict[str, Area]:
    city = Area.objects.create(code="A", name="A市")
    d1 = Area.objects.create(code="A1", name="一区", parent=city)
    street = Area.objects.create(code="A11", name="东街道", parent=d1)
    d2 = Area.objects.create(code="A2", name="二区", parent=city)
    return {"d1": d1, "street": street, "d2": d2}


def test_last_months_end_with_the_current_one() -> None:
    months = last_months(TODAY)
    assert len(months) == 12 and months[0].iso == "2026-01" and months[-1].iso == "2026-12"
    assert last_months(date(2026, 3, 5))[0].iso == "2025-04"


def test_the_city_overview_counts_by_month_channel_category_and_area(world: World, places: dict[str, Area]) -> None:
    water = _category("城乡建设/供水/停水")
    wages = _category("劳动社保/欠薪")
    file(world, day=(2026, 3, 2), channel=Channel.HOTLINE, category=water, area=places["street"])
    file(world, day=(2026, 3, 31), hour=23, category=water, area=places["d1"])  # 31 March 23:00 in Shanghai: March
    file(world, day=(2026, 4, 1), channel=Channel.HOTLINE, category=wages, area=places["d2"])
    file(world, day=(2025, 11, 30))  # before the 12 months: left out
    o = city_overview(world.users["reviewer"], TODAY)
    assert o.total == 3
    assert dict(o.by_channel) == {str(Channel.HOTLINE.label): 2, str(Channel.VISIT.label): 1}
    trend = o.charts[0].series[0].values
    assert trend[2:4] == [2.0, 1.0] and sum(v or 0 for v in trend) == 3
    by_category = {s.name: s.values for s in o.charts[2].series}
    assert by_category["城乡建设"][2] == 2 and by_category["劳动社保"][3] == 1
    assert {s.name for s in o.charts[3].series} == {"一区", "二区"}  # the street rolls up to its district
    assert o.heat.cells == {("一区", "城乡建设"): 2, ("二区", "劳动社保"): 1} and o.heat.peak == 2
    assert o.heat.grid()[0] == ("一区", [(2, 1.0), (0, 0.0)])


def test_the_overview_keeps_to_the_scope(world: World) -> None:
    file(world, "d2_housing", (2026, 3, 2))
    assert city_overview(world.users["handler"], TODAY).total == 0


def test_a_units_dashboard_counts_its_queue_and_its_rates(world: World) -> None:
    late = file(world, "d1_housing", (2026, 11, 2))  # acceptance due 17 November: overdue on 1 December
    soon = file(world, "d1_housing", (2026, 11, 28))  # due 13 December: on time
    act(world, file(world, "d1_housing", (2026, 11, 2)), "accept", "handler", (2026, 11, 3))
    board = unit_dashboard(world.users["handler"], world.units["d1_housing"], TODAY)
    assert board.queue == {"open": 3, "overdue": 1, "due_soon": 0, "paused": 0}
    petition = board.sets[0][1]
    assert {f.definition.key: f.numerator for f in petition}["registered"] == 0  # none in December yet
    assert board.charts[0].series[0].values[-2] == 3.0 and late.pk and soon.pk


def test_the_dashboard_pages_render(world: World, places: dict[str, Area]) -> None:
    file(world, day=(2026, 11, 2), category=_category("城乡建设"), area=places["d1"])
    c = Client()
    c.force_login(world.users["reviewer"])
    city = c.get(reverse("indicators_city_dashboard")).content.decode()
    assert "<svg" in city and "rgba(198,40,40," in city
    c.force_login(world.users["handler"])
    own = c.get(reverse("indicators_unit_dashboard")).content.decode()
    assert "d1区住建局</h1>" in own and "<svg" in own
    assert c.get(reverse("indicators_unit_dashboard"), {"unit": str(world.units["d2"].pk)}).status_code == 404


def test_charts_escape_their_labels_and_break_lines_at_gaps() -> None:
    c = Chart("line", "<b>", ["a", "b", "c"], [Series("s", [0.5, None, 0.7])], percent=True)
    svg = str(c.svg())
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert sum(1 for s in c.shapes if s.kind == "line" and s.size == 2) == 0  # no two neighbours both measured
    bars = Chart("bar", "t", ["a", "b"], [Series("s", [1.0, 4.0])])
    heights = [s.y2 for s in bars.shapes if s.kind == "rect"]
    assert heights[1] == 4 * heights[0]
