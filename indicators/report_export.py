"""Any report as a formatted Excel workbook (native Excel charts) and as a PDF (the page's charts
drawn in), from one neutral description: titled tables, definitions and charts."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from documents.pdf import FontMissing

from .charts import Chart


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: Sequence[Sequence[Any]]
    percent_cols: set[int] = field(default_factory=set)  # cells holding a share (0.5 = 50%)
    pp_cols: set[int] = field(default_factory=set)  # cells holding a change in percentage points


@dataclass
class Report:
    title: str
    subtitle: str
    tables: list[Table]
    notes: list[str] = field(default_factory=list)  # definitions, shown beside the figures
    charts: list[Chart] = field(default_factory=list)


def _cell_text(value: object, col: int, t: Table) -> str:
    if value is None:
        return "—"
    if col in t.percent_cols and isinstance(value, float):
        return f"{value:.1%}"
    if col in t.pp_cols and isinstance(value, float):
        return f"{value:+.1f}"
    return str(value)


def to_csv(report: Report) -> bytes:
    """Each table under its title, a blank row between; UTF-8 with a BOM so Excel reads it as such."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([report.title, report.subtitle])
    for t in report.tables:
        w.writerow([])
        w.writerow([t.title])
        w.writerow(t.headers)
        w.writerows([_plain(v) for v in row] for row in t.rows)
    for note in report.notes:
        w.writerow([note])
    return ("\ufeff" + out.getvalue()).encode()


def to_json(report: Report) -> bytes:
    doc = {"title": report.title, "subtitle": report.subtitle, "notes": report.notes,
           "tables": [{"title": t.title, "rows": [dict(zip(t.headers, map(_plain, row), strict=False)) for row in t.rows]}
                      for t in report.tables]}
    return json.dumps(doc, ensure_ascii=False, indent=1, default=str).encode()


def _plain(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else value


def to_xlsx(report: Report) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = report.title[:31]
    ws.append([report.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([report.subtitle])
    widths: dict[int, int] = {}
    for t in report.tables:
        ws.append([])
        ws.append([t.title])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=12)
        ws.append(t.headers)
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="1E3A5F")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in t.rows:
            ws.append(["—" if v is None else v for v in row])
            for col in t.percent_cols | t.pp_cols:
                ws.cell(row=ws.max_row, column=col + 1).number_format = "0.0%" if col in t.percent_cols else "+0.0;-0.0;0.0"
        for i, h in enumerate(t.headers):
            widths[i] = max(widths.get(i, 8), min(40, len(str(h)) * 2 + 2), *(min(40, len(str(r[i])) * 2 + 2) for r in t.rows))
    for i, w in widths.items():
        ws.column_dimensions[get_column_letter(i + 1)].width = w
    if report.notes:
        ws.append([])
        for note in report.notes:
            ws.append([note])
    if report.charts:
        _xlsx_charts(wb, ws, report.charts)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _xlsx_charts(wb: Workbook, ws: object, charts: list[Chart]) -> None:
    data = wb.create_sheet("图表数据")
    anchor_row = getattr(ws, "max_row", 1) + 2
    for chart in charts:
        first = data.max_row + (2 if data.max_row > 1 else 0)
        data.cell(row=first, column=1, value=chart.title)
        for j, s in enumerate(chart.series):
            data.cell(row=first, column=j + 2, value=s.name)
        for i, label in enumerate(chart.labels):
            data.cell(row=first + 1 + i, column=1, value=label)
            for j, s in enumerate(chart.series):
                data.cell(row=first + 1 + i, column=j + 2, value=s.values[i])
        xl = BarChart() if chart.kind == "bar" else LineChart()
        xl.title = chart.title
        xl.height, xl.width = 7.5, 18
        last = first + len(chart.labels)
        xl.add_data(Reference(data, min_col=2, max_col=len(chart.series) + 1, min_row=first, max_row=last), titles_from_data=True)
        xl.set_categories(Reference(data, min_col=1, min_row=first + 1, max_row=last))
        if chart.percent:
            xl.y_axis.number_format = "0%"
        ws.add_chart(xl, f"A{anchor_row}")  # type: ignore[attr-defined]
        anchor_row += 16


def to_pdf(report: Report, *, made: datetime) -> bytes:
    font = Path(settings.DOCUMENT_FONT)
    if not font.exists():
        raise FontMissing(f"the Chinese font {font} is missing (apt-get install fonts-noto-cjk)")
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_creation_date(made)
    pdf.add_font("cjk", fname=str(font), collection_font_number=settings.DOCUMENT_FONT_INDEX)
    pdf.add_page()
    pdf.set_font("cjk", size=16)
    pdf.cell(0, 12, report.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    pdf.cell(0, 8, report.subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    # The embedded font has no bold face: headings are shaded instead of bold.
    headings = FontFace(fill_color=(226, 232, 240))
    for t in report.tables:
        pdf.set_font("cjk", size=12)
        pdf.cell(0, 9, t.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=9)
        with pdf.table(text_align="LEFT", headings_style=headings) as table:
            table.row([str(h) for h in t.headers])
            for row in t.rows:
                table.row([_cell_text(v, i, t) for i, v in enumerate(row)])
        pdf.ln(3)
    for chart in report.charts:
        width = pdf.epw * 0.8
        if pdf.get_y() + width * 260 / 640 > pdf.page_break_trigger:
            pdf.add_page()
        height = chart.draw(pdf, pdf.l_margin, pdf.get_y(), width)
        pdf.set_font("cjk", size=9)
        pdf.set_y(pdf.get_y() + height + 4)
    if report.notes:
        pdf.set_font("cjk", size=8)
        for note in report.notes:
            pdf.multi_cell(0, 5, note, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
