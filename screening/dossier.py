"""一案一册: a ledger entry's whole story as one PDF, on the documents app's notice layout."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from audit.selectors import events_for
from documents.pdf import render_notice
from matters.selectors import matters_visible_to
from org.models import User

from .labels import event_label
from .models import LedgerEntry


def day(dt: datetime) -> str:
    return f"{timezone.localtime(dt):%Y-%m-%d}"


def dossier_pdf(entry: LedgerEntry, *, actor: User) -> bytes:
    """The entry as ``actor`` may see it: linked matters they cannot see are left out."""
    lines = [
        _("Summary: %(summary)s") % {"summary": entry.summary},
        _("Place: %(area)s; category: %(category)s") % {"area": entry.area.name, "category": entry.category or "—"},
        _("People involved: %(n)d; risk level: %(risk)s") % {"n": entry.people_involved, "risk": entry.get_risk_level_display()},
        _("Found by %(unit)s on %(date)s; responsible unit: %(responsible)s; deadline: %(deadline)s") % {
            "unit": entry.found_by_unit.name, "date": entry.found_on, "responsible": entry.responsible_unit.name,
            "deadline": entry.deadline},
        _("Status: %(status)s") % {"status": entry.get_status_display()},
        _("Measures:"), entry.measures,
        _("Related matters:"),
        *[f"{m.query_code} {m.title}" for m in entry.related_matters.filter(pk__in=matters_visible_to(actor).values("pk"))],
        _("Progress:"),
        *[f"{day(n.at)} {n.author}：{n.text}" for n in entry.notes.select_related("author")],
        _("Escalations:"),
        *[f"{day(e.at)} {e.from_unit.name} → {e.to_unit.name}：{e.reason}" for e in entry.escalations.select_related("from_unit", "to_unit")],
        _("Evidence:"), entry.evidence,
        *[f.filename for f in entry.evidence_files.all()],
        _("History:"),
        *[f"{day(e.at)} {event_label(e.verb)}" + (f"：{e.reason}" if e.reason else "") for e in events_for("ledgerentry", entry.pk)],
    ]
    if entry.closed_at:
        lines.append(_("Signed off on %(date)s by %(user)s at %(unit)s.") % {
            "date": day(entry.closed_at), "user": entry.closed_by, "unit": entry.closed_unit})
    return render_notice(title=_("Risk ledger dossier"), number=f"#{entry.pk}", paragraphs=[ln for ln in lines if ln],
                         signed_by=entry.responsible_unit.name, dated=entry.closed_at or entry.created_at)
