"""Lawyers at reception (律师参与信访): the duty roster and consultations recorded on matters."""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from matters import selectors as matter_selectors
from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from matters.models import Matter
from org.models import Role, Unit, User
from org.scope import holds_role_over

from .models import Consultation, DutyShift, PoolKind, PoolMember, Session
from .selectors import members_visible_to

ROSTER_ROLES = (Role.REVIEWER,)
CONSULTATION_ROLES = (Role.REGISTRAR, Role.REVIEWER, Role.HANDLER)


def add_shift(*, actor: User, now: datetime, lawyer_id: int, unit_id: int, day: date | None, session: str,
              place: str) -> DutyShift:
    errors: dict[str, str] = {}
    lawyer = members_visible_to(actor).filter(pk=lawyer_id, kind=PoolKind.LAWYER, active=True).first()
    if lawyer is None:
        errors["lawyer"] = _("Choose an active lawyer from the pool.")
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        errors["unit"] = _("Choose the reception.")
    if day is None:
        errors["day"] = _("Give the day.")
    elif day < timezone.localtime(now).date():
        errors["day"] = _("The day is in the past.")
    if session not in Session.values:
        errors["session"] = _("Choose the session.")
    if not place.strip():
        errors["place"] = _("Say where.")
    if errors:
        raise InvalidInput(_("The shift has errors; nothing was saved."), fields=errors)
    assert unit is not None and day is not None and lawyer is not None
    if not holds_role_over(actor, unit, ROSTER_ROLES):
        raise NotAllowed(_("The petition office of that unit keeps its roster."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                shift = DutyShift.objects.create(lawyer=lawyer, unit=unit, day=day, session=session,
                                                 place=place.strip(), created_by=actor)
        except IntegrityError:
            raise IllegalTransition(_("This lawyer is already on duty in that session.")) from None
        record_event("duty_shift_added", actor=actor, target=shift, at=now,
                     after={"lawyer": lawyer_id, "unit": unit.pk, "day": day.isoformat(), "session": session})
    return shift


def suggested_lawyers(user: User, day: date) -> list[tuple[PoolMember, bool]]:
    """Active lawyers the user may choose, those on duty that day first: (lawyer, on duty)."""
    lawyers = list(members_visible_to(user).filter(kind=PoolKind.LAWYER, active=True))
    on_duty = set(DutyShift.objects.filter(day=day, lawyer__in=lawyers).values_list("lawyer_id", flat=True))
    return sorted(((m, m.pk in on_duty) for m in lawyers), key=lambda pair: (not pair[1], pair[0].name, pair[0].pk))


def may_record_consultation(user: User, matter: Matter) -> bool:
    return (holds_role_over(user, matter.handling_unit, CONSULTATION_ROLES)
            or holds_role_over(user, matter.intake_unit, CONSULTATION_ROLES))


def record_consultation(matter_id: int, *, actor: User, now: datetime, lawyer_id: int, consulted_on: date | None,
                        summary: str, advice: str) -> Consultation:
    errors: dict[str, str] = {}
    lawyer = members_visible_to(actor).filter(pk=lawyer_id, kind=PoolKind.LAWYER).first()
    if lawyer is None:
        errors["lawyer"] = _("Choose a lawyer from the pool.")
    if consulted_on is None:
        errors["consulted_on"] = _("Give the date.")
    elif consulted_on > timezone.localtime(now).date():
        errors["consulted_on"] = _("The date is in the future.")
    if not summary.strip():
        errors["summary"] = _("Summarise the consultation.")
    if not advice.strip():
        errors["advice"] = _("Record the advice given.")
    with transaction.atomic():
        matter = matter_selectors.matters_visible_to(actor).select_for_update().get(pk=matter_id)
        if not may_record_consultation(actor, matter):
            raise NotAllowed(_("Only staff who register or handle this matter record consultations on it."))
        if errors:
            raise InvalidInput(_("The consultation has errors; nothing was saved."), fields=errors)
        assert consulted_on is not None and lawyer is not None
        consultation = Consultation.objects.create(matter=matter, lawyer=lawyer, consulted_on=consulted_on,
                                                   summary=summary.strip(), advice=advice.strip(),
                                                   recorded_by=actor, recorded_at=now)
        record_event("lawyer_consultation", actor=actor, target=matter, at=now,
                     after={"consultation": consultation.pk, "lawyer": lawyer_id,
                            "consulted_on": consulted_on.isoformat()})
    return consultation
