"""The report pages render, drill down, export to Excel and PDF (each export an event), and keep to
the scope rule: a unit outside the user's scope is a 404."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from audit.models import Event
from indicators.models import CountKind
from matters import services as ms
from matters.tests.journeys import act
from supervision import backlog
from supervision.models import Campaign
from xinfang.testing import World, at

from .helpers import file

pytestmark = pytest.mark.django_db

REPORTS = [
    ("indicators_dispatch", {"week": "2026-W12"}),
    ("indicators_bulletin", {"month": "2026-03"}),
    ("indicators_campaign", {"quarter": "2026-Q1"}),
    ("indicators_assessment", {"year": "2026"}),
]


def _client(world: World, user: str) -> Client:
    c = Client()
    c.force_login(world.users[user])
    return c


def _pdf_text(content: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).replace("\x00", "").replace(" ", "")


@pytest.fixture
def busy(world: World) -> World:
    late = file(world, "d1_housing", (2026, 3, 2), title="迟迟未受理")
    ms.pause_clock(late.pk, actor=world.users["housing_head"], now=at(2026, 3, 16), reason="等待")
    ms.resume_clock(late.pk, actor=world.users["housing_head"], now=at(2026, 3, 16, 15), reason="继续")
    act(world, file(world, "d2_housing", (2026, 3, 2)), "accept", "d2_handler", (2026, 3, 3))
    act(world, file(world, "d1_housing", (2026, 2, 2), above_level=True), "accept", "handler", (2026, 2, 3))
    spring = Campaign.objects.create(name="一季度攻坚", starts=date(2026, 1, 1), ends=date(2026, 3, 31))
    backlog.list_matter(late.pk, actor=world.users["supervisor"], source="self", reason="久拖未决", now=at(2026, 3, 5),
                        campaign_id=spring.pk)
    return world


@pytest.mark.parametrize(("name", "query"), REPORTS)
def test_each_report_page_renders_its_table_and_chart(busy: World, name: str, query: dict[str, str]) -> None:
    page = _client(busy, "supervisor").get(reverse(name), query)
    body = page.content.decode()
    assert page.status_code == 200 and 'scope="row">d1区' in body and "<svg" in body


@pytest.mark.parametrize(("name", "query"), REPORTS)
@pytest.mark.parametrize("fmt", ["xlsx", "pdf", "csv", "json"])
def test_each_report_exports_and_the_export_is_an_event(busy: World, name: str, query: dict[str, str], fmt: str) -> None:
    response = _client(busy, "supervisor").get(reverse(name + "_export", args=[fmt]), query)
    assert response.status_code == 200
    if fmt == "xlsx":
        wb = load_workbook(io.BytesIO(response.content))
        cells = [str(c) for row in wb.worksheets[0].iter_rows(values_only=True) for c in row if c is not None]
        assert "d1区" in cells and wb.worksheets[0]._charts
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert any("d1区" in row for row in rows)
    elif fmt == "json":
        tables = json.loads(response.content)["tables"]
        assert any("d1区" in map(str, row.values()) for t in tables for row in t["rows"])
    else:
        assert "d1区" in _pdf_text(response.content)
    report = name.removeprefix("indicators_")
    assert Event.objects.filter(verb=f"export_{report}", actor=busy.users["supervisor"], after__format=fmt).count() == 1


def test_an_unknown_export_format_is_a_404(busy: World) -> None:
    assert _client(busy, "supervisor").get(reverse("indicators_dispatch_export", args=["doc"])).status_code == 404
    assert not Event.objects.filter(verb__startswith="export_").exists()


def test_the_dispatch_figures_drill_down_to_the_matters_and_their_actions(busy: World) -> None:
    c = _client(busy, "supervisor")
    d1 = str(busy.units["d1"].pk)
    body = c.get(reverse("indicators_dispatch"), {"week": "2026-W12", "unit": d1}).content.decode()
    assert f"?unit={str(busy.units['d1_housing'].pk)}&amp;own=&amp;week=2026-W12&amp;bucket=overdue" in body
    listed = c.get(reverse("indicators_dispatch_matters"),
                   {"unit": str(busy.units["d1_housing"].pk), "week": "2026-W12", "bucket": "overdue"}).content.decode()
    assert "迟迟未受理" in listed and listed.count("<div>03-16") == 2
    assert c.get(reverse("indicators_dispatch_matters"), {"unit": d1, "bucket": "lost"}).status_code == 404


def test_the_campaign_and_assessment_drill_downs(busy: World) -> None:
    c = _client(busy, "supervisor")
    d1 = str(busy.units["d1"].pk)
    overdue = c.get(reverse("indicators_campaign_entries"), {"unit": d1, "quarter": "2026-Q1", "part": "overdue"})
    assert "迟迟未受理" in overdue.content.decode()
    above = c.get(reverse("indicators_assessment_matters"), {"unit": d1, "year": "2026", "count": CountKind.ABOVE_LEVEL})
    assert above.status_code == 200 and "小区停水" in above.content.decode()
    assert c.get(reverse("indicators_campaign_entries"), {"unit": d1, "part": "lost"}).status_code == 404
    assert c.get(reverse("indicators_assessment_matters"), {"unit": d1, "count": "lost"}).status_code == 404


def test_the_bulletin_links_a_units_own_row_to_its_own_matters(busy: World) -> None:
    c = _client(busy, "supervisor")
    own = file(busy, "d1", (2026, 3, 2), title="区本级事项")
    act(busy, own, "accept", "d1_head", (2026, 3, 3))
    q = {"from": "2026-03-01", "to": "2026-03-31", "unit": str(busy.units["d1"].pk), "own": "1"}
    body = c.get(reverse("indicator_drill_down", args=["timely_acceptance", "denominator"]), q).content.decode()
    assert "区本级事项" in body and "迟迟未受理" not in body
    page = c.get(reverse("indicators_bulletin"), {"month": "2026-03", "unit": str(busy.units["d1"].pk)}).content.decode()
    assert "own=1" in page


# role × unit relation: inside the scope the page renders; outside it, the unit is not found.
@pytest.mark.parametrize(("user", "unit", "status"), [
    ("supervisor", "d2", 200), ("reviewer", "d1_housing", 200), ("d1_reviewer", "d1", 200),
    ("d1_reviewer", "d2", 404), ("handler", "d1_housing", 200), ("handler", "d1", 404), ("handler", "d2_housing", 404),
    ("nobody", "d1_housing", 404),
])
@pytest.mark.parametrize(("name", "query"), REPORTS)
def test_a_unit_outside_the_scope_is_not_found(busy: World, user: str, unit: str, status: int, name: str,
                                               query: dict[str, str]) -> None:
    response = _client(busy, user).get(reverse(name), {**query, "unit": str(busy.units[unit].pk)})
    assert response.status_code == status


def test_drill_downs_keep_to_the_scope(busy: World) -> None:
    c = _client(busy, "handler")
    d2 = str(busy.units["d2_housing"].pk)
    assert c.get(reverse("indicators_dispatch_matters"), {"unit": d2, "bucket": "overdue"}).status_code == 404
    assert c.get(reverse("indicators_campaign_entries"), {"unit": d2, "part": "listed"}).status_code == 404
    assert c.get(reverse("indicators_assessment_matters"), {"unit": d2, "count": "overdue"}).status_code == 404


def test_a_handler_sees_only_its_own_unit_in_a_report(busy: World) -> None:
    body = _client(busy, "handler").get(reverse("indicators_dispatch"), {"week": "2026-W12"}).content.decode()
    assert 'scope="row">d1区住建局' in body and "d2区住建局" not in body


def test_a_user_without_roles_sees_empty_reports(busy: World) -> None:
    for name, query in REPORTS:
        response = _client(busy, "nobody").get(reverse(name), query)
        assert response.status_code == 200 and 'scope="row">d1区' not in response.content.decode()


def test_reports_need_a_login(busy: World) -> None:
    for name, query in REPORTS:
        assert Client().get(reverse(name), query).status_code == 302


def test_the_assessment_says_when_no_rulebook_is_in_force(busy: World) -> None:
    body = _client(busy, "supervisor").get(reverse("indicators_assessment"), {"year": "2020"}).content.decode()
    assert "alert-warning" in body and "<svg" not in body
    assert _client(busy, "supervisor").get(reverse("indicators_assessment_export", args=["pdf"]),
                                           {"year": "2020"}).status_code == 404


def test_the_overview_shows_both_indicator_sets(busy: World) -> None:
    body = _client(busy, "reviewer").get(reverse("indicators"), {"from": "2026-03-01", "to": "2026-03-31"}).content.decode()
    assert "及时受理率" in body and "响应率" in body and "解决率" in body
