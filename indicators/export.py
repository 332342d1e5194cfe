"""The indicators table as a formatted Excel workbook and as a PDF, each with its definitions."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from documents.pdf import FontMissing

from .compute import Figure, Period

HEADERS = ["指标", "数值", "分子", "分母", "口径", "参数"]


def figure_row(f: Figure) -> list[object]:
    value: object = f.numerator if f.denominator is None else (round(f.rate, 4) if f.rate is not None else "—")
    definition = f.definition.numerator + (f" ÷ {f.definition.denominator}" if f.definition.denominator else "")
    return [f.definition.name, value, f.numerator, "—" if f.denominator is None else f.denominator, definition,
            str(f.definition.params or "")]


def to_xlsx(figures: list[Figure], period: Period, scope: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "指标"
    ws.append([f"信访工作指标 {period.start} 至 {period.end} · {scope}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(HEADERS)
    for cell in ws[2]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1E3A5F")
    for f in figures:
        ws.append(figure_row(f))
        if f.denominator is not None:
            ws.cell(row=ws.max_row, column=2).number_format = "0.0%"
    for col, width in zip("ABCDEF", (14, 10, 10, 10, 70, 30), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=3):
        row[4].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_pdf(figures: list[Figure], period: Period, scope: str, *, made: datetime | None = None) -> bytes:
    font = Path(settings.DOCUMENT_FONT)
    if not font.exists():
        raise FontMissing(f"the Chinese font {font} is missing (apt-get install fonts-noto-cjk)")
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_creation_date(made or timezone.now())
    pdf.add_font("cjk", fname=str(font), collection_font_number=settings.DOCUMENT_FONT_INDEX)
    pdf.add_page()
    pdf.set_font("cjk", size=16)
    pdf.cell(0, 12, f"信访工作指标 {period.start} 至 {period.end}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    pdf.cell(0, 8, scope, align="C", new_x="LMARGIN", new_y="NEXT")
    # The embedded font has no bold face: headings are shaded instead of bold.
    headings = FontFace(fill_color=(226, 232, 240))
    with pdf.table(col_widths=(24, 16, 14, 14, 110, 40), text_align="LEFT", headings_style=headings) as table:
        table.row(HEADERS)
        for f in figures:
            cells = figure_row(f)
            if f.denominator is not None and f.rate is not None:
                cells[1] = f"{f.rate:.1%}"
            table.row([str(c) for c in cells])
    return bytes(pdf.output())
