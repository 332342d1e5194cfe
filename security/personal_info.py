"""The petitioner's rights under the Personal Information Protection Law (个人信息保护法):
access to a copy of their data (Art. 45) and its erasure when the retention period ends (Art. 47),
with the retention period as data (RetentionPolicy).

Erasure keeps every matter, its deadlines, events, documents and the statistics built on them;
it removes the identity: name (replaced by a pseudonym), ID number, phone, address, e-mail, the
lookup hashes, the representatives' names and phones, the SMS recipients, and ID and phone
numbers written into the matters' free text."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from audit.models import Event
from audit.services import record_event
from matters.lifecycle import TERMINAL_STATES
from matters.models import Matter, Petitioner
from matters.personal_data import lookup_hash, mask_text, normalise_id_number, normalise_phone
from notify.models import OutboxMessage
from org.models import User

from .models import ErasedPetitioner, RetentionPolicy

PSEUDONYM = "（已删除）"


class ErasureRefused(Exception):
    """The petitioner still has a matter that is not closed."""


def find_petitioners(*, phone: str = "", id_number: str = "") -> QuerySet[Petitioner]:
    """Petitioners with this phone or this ID number, found through the keyed hashes."""
    match = Q(pk__in=[])
    if phone.strip():
        match |= Q(phone_hash=lookup_hash(normalise_phone(phone)))
    if id_number.strip():
        match |= Q(id_hash=lookup_hash(normalise_id_number(id_number)))
    return Petitioner.objects.filter(match).order_by("pk")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _matter_data(matter: Matter) -> dict[str, Any]:
    events = Event.objects.filter(target_type="matter", target_id=matter.pk).order_by("seq")
    rating = getattr(matter, "rating", None) if hasattr(matter, "rating") else None
    return {
        "query_code": matter.query_code,
        "channel": matter.channel,
        "handling_kind": matter.handling_kind,
        "state": matter.state,
        "title": matter.title,
        "content": matter.content,
        "address": matter.address,
        "registered_at": _iso(matter.registered_at),
        "closed_at": _iso(matter.closed_at),
        "handling_unit": matter.handling_unit.name,
        "reply_text": matter.reply_text,
        "decision_text": matter.decision_text,
        "legal_route": matter.legal_route,
        "attachments": [{"filename": a.filename, "content_type": a.content_type, "size": a.size,
                         "uploaded_at": _iso(a.uploaded_at)} for a in matter.attachments.all()],
        "supplements": [{"text": s.text, "sent_at": _iso(s.sent_at)} for s in matter.supplements.all()],
        "rating": {"level": rating.level, "comment": rating.comment, "rated_at": _iso(rating.rated_at)}
        if rating else None,
        "documents": [{"number": d.number, "title": d.title, "text": d.text, "issued_at": _iso(d.issued_at)}
                      for d in matter.documents.all()],
        "messages": [{"channel": m.channel, "body": m.body, "status": m.status, "created_at": _iso(m.created_at),
                      "sent_at": _iso(m.sent_at)}
                     for m in OutboxMessage.objects.filter(matter=matter).order_by("created_at", "pk")],
        "history": [{"at": _iso(e.at), "what": e.verb} for e in events],
    }


def export_personal_data(*, phone: str = "", id_number: str = "", actor: User | None, now: datetime,
                         reason: str = "") -> dict[str, Any]:
    """Everything the system holds about the petitioner(s) with this phone or ID number, as plain
    data for a JSON file. Each export is an event per petitioner (who asked, when, how much)."""
    with transaction.atomic():
        people = list(find_petitioners(phone=phone, id_number=id_number).prefetch_related("representatives"))
        result: dict[str, Any] = {"exported_at": now.isoformat(), "petitioners": []}
        for p in people:
            matters = list(Matter.objects.filter(petitioner=p).select_related("handling_unit")
                           .prefetch_related("attachments", "supplements", "documents").order_by("registered_at"))
            result["petitioners"].append({
                "kind": p.kind, "name": p.name, "id_number": p.id_number, "phone": p.phone,
                "address": p.address, "email": p.email, "group_size": p.group_size,
                "erased": ErasedPetitioner.objects.filter(petitioner=p).exists(),
                "representatives": [{"name": r.name, "phone": r.phone} for r in p.representatives.all()],
                "matters": [_matter_data(m) for m in matters],
            })
            record_event("export_personal_data", actor=actor, actor_label="" if actor else "command", target=p,
                         after={"matters": len(matters)}, reason=reason, at=now)
    return result


def same_person(petitioner: Petitioner) -> QuerySet[Petitioner]:
    """Every registration creates its own petitioner row; rows sharing a phone or an ID number
    (by their hashes) are one person."""
    match = Q(pk=petitioner.pk)
    if petitioner.phone_hash:
        match |= Q(phone_hash=petitioner.phone_hash)
    if petitioner.id_hash:
        match |= Q(id_hash=petitioner.id_hash)
    return Petitioner.objects.filter(match)


def _open_matters(petitioner: Petitioner) -> QuerySet[Matter]:
    return Matter.objects.filter(petitioner__in=same_person(petitioner)).exclude(state__in=TERMINAL_STATES)


def erase_personal_data(petitioner: Petitioner, *, actor: User | None, now: datetime, reason: str) -> bool:
    """Erase the petitioner's identity, keeping the matters. Refused while a matter is open.
    False if it was erased already."""
    with transaction.atomic():
        p = Petitioner.objects.select_for_update().get(pk=petitioner.pk)
        if ErasedPetitioner.objects.filter(petitioner=p).exists():
            return False
        if _open_matters(p).exists():
            raise ErasureRefused(f"petitioner #{p.pk} has a matter that is not closed")
        p.name = PSEUDONYM
        p.id_number = p.phone = p.address = p.email = ""
        p.phone_hash = p.id_hash = ""
        p.save(update_fields=["name", "id_number", "phone", "address", "email", "phone_hash", "id_hash"])
        for r in p.representatives.all():
            r.name, r.phone = PSEUDONYM, ""
            r.save(update_fields=["name", "phone"])
        matters = list(Matter.objects.select_for_update().filter(petitioner=p))
        for m in matters:
            m.content, m.reply_text, m.decision_text = mask_text(m.content), mask_text(m.reply_text), \
                mask_text(m.decision_text)
            m.save(update_fields=["content", "reply_text", "decision_text"])
        OutboxMessage.objects.filter(matter__petitioner=p).update(recipient="")
        ErasedPetitioner.objects.create(petitioner=p, erased_at=now)
        record_event("erase_personal_data", actor=actor, actor_label="" if actor else "apply_retention", target=p,
                     after={"matters": len(matters)}, reason=reason, at=now)
    petitioner.refresh_from_db()
    return True


def retention_candidates(*, now: datetime) -> QuerySet[Petitioner]:
    """Petitioners not yet erased whose matters all closed before the retention period began."""
    policy = RetentionPolicy.current()
    cutoff = now.replace(year=now.year - policy.years_after_closing) if not (now.month == 2 and now.day == 29) \
        else now.replace(year=now.year - policy.years_after_closing, day=28)
    # A matter ends when it is closed; one not accepted or merged ends with its last event.
    last_event = (Event.objects.filter(target_type="matter", target_id=OuterRef("pk"))
                  .order_by("-seq").values("at")[:1])
    ended = Matter.objects.annotate(ended_at=Coalesce("closed_at", Subquery(last_event)))
    still_needed = ended.filter(petitioner=OuterRef("pk")).filter(
        ~Q(state__in=TERMINAL_STATES) | Q(ended_at__isnull=True) | Q(ended_at__gt=cutoff))
    return (Petitioner.objects.filter(Exists(Matter.objects.filter(petitioner=OuterRef("pk"))))
            .exclude(Exists(still_needed))
            .exclude(Exists(ErasedPetitioner.objects.filter(petitioner=OuterRef("pk"))))
            .order_by("pk"))


def apply_retention(*, now: datetime, limit: int | None = None) -> int:
    """Erase every petitioner past the retention period; each under its own lock, re-checked there.
    The number erased."""
    years = RetentionPolicy.current().years_after_closing
    ids = list(retention_candidates(now=now).values_list("pk", flat=True))
    due = set(ids)
    erased = 0
    for pk in ids:
        if limit is not None and erased >= limit:
            break
        # The same person's other rows must be due too (or erased already, and so out of the scan).
        others = same_person(Petitioner.objects.get(pk=pk)).exclude(
            Exists(ErasedPetitioner.objects.filter(petitioner=OuterRef("pk")))).values_list("pk", flat=True)
        if not due.issuperset(others):
            continue
        try:
            erased += erase_personal_data(Petitioner(pk=pk), actor=None, now=now,
                                          reason=f"retention: {years} years after the last matter closed")
        except ErasureRefused:
            continue  # a matter was reopened (review) since the scan
    return erased
