"""Rendering notices to PDF with an embedded Chinese font (fpdf2, Noto Serif CJK SC)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from fpdf import FPDF

from .models import IssuedDocument


def chinese_date(d: date | None) -> str:
    """2026年3月20日, as official documents write dates."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


class FontMissing(RuntimeError):
    pass


def render_notice(*, title: str, number: str, paragraphs: Iterable[str], signed_by: str, dated: datetime) -> bytes:
    """A4: title, number, text, who signs and the date. The PDF's creation date is ``dated``,
    so the same notice renders to the same bytes."""
    font = Path(settings.DOCUMENT_FONT)
    if not font.exists():
        raise FontMissing(f"the Chinese font {font} is missing (apt-get install fonts-noto-cjk)")
    pdf = FPDF(format="A4")
    pdf.set_creation_date(dated)
    pdf.set_title(title)
    pdf.set_margins(25, 25, 25)
    pdf.add_font("cjk", fname=str(font), collection_font_number=settings.DOCUMENT_FONT_INDEX)
    pdf.add_page()
    pdf.set_font("cjk", size=20)
    pdf.cell(0, 14, title, align="C", new_x="LMARGIN", new_y="NEXT")
    if number:
        pdf.set_font("cjk", size=11)
        pdf.cell(0, 8, number, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("cjk", size=13)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 9, paragraph, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    pdf.cell(0, 9, signed_by, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 9, chinese_date(timezone.localtime(dated).date()), align="R")
    return bytes(pdf.output())


def render_pdf(doc: IssuedDocument) -> bytes:
    return render_notice(title=doc.title, number=doc.number, paragraphs=doc.text.splitlines(),
                         signed_by=doc.issuing_unit.name, dated=doc.issued_at)
