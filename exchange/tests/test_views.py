"""The import page, the run report, background import with progress, mappings, and exports."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import Event
from exchange.models import ImportMapping, ImportRun, ImportStatus
from exchange.services import import_file, wait_for
from exchange.tests.test_import import SAMPLE, _csv, _with
from matters.models import HandlingKind, Matter
from matters.tests.journeys import register
from xinfang.testing import World


def _client(world: World, name: str) -> Client:
    c = Client()
    c.force_login(world.users[name])
    return c


def _upload(c: Client, data: bytes, name: str = "orders.csv", **fields: str):
    return c.post(reverse("exchange_import"), {"file": SimpleUploadedFile(name, data), "mapping": "haikou12345",
                                               "mode": "all_or_nothing", "encoding": "auto", **fields})


@pytest.mark.django_db
def test_only_importers_see_the_import_page(world: World) -> None:
    assert _client(world, "registrar").get(reverse("exchange_import")).status_code == 200
    assert _client(world, "reviewer").get(reverse("exchange_import")).status_code == 200
    for name in ("handler", "housing_head", "leader", "nobody"):
        assert _client(world, name).get(reverse("exchange_import")).status_code == 404


@pytest.mark.django_db
def test_a_check_reports_every_problem_and_writes_nothing(world: World) -> None:
    c = _client(world, "registrar")
    bad = [SAMPLE[0], _with(SAMPLE[1], 工单发起时间="2018年1月1日")]
    r = _upload(c, _csv(bad))
    run = ImportRun.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("exchange_run", args=[run.pk])
    page = c.get(r["Location"]).content.decode()
    assert "2018年1月1日" in page and "工单发起时间" in page
    assert Matter.objects.count() == 0
    assert _client(world, "reviewer").get(r["Location"]).status_code == 404  # someone else's run


@pytest.mark.django_db
def test_an_unreadable_file_is_reported_on_the_run_page(world: World) -> None:
    c = _client(world, "registrar")
    r = _upload(c, b"PK\x03\x04 nope", "orders.xlsx")
    page = c.get(r["Location"]).content.decode()
    assert "Excel" in page
    assert reverse("exchange_run_import", args=[ImportRun.objects.get().pk]) not in page  # nothing to import
    assert _upload(c, b"", "orders.csv").status_code in (302, 422)


@pytest.mark.django_db(transaction=True)
def test_import_runs_in_the_background_and_shows_progress(world: World) -> None:
    c = _client(world, "registrar")
    r = _upload(c, _csv(SAMPLE))
    checked = ImportRun.objects.get()
    assert checked.status == ImportStatus.CHECKED
    r = c.post(reverse("exchange_run_import", args=[checked.pk]), {"mode": "all_or_nothing"})
    run = ImportRun.objects.exclude(pk=checked.pk).get()
    assert r["Location"] == reverse("exchange_run", args=[run.pk])
    wait_for(run.pk)
    run.refresh_from_db()
    assert (run.status, run.rows_imported) == (ImportStatus.DONE, 6)
    progress = c.get(reverse("exchange_run_progress", args=[run.pk])).content.decode()
    assert "hx-trigger" not in progress  # finished: the page stops polling
    assert Matter.objects.count() == 6


@pytest.mark.django_db
def test_a_mapping_is_made_from_the_files_own_header(world: World) -> None:
    c = _client(world, "registrar")
    header = ["编号", "标题", "内容", "时间"]
    r = _upload(c, _csv([["A-1", "路灯不亮", "某路路灯不亮", "2026/2/28 9:30:00"]], header=header))
    run = ImportRun.objects.get()
    assert run.file_problem  # the haikou mapping needs its own columns
    page = c.get(reverse("exchange_mapping", args=[run.pk])).content.decode()
    assert "<option>编号</option>" in page
    r = c.post(reverse("exchange_mapping", args=[run.pk]), {"name": "streetlights", "label": "路灯", "external_id": "编号",
                                                            "title": "标题", "content": "内容", "created_at": "时间"})
    assert r.status_code == 302
    assert ImportMapping.objects.get().spec["columns"]["title"] == "标题"
    r = c.post(reverse("exchange_mapping", args=[run.pk]), {"name": "broken", "title": "标题"})
    assert r.status_code == 422 and "external_id" in r.content.decode()


def _body(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def _rows(response: object) -> list[list[str]]:
    body = _body(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.django_db
def test_exports_respect_scope_confidentiality_and_masking(world: World) -> None:
    register(world, title="电话13812345678反映停水")
    register(world, unit="d2_housing", title="另一区的事")
    register(world, unit="city_office", kind=HandlingKind.ACCUSATION, title="检举某局长")
    url = reverse("exchange_export_matters", args=["csv"])
    mine = _rows(_client(world, "handler").get(url))
    assert [r[4] for r in mine[1:]] == ["电话138****5678反映停水"]
    everything = _rows(_client(world, "reviewer").get(url))
    assert len(everything) == 4
    assert "张*" in {r[12] for r in everything[1:]} and "张三" not in {r[12] for r in everything[1:]}
    assert Event.objects.filter(verb="export_matters").count() == 2


@pytest.mark.django_db
def test_exports_in_json_and_excel_and_with_the_queues_filters(world: World) -> None:
    register(world, title="停水")
    register(world, title="停电")
    c = _client(world, "reviewer")
    body = _body(c.get(reverse("exchange_export_matters", args=["json"]) + "?q=停电"))
    assert [row["标题"] for row in json.loads(body)] == ["停电"]
    r = c.get(reverse("exchange_export_matters", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(_body(r))).active
    assert sheet is not None and sheet.max_row == 3
    assert c.get(reverse("exchange_export_matters", args=["pdf"])).status_code == 404


@pytest.mark.django_db
def test_imported_orders_are_exported_with_their_work_order_number(world: World) -> None:
    import_file(_csv([SAMPLE[0]]), "o.csv", "haikou12345", actor=world.users["registrar"], now=timezone.now())
    rows = _rows(_client(world, "reviewer").get(reverse("exchange_export_matters", args=["csv"]) + "?state=closed"))
    assert rows[0][-1] == "外部编号" and rows[1][-1] == SAMPLE[0][0]
    assert "139****1712" not in rows[1][4]  # the title has no number; the masking is of the text columns
    assert "13907571712" not in "".join(rows[1])


@pytest.mark.django_db
def test_an_imported_matter_shows_its_source_to_staff_and_masks_numbers_in_lists_and_public_pages(world: World) -> None:
    row = _with(SAMPLE[0], 工单标题="关于琼A12345车辆违停的问题")
    import_file(_csv([row]), "o.csv", "haikou12345", actor=world.users["registrar"], now=timezone.now())
    m = Matter.objects.get()
    staff = _client(world, "reviewer")
    page = staff.get(reverse("matter_detail", args=[m.pk])).content.decode()
    assert "20180219633698" in page and "咨询类" in page and "13907571712" in page  # the matter page shows it whole
    queue = staff.get(reverse("queue") + "?state=closed").content.decode()
    assert "琼A****5" in queue and "琼A12345" not in queue
    public = Client()
    session = public.session
    session["portal_matters"] = [m.pk]
    session.save()
    portal = public.get(reverse("portal:matter", args=[m.query_code])).content.decode()
    assert "139****1712" in portal and "13907571712" not in portal
