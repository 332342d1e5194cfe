"""Importing work orders: the real Haikou file, idempotent re-import, bad files, every input format."""

from __future__ import annotations

import csv
import gzip
import io
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from audit.models import Event
from audit.selectors import verify_chain
from exchange.importer import IMPORTED_CATEGORIES, IMPORTED_UNITS
from exchange.models import ImportedRecord, ImportMode, ImportStatus
from exchange.services import import_file, save_mapping
from matters.errors import NotAllowed
from matters.lifecycle import State
from matters.models import Channel, HandlingKind, Matter
from org.models import Unit
from portal.selectors import public_timeline
from xinfang.testing import World, at

pytestmark = pytest.mark.django_db

# The real Haikou file (4,000 orders), copied from ../shared/data/haikou12345 (see SOURCE.txt there).
HAIKOU_GZ = Path(__file__).resolve().parents[2] / "fixtures" / "haikou12345" / "cases.csv.gz"
SHANGHAI = ZoneInfo("Asia/Shanghai")
with gzip.open(HAIKOU_GZ, "rt", encoding="utf-8", newline="") as _f:
    _reader = csv.reader(_f)
    HEADER = next(_reader)
    SAMPLE = [next(_reader) for _i in range(6)]


def _csv(rows: list[list[str]], header: list[str] = HEADER, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue().encode(encoding)


def _import(data: bytes, name: str = "orders.csv", **kw: object):
    kw.setdefault("actor", None)
    kw.setdefault("now", at(2026, 3, 2))
    return import_file(data, name, kw.pop("mapping", "haikou12345"), **kw)  # type: ignore[arg-type]


def _with(row: list[str], **changes: str) -> list[str]:
    row = list(row)
    for column, value in changes.items():
        row[HEADER.index(column)] = value
    return row


def test_the_real_haikou_file_imports_every_row_once(world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    haikou = tmp_path / "cases.csv"
    haikou.write_bytes(gzip.decompress(HAIKOU_GZ.read_bytes()))
    call_command("import_workorders", str(haikou), "--mapping", "haikou12345")
    assert "read 4000, imported 4000, already present 0, rejected 0" in capsys.readouterr().out
    assert Matter.objects.filter(channel=Channel.HOTLINE).count() == 4000
    assert Matter.objects.filter(state=State.CLOSED).count() == 3966  # 工单归档
    assert Matter.objects.filter(state=State.ACCEPTED, statutory_due__isnull=False).count() == 34  # 关联派发
    call_command("import_workorders", str(haikou), "--mapping", "haikou12345")
    assert "read 4000, imported 0, already present 4000, rejected 0" in capsys.readouterr().out
    assert Matter.objects.count() == 4000
    assert verify_chain().intact


def test_an_imported_order_keeps_what_the_source_says(world: World) -> None:
    first = SAMPLE[0]  # 20180219633698, 咨询类, 市公安局, archived, 2018/2/19 8:46:41
    _import(_csv([first]))
    record = ImportedRecord.objects.select_related("matter").get(external_id="20180219633698")
    m = record.matter
    assert (record.source, record.appeal_type, record.source_status) == ("haikou12345", "咨询类", "工单归档")
    assert m.channel == Channel.HOTLINE and m.state == State.CLOSED
    assert m.title == "关于咨询龙华区办证中心电话号码的问题"
    assert m.registered_at == datetime(2018, 2, 19, 8, 46, 41, tzinfo=SHANGHAI)
    assert m.handling_unit.name == "市公安局" and m.handling_unit.parent.name == IMPORTED_UNITS  # type: ignore[union-attr]
    assert m.category is not None and m.category.path == f"{IMPORTED_CATEGORIES}/社会管理（底数资源）/司法行政/其他/其他"
    assert m.area is not None and m.area.name == "海口市"  # 诉求区域 全市
    assert "13907571712" in m.reply_text
    verbs = list(Event.objects.filter(target_type="matter", target_id=m.pk).values_list("verb", flat=True))
    assert verbs == ["import_workorder", "imported_reply"]  # the archived order's result closes it
    imported, reply = Event.objects.filter(target_type="matter", target_id=m.pk).order_by("seq")
    assert imported.after["state"] == State.ACCEPTED
    assert (reply.before["state"], reply.after["state"]) == (State.ACCEPTED, State.CLOSED)
    assert reply.after["source_columns"] == ["工单最新处理描述", "办结汇报"]
    assert reply.reason.count("13907571712") == 1  # the two identical texts kept once
    with translation.override("en"):
        assert [step.text for step in public_timeline(m)] == [
            "Your call to the 12345 hotline was registered.", "The handling result was recorded and the matter closed."]


def test_an_archived_order_without_a_result_is_closed_by_its_own_event(world: World) -> None:
    row = _with(SAMPLE[0], 工单最新处理描述="", 办结汇报="", 市民答复要点="")
    _import(_csv([row]))
    m = Matter.objects.get()
    events = list(Event.objects.filter(target_type="matter", target_id=m.pk).order_by("seq"))
    assert [e.verb for e in events] == ["import_workorder", "close"]
    assert (events[1].after["state"], events[1].reason) == (State.CLOSED, "工单归档")
    assert m.state == State.CLOSED


def test_units_are_matched_by_name_within_the_importers_scope(world: World) -> None:
    row = _with(SAMPLE[1], 处置单位="d1区住建局")
    _import(_csv([row]), actor=world.users["registrar"])
    m = Matter.objects.get()
    assert m.handling_unit == world.units["d1_housing"]
    with pytest.raises(NotAllowed):
        _import(_csv([SAMPLE[2]]), actor=world.users["handler"])


def test_areas_districts_streets_and_coordinates(world: World) -> None:
    row = _with(SAMPLE[3], 诉求区域="龙华区", 辖区="龙华区", 镇街="金贸街道办事处", 村居="华海社区居委会",
                横坐标="20.02", 纵坐标="110.33")
    zero = _with(SAMPLE[4], 横坐标="0.000000000", 纵坐标="0.000000000")
    grid = _with(SAMPLE[5], 横坐标="194397.46", 纵坐标="215316.60")
    run = _import(_csv([row, zero, grid]))
    assert run.rows_imported == 3 and run.rows_rejected == 0
    assert [p["warning"] for p in run.problems] == [True]  # the projected grid: kept, without coordinates
    by_row = {r.external_id: r.matter for r in ImportedRecord.objects.select_related("matter__area__parent__parent")}
    placed = by_row[row[0]]
    assert (placed.latitude, placed.longitude) == (20.02, 110.33)
    assert placed.area is not None and placed.area.name == "华海社区居委会"
    assert placed.area.parent.name == "金贸街道办事处" and placed.area.parent.parent.name == "龙华区"  # type: ignore[union-attr]
    assert by_row[zero[0]].latitude is None and by_row[grid[0]].latitude is None


def test_suggestions_become_suggestions_and_the_rest_claims(world: World) -> None:
    _import(_csv([_with(SAMPLE[0], 诉求类型="建议类"), SAMPLE[1]]))
    kinds = dict(Matter.objects.values_list("imported__appeal_type", "handling_kind"))
    assert kinds == {"建议类": HandlingKind.SUGGESTION, "咨询类": HandlingKind.CLAIM}


@pytest.mark.parametrize("fmt", ["utf-8", "utf-8-sig", "gb18030", "xlsx", "json"])
def test_every_input_format(world: World, fmt: str) -> None:
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(HEADER)
        for r in SAMPLE[:3]:
            sheet.append(r)
        buf = io.BytesIO()
        book.save(buf)
        data, name = buf.getvalue(), "orders.xlsx"
    elif fmt == "json":
        data, name = json.dumps([dict(zip(HEADER, r, strict=True)) for r in SAMPLE[:3]], ensure_ascii=False).encode(), "o.json"
    else:
        data, name = _csv(SAMPLE[:3], encoding=fmt), "orders.csv"
    run = _import(data, name)
    assert (run.status, run.rows_read, run.rows_imported) == (ImportStatus.DONE, 3, 3)
    assert set(Matter.objects.values_list("title", flat=True)) == {r[HEADER.index("工单标题")] for r in SAMPLE[:3]}


def _refused(run) -> str:
    assert run.status == ImportStatus.REFUSED and run.rows_imported == 0
    assert Matter.objects.count() == 0 and Unit.objects.filter(name=IMPORTED_UNITS).count() == 0
    return run.file_problem or " ".join(f"{p['row']}:{p['column']}:{p['reason']}" for p in run.problems)


def test_bad_files_are_refused_whole_with_what_and_where(world: World, settings) -> None:
    assert "byte" in _refused(_import(b"\xff\xfe\x00garbage\x81\x30\xff", "x.csv"))
    missing = [h for h in HEADER if h != "工单标题"]
    assert "工单标题" in _refused(_import(_csv([SAMPLE[0][:6] + SAMPLE[0][7:]], header=missing)))
    assert "Excel" in _refused(_import(b"PK\x03\x04 not really a zip", "orders.xlsx"))
    assert "unsupported" in _refused(_import(b"a,b", "orders.pdf"))
    settings.XINFANG_MAX_IMPORT_BYTES = 100
    assert "limit" in _refused(_import(_csv(SAMPLE)))


def test_bad_rows_are_listed_by_row_and_column_and_refuse_all_or_nothing(world: World) -> None:
    rows = [SAMPLE[0], _with(SAMPLE[1], 工单发起时间="2018/13/45 25:00:00"), SAMPLE[0], _with(SAMPLE[2], 诉求内容="")]
    run = _import(_csv(rows))
    problems = _refused(run)
    assert "3:工单发起时间" in problems and "4:工单编号" in problems and "5:诉求内容" in problems
    assert run.rows_rejected == 3
    skipped = _import(_csv(rows), mode=ImportMode.SKIP_BAD_ROWS)
    assert (skipped.status, skipped.rows_imported, skipped.rows_rejected) == (ImportStatus.DONE, 1, 3)
    assert Matter.objects.count() == 1


def test_a_dry_run_reports_and_writes_nothing(world: World) -> None:
    _import(_csv(SAMPLE[:2]))
    run = _import(_csv(SAMPLE[:4]), dry_run=True)
    assert (run.status, run.rows_read, run.rows_present, run.rows_imported) == (ImportStatus.CHECKED, 4, 2, 0)
    assert Matter.objects.count() == 2


def test_a_saved_mapping_reads_other_column_names(world: World) -> None:
    spec = {"name": "mine", "label": "我的表", "source": "other-system",
            "columns": {"external_id": "编号", "title": "标题", "content": "内容", "created_at": "时间"},
            "date_formats": ["%Y-%m-%d %H:%M"]}
    save_mapping(spec, actor=world.users["registrar"], now=at(2026, 3, 1))
    data = _csv([["A-1", "路灯不亮", "某路路灯不亮", "2026-02-28 09:30"]], header=["编号", "标题", "内容", "时间"])
    run = _import(data, mapping="mine", actor=world.users["registrar"])
    assert run.rows_imported == 1
    assert ImportedRecord.objects.get().source == "other-system"


def test_the_command_refuses_with_a_clear_message(world: World, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv([_with(SAMPLE[0], 工单发起时间="yesterday")]))
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_workorders", str(bad), "--mapping", "haikou12345")
    with pytest.raises(CommandError, match="No mapping"):
        call_command("import_workorders", str(bad), "--mapping", "nope")
