"""The backlog list (治重化积, §6): listing, progress, sign-off with evidence and approval, the
dossier (一案一册) as one PDF. Each change is one function, in a transaction, with its event."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.selectors import events_for
from audit.services import record_event
from documents.pdf import render_notice
from matters import selectors as matter_selectors
from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from matters.models import Matter
from matters.templatetags.xinfang_ui import event_label
from notify.services import HANDLERS
from org.models import Role, User
from org.scope import holds_role_over

from .models import BacklogEntry, BacklogProgress, BacklogSource, BacklogState, Campaign

B = BacklogState


def backlog_visible_to(user: User) -> QuerySet[BacklogEntry]:
    return BacklogEntry.objects.filter(matter__in=matter_selectors.matters_visible_to(user).values("pk")).select_related(
        "matter", "matter__handling_unit", "campaign")


def campaign_progress(user: User) -> list[dict[str, object]]:
    """Per campaign: how many listed cases, how many signed off (季攻坚 progress)."""
    return list(backlog_visible_to(user).values("campaign_id", "campaign__name").annotate(
        listed=Count("pk"), signed_off=Count("pk", filter=Q(state=B.SIGNED_OFF))).order_by("-campaign_id"))


def _entry(user: User, entry_id: int) -> BacklogEntry:
    return backlog_visible_to(user).select_for_update(of=("self",)).get(pk=entry_id)


def list_matter(matter_id: int, *, actor: User, source: str, reason: str, now: datetime,
                campaign_id: int | None = None) -> BacklogEntry:
    """列入积案: by a supervisor over the handling unit, self-identified or handed down."""
    errors: dict[str, str] = {}
    if source not in BacklogSource.values:
        errors["source"] = _("Self-identified or handed down?")
    if not reason.strip():
        errors["reason"] = _("Say why the matter is listed.")
    campaign = Campaign.objects.filter(pk=campaign_id).first() if campaign_id else None
    if campaign_id and campaign is None:
        errors["campaign_id"] = _("Unknown campaign.")
    if errors:
        raise InvalidInput(_("Nothing was listed; please correct the marked fields."), fields=errors)
    with transaction.atomic():
        matter = matter_selectors.matters_visible_to(actor).select_for_update().get(pk=matter_id)
        if not holds_role_over(actor, matter.handling_unit, [Role.SUPERVISOR]):
            raise NotAllowed(_("Only a supervisor lists backlog cases."))
        if BacklogEntry.objects.filter(matter=matter).exists():
            raise IllegalTransition(_("The matter is already on the backlog list."))
        entry = BacklogEntry.objects.create(matter=matter, source=source, campaign=campaign, reason=reason.strip(),
                                            listed_by=actor, listed_at=now)
        record_event("list_backlog", actor=actor, target=matter, at=now,
                     after={"entry": entry.pk, "source": source, "campaign": campaign_id})
    return entry


def add_progress(entry_id: int, *, actor: User, text: str, now: datetime) -> BacklogProgress:
    if not text.strip():
        raise InvalidInput(_("Write what was done."), fields={"text": _("Required.")})
    with transaction.atomic():
        entry = _entry(actor, entry_id)
        if entry.state == B.SIGNED_OFF:
            raise IllegalTransition(_("The case is signed off."))
        if not holds_role_over(actor, entry.matter.handling_unit, [*HANDLERS, Role.SUPERVISOR]):
            raise NotAllowed(_("Only the handling unit and supervisors record progress."))
        row = BacklogProgress.objects.create(entry=entry, author=actor, at=now, text=text.strip())
        record_event("backlog_progress", actor=actor, target=entry, at=now, after={"progress": row.pk})
    return row


def request_sign_off(entry_id: int, *, actor: User, evidence: str, now: datetime) -> BacklogEntry:
    """The handling unit asks for 销号, with the evidence that the case is resolved."""
    if not evidence.strip():
        raise InvalidInput(_("Sign-off needs evidence."), fields={"evidence": _("Required.")})
    with transaction.atomic():
        entry = _entry(actor, entry_id)
        if entry.state != B.LISTED:
            raise IllegalTransition(_("Sign-off is already requested or done."))
        if not holds_role_over(actor, entry.matter.handling_unit, HANDLERS):
            raise NotAllowed(_("The handling unit requests the sign-off."))
        entry.state, entry.evidence, entry.requested_by = B.SIGN_OFF_REQUESTED, evidence.strip(), actor
        entry.save()
        record_event("request_sign_off", actor=actor, target=entry, at=now, after={"state": entry.state})
    return entry


def decide_sign_off(entry_id: int, *, actor: User, approve: bool, now: datetime, reason: str = "") -> BacklogEntry:
    """A supervisor approves the sign-off, or sends it back with the reason."""
    if not approve and not reason.strip():
        raise InvalidInput(_("Say why the sign-off is refused."), fields={"reason": _("Required.")})
    with transaction.atomic():
        entry = _entry(actor, entry_id)
        if entry.state != B.SIGN_OFF_REQUESTED:
            raise IllegalTransition(_("No sign-off is requested."))
        if not holds_role_over(actor, entry.matter.handling_unit, [Role.SUPERVISOR]) or actor.pk == entry.requested_by_id:
            raise NotAllowed(_("A supervisor other than the requester approves the sign-off."))
        if approve:
            entry.state, entry.approved_by, entry.signed_off_at = B.SIGNED_OFF, actor, now
        else:
            entry.state = B.LISTED
        entry.save()
        record_event("approve_sign_off" if approve else "refuse_sign_off", actor=actor, target=entry, at=now,
                     after={"state": entry.state}, reason=reason)
    return entry


def dossier_pdf(entry_id: int, *, actor: User) -> bytes:
    """一案一册: the matter, its steps, its documents, the listing, progress and sign-off, one PDF."""
    entry = backlog_visible_to(actor).get(pk=entry_id)
    m: Matter = entry.matter
    lines = [
        _("Matter: %(code)s %(title)s") % {"code": m.query_code, "title": m.title},
        _("Handling unit: %(unit)s; state: %(state)s") % {"unit": m.handling_unit.name, "state": m.get_state_display()},
        _("Listed on %(date)s (%(source)s): %(reason)s") % {"date": timezone.localtime(entry.listed_at).date(),
                                                            "source": entry.get_source_display(), "reason": entry.reason},
        _("Content:"), m.content,
        _("Steps:"),
        *[f"{timezone.localtime(e.at):%Y-%m-%d} {event_label(e.verb)}" + (f"：{e.reason}" if e.reason else "")
          for e in events_for("matter", m.pk)],
        _("Documents:"),
        *[f"{d.number} {d.title}" for d in m.documents.all()],
        _("Progress:"),
        *[f"{timezone.localtime(p.at):%Y-%m-%d} {p.text}" for p in entry.progress.all()],
    ]
    if entry.state == B.SIGNED_OFF:
        lines += [_("Signed off on %(date)s. Evidence: %(evidence)s") % {
            "date": timezone.localtime(entry.signed_off_at).date() if entry.signed_off_at else "", "evidence": entry.evidence}]
    return render_notice(title=_("Backlog case dossier"), number=f"#{entry.pk}", paragraphs=[ln for ln in lines if ln],
                         signed_by=m.handling_unit.name, dated=entry.signed_off_at or entry.listed_at)
