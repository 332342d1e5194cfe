"""Tables out as CSV, Excel or JSON, a chunk at a time, so 100k rows never sit in memory at once.

Personal data and free text are masked as in lists; a table is whatever a selector handed over,
so scope is the selector's business.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone

from matters.lifecycle import State
from matters.models import Channel, HandlingKind, Matter
from matters.personal_data import mask_name, mask_text

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
CHUNK = 2000

MATTER_COLUMNS = ["查询码", "来源渠道", "处理类型", "状态", "标题", "内容", "问题分类", "承办单位", "区域",
                  "登记时间", "法定期限", "办结时间", "信访人", "外部编号"]


def matter_rows(qs: QuerySet[Matter]) -> Iterator[list[Any]]:
    """One row per matter, masked, read in chunks."""
    channels, kinds, states = dict(Channel.choices), dict(HandlingKind.choices), dict(State.choices)
    rows = qs.order_by("pk").select_related("category", "handling_unit", "area", "petitioner", "imported")
    for m in rows.iterator(chunk_size=CHUNK):
        imported = getattr(m, "imported", None)
        yield [m.query_code, str(channels.get(m.channel, m.channel)), str(kinds.get(m.handling_kind, m.handling_kind)),
               str(states.get(m.state, m.state)), mask_text(m.title), mask_text(m.content),
               m.category.path if m.category else "", m.handling_unit.name, m.area.name if m.area else "",
               _local(m.registered_at), m.statutory_due.isoformat() if m.statutory_due else "", _local(m.closed_at),
               mask_name(m.petitioner.name), imported.external_id if imported else ""]


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def csv_chunks(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    # The BOM makes Excel read the file as UTF-8 rather than the locale's code page.
    buf.write("\ufeff")
    writer.writerow(columns)
    for i, row in enumerate(rows, start=1):
        writer.writerow(row)
        if i % CHUNK == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def json_chunks(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    yield "["
    for i, row in enumerate(rows):
        yield ("," if i else "") + "\n" + json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False, default=str)
    yield "\n]\n"


def xlsx_file(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> IO[bytes]:
    """A write-only workbook, spooled to a temporary file: memory stays flat whatever the row count."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    head = []
    for name in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1E3A5F")
        head.append(cell)
    sheet.append(head)
    for row in rows:
        sheet.append(list(row))
    out = tempfile.TemporaryFile()
    book.save(out)
    out.seek(0)
    return out
