"""The indicators page shows each figure beside its definition; every figure drills down."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from audit.models import Event
from matters.tests.journeys import act, register
from xinfang.testing import World

pytestmark = pytest.mark.django_db


def test_the_page_and_the_drill_down_list_the_matters_behind_a_figure(world: World) -> None:
    late = register(world, day=(2026, 3, 2), title="迟迟未受理")
    act(world, late, "accept", "handler", (2026, 3, 20))
    c = Client()
    c.force_login(world.users["reviewer"])
    q = {"from": "2026-03-01", "to": "2026-03-31"}
    page = c.get(reverse("indicators"), q).content.decode()
    assert "及时受理率" in page and "受理期限（15日）届满于统计期内的事项" in page
    den = c.get(reverse("indicator_drill_down", args=["timely_acceptance", "denominator"]), q).content.decode()
    num = c.get(reverse("indicator_drill_down", args=["timely_acceptance", "numerator"]), q).content.decode()
    assert "迟迟未受理" in den and "迟迟未受理" not in num


def test_a_unit_outside_ones_scope_is_ignored(world: World) -> None:
    register(world, unit="d2_housing", day=(2026, 3, 2), title="他区事项")
    c = Client()
    c.force_login(world.users["handler"])
    q = {"from": "2026-03-01", "to": "2026-03-31", "unit": str(world.units["d2_housing"].pk)}
    body = c.get(reverse("indicator_drill_down", args=["registered", "numerator"]), q).content.decode()
    assert "他区事项" not in body


def test_the_overview_exports_to_excel_and_pdf_and_the_export_is_an_event(world: World) -> None:
    late = register(world, day=(2026, 3, 2))
    act(world, late, "accept", "handler", (2026, 3, 20))
    c = Client()
    c.force_login(world.users["reviewer"])
    q = {"from": "2026-03-01", "to": "2026-03-31"}
    xlsx = c.get(reverse("indicators_export", args=["xlsx"]), q)
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = {r[0]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert rows["及时受理率"][1:4] == (0, 0, 1)
    pdf = c.get(reverse("indicators_export", args=["pdf"]), q)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).replace("\x00", "")
    assert "及时受理率" in text.replace(" ", "")
    as_csv = c.get(reverse("indicators_export", args=["csv"]), q).content.decode("utf-8-sig")
    assert ["及时受理率", "0.0", "0", "1"] == next(r for r in csv.reader(io.StringIO(as_csv)) if r[:1] == ["及时受理率"])[:4]
    as_json = json.loads(c.get(reverse("indicators_export", args=["json"]), q).content)
    timely = next(r for r in as_json["tables"][0]["rows"] if r["指标"] == "及时受理率")
    assert (timely["数值"], timely["分子"], timely["分母"]) == (0, 0, 1)
    assert Event.objects.filter(verb="export_indicators").count() == 4
