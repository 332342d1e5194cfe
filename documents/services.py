"""Issuing the written notices of §4. A transition that obliges a notice issues it inside its own
transaction, so a matter never moves without its document; each issue is an event with the hash
of the text, and the first rendering to PDF is an event with the hash of the file."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template import Context, Template
from django.utils import timezone

from audit.services import record_event
from deadlines.rules import Clock
from matters.models import Deadline, Matter, grouped_code
from org.models import Unit

from .models import DocumentCounter, DocumentKind, DocumentTemplate, IssuedDocument
from .pdf import chinese_date, render_pdf

# The transition (lifecycle action) → the notice it obliges.
NOTICE_FOR_ACTION: dict[str, DocumentKind] = {
    "accept": DocumentKind.ACCEPTANCE,
    "refuse": DocumentKind.NON_ACCEPTANCE,
    "forward": DocumentKind.FORWARD,
    "extend": DocumentKind.EXTENSION,
    "reply": DocumentKind.REPLY,
    "decide_review": DocumentKind.REVIEW_DECISION,
    "decide_re_review": DocumentKind.RE_REVIEW_DECISION,
}


def _window_due(matter: Matter, clock: Clock) -> date | None:
    d = Deadline.objects.filter(matter=matter, clock=clock, stopped_on__isnull=True).first()
    return d.due if d else None


def _context(matter: Matter, kind: str, details: dict[str, Any], reason: str) -> dict[str, Any]:
    """What a template may use. The petitioner's name only: never phone, ID number or address."""
    handling_due = _window_due(matter, Clock.HANDLING)
    ctx: dict[str, Any] = {
        "petitioner": matter.petitioner.name,
        "code": grouped_code(matter.query_code),
        "title": matter.title,
        "registered": chinese_date(timezone.localtime(matter.registered_at).date()),
        "reason": reason or matter.decision_text,
        "legal_route": matter.legal_route,
        "to_unit": details.get("to_unit_name", ""),
        "days": details.get("days", ""),
        "due": chinese_date(handling_due),
        "reply_text": matter.reply_text,
        "decision_text": matter.decision_text,
    }
    if kind == DocumentKind.REPLY:
        body = matter.handling_unit.parent
        ctx.update(review_body=body.name if body else "", review_due=chinese_date(_window_due(matter, Clock.REVIEW_REQUEST)))
    elif kind == DocumentKind.REVIEW_DECISION:
        body = matter.review_unit.parent if matter.review_unit else None
        ctx.update(review_body=body.name if body else "", review_due=chinese_date(_window_due(matter, Clock.RE_REVIEW_REQUEST)))
    return ctx


def _next_number(unit: Unit, template: DocumentTemplate, year: int) -> str:
    counter, _created = DocumentCounter.objects.select_for_update().get_or_create(unit=unit, year=year, kind=template.kind)
    counter.last += 1
    counter.save(update_fields=["last"])
    prefix = unit.short_name or unit.name
    return f"{prefix}{template.code}〔{year}〕{counter.last}号"


def issue_for_transition(matter: Matter, action: str, *, unit: Unit, now: datetime, details: dict[str, Any],
                         reason: str = "") -> IssuedDocument | None:
    """The notice ``action`` obliges, issued by ``unit``; None when the action obliges none."""
    kind = NOTICE_FOR_ACTION.get(action)
    if kind is None:
        return None
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a notice is issued inside the transaction of the transition")
    template = DocumentTemplate.objects.get(kind=kind)
    text = Template(template.body).render(Context(_context(matter, kind, details, reason), autoescape=False)).strip()
    year = timezone.localtime(now).year
    doc = IssuedDocument.objects.create(
        matter=matter, kind=kind, number=_next_number(unit, template, year), title=template.title, text=text,
        text_sha256=hashlib.sha256(text.encode()).hexdigest(), issuing_unit=unit, issued_at=now,
    )
    record_event("issue_document", actor_label="system", target=matter, at=now,
                 after={"document": doc.pk, "number": doc.number, "kind": kind, "text_sha256": doc.text_sha256})
    return doc


def pdf_path(sha256: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "documents" / sha256[:2] / f"{sha256}.pdf"


def document_pdf(doc: IssuedDocument, *, now: datetime) -> bytes:
    """The document's PDF: rendered and stored by hash the first time, read back afterwards."""
    if doc.pdf_sha256:
        return pdf_path(doc.pdf_sha256).read_bytes()
    data = render_pdf(doc)
    digest = hashlib.sha256(data).hexdigest()
    path = pdf_path(digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    with transaction.atomic():
        # Only the first rendering records its hash; a concurrent one finds it set and changes nothing.
        if IssuedDocument.objects.filter(pk=doc.pk, pdf_sha256="").update(pdf_sha256=digest):
            record_event("render_document", actor_label="system", target=doc.matter, at=now,
                         after={"document": doc.pk, "number": doc.number, "pdf_sha256": digest})
    doc.refresh_from_db(fields=["pdf_sha256"])
    return pdf_path(doc.pdf_sha256).read_bytes()
