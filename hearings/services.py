"""Hearing use cases: schedule (pausing the matter's clocks), draw and re-draw the panel, issue
notices, record minutes and opinion, close or cancel (resuming the clocks)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from deadlines.rules import CLOCKS, Clock
from matters import selectors as matter_selectors
from matters import services as matter_services
from matters.clocks import open_deadlines
from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from matters.lifecycle import Scope, State
from matters.models import Matter
from org.models import Role, Unit, User
from org.scope import covering_scope, holds_role_over

from . import draw as drawing
from .lifecycle import MOVES, PANEL_STATES, PURPOSES
from .models import (
    DocumentKind,
    Hearing,
    HearingDocument,
    HearingPurpose,
    HearingState,
    PanelDraw,
    PanelSeat,
    PoolKind,
)

HEARING_ROLES = (Role.REVIEWER,)
MAX_PANEL = 9


def organising_scope(user: User, matter: Matter, purpose: str) -> Unit | None:
    """The body the user would hold this hearing from, or None if they may not."""
    rule = PURPOSES[purpose]
    if rule.scope == Scope.ABOVE_HANDLING_UNIT:
        return covering_scope(user, matter.handling_unit, HEARING_ROLES, strictly_above=True)
    if rule.scope == Scope.ABOVE_REVIEW_UNIT:
        if matter.review_unit is None:
            return None
        return covering_scope(user, matter.review_unit, HEARING_ROLES, strictly_above=True)
    return covering_scope(user, matter.handling_unit, HEARING_ROLES)


def purposes_open_to(user: User, matter: Matter) -> list[tuple[str, Unit]]:
    """The hearings the user could schedule on the matter now, with the body they would hold each from."""
    found = [(p, organising_scope(user, matter, p)) for p, rule in PURPOSES.items() if matter.state in rule.states]
    return [(p, unit) for p, unit in found if unit is not None]


def may_act(user: User, hearing: Hearing) -> bool:
    return holds_role_over(user, hearing.organising_unit, HEARING_ROLES)


def _running_obligations(matter: Matter, paused: bool) -> bool:
    return any(CLOCKS[Clock(d.clock)].office_obligation and d.paused == paused for d in open_deadlines(matter))


def schedule_hearing(matter_id: int, *, actor: User, now: datetime, purpose: str, scheduled_for: datetime | None,
                     place: str) -> Hearing:
    errors: dict[str, str] = {}
    if purpose not in PURPOSES:
        errors["purpose"] = _("Choose what the hearing is for.")
    if scheduled_for is None:
        errors["scheduled_for"] = _("Give the date and time.")
    elif scheduled_for < now:
        errors["scheduled_for"] = _("The hearing cannot be in the past.")
    if not place.strip():
        errors["place"] = _("Say where the hearing is held.")
    if errors:
        raise InvalidInput(_("The hearing has errors; nothing was saved."), fields=errors)
    assert scheduled_for is not None
    with transaction.atomic():
        matter = matter_selectors.matters_visible_to(actor).select_for_update().get(pk=matter_id)
        if matter.state not in PURPOSES[purpose].states:
            raise IllegalTransition(
                _("A %(purpose)s hearing is not possible while the matter is %(state)s.")
                % {"purpose": HearingPurpose(purpose).label, "state": State(matter.state).label})
        unit = organising_scope(actor, matter, purpose)
        if unit is None:
            raise NotAllowed(_("Only a petition-office reviewer of the body that decides may schedule this hearing."))
        try:
            with transaction.atomic():
                hearing = Hearing.objects.create(matter=matter, purpose=purpose, organising_unit=unit,
                                                 scheduled_for=scheduled_for, place=place.strip(), scheduled_by=actor,
                                                 scheduled_at=now)
        except IntegrityError:
            raise IllegalTransition(_("The matter already has a hearing under way.")) from None
        if _running_obligations(matter, paused=False):
            matter_services.pause_clock(matter.pk, actor=actor, now=now, reason=_("Hearing scheduled"))
            hearing.paused_clock = True
            hearing.save(update_fields=["paused_clock"])
        record_event("hearing_scheduled", actor=actor, target=hearing, at=now,
                     after={"matter": matter.pk, "purpose": purpose, "organising_unit": unit.pk,
                            "scheduled_for": scheduled_for.isoformat(), "paused_clock": hearing.paused_clock})
        # The matter's timeline tells of the hearing too.
        record_event("hearing_scheduled", actor=actor, target=matter, at=now,
                     after={"hearing": hearing.pk, "scheduled_for": scheduled_for.isoformat()}, reason=hearing.place)
    return hearing


def _hearing_for_update(hearing_id: int, actor: User) -> Hearing:
    """Raises Hearing.DoesNotExist for a hearing whose matter the actor cannot see."""
    visible = matter_selectors.matters_visible_to(actor).values("pk")
    hearing = Hearing.objects.select_for_update().get(pk=hearing_id, matter__in=visible)
    if not may_act(actor, hearing):
        raise NotAllowed(_("Only a petition-office reviewer of the organising body acts on this hearing."))
    return hearing


def _require_text(text: str, field_name: str) -> str:
    if not text.strip():
        raise InvalidInput(_("The text is required."), fields={field_name: _("The text is required.")})
    return text.strip()


Mutation = Callable[[Hearing], dict[str, Any]]


def _move(action: str, hearing_id: int, *, actor: User, now: datetime, reason: str = "",
          mutate: Mutation | None = None) -> Hearing:
    move = MOVES[action]
    with transaction.atomic():
        hearing = _hearing_for_update(hearing_id, actor)
        if hearing.state not in move.sources:
            raise IllegalTransition(_("“%(action)s” is not possible while the hearing is %(state)s.")
                                    % {"action": move.label, "state": HearingState(hearing.state).label})
        before = {"state": hearing.state}
        details = mutate(hearing) if mutate else {}
        hearing.state = move.target
        if move.concludes:
            hearing.concluded_at = now
            if hearing.paused_clock and _running_obligations(hearing.matter, paused=True):
                matter_services.resume_clock(hearing.matter_id, actor=actor, now=now, reason=_("Hearing concluded"))
        hearing.version += 1
        hearing.save()
        record_event(f"hearing_{action}", actor=actor, target=hearing, at=now, before=before,
                     after={"state": hearing.state, **details}, reason=reason)
        if move.concludes:
            record_event(f"hearing_{action}", actor=actor, target=hearing.matter, at=now,
                         after={"hearing": hearing.pk, "state": hearing.state}, reason=reason)
    return hearing


def _document(hearing: Hearing, kind: str, text: str, actor: User, now: datetime, *, addressee: str = "",
              unit: Unit | None = None) -> HearingDocument:
    return HearingDocument.objects.create(hearing=hearing, kind=kind, text=text, addressee=addressee,
                                          addressee_unit=unit, issued_on=timezone.localtime(now).date(), issued_by=actor)


def record_minutes(hearing_id: int, *, actor: User, now: datetime, text: str) -> Hearing:
    """听证笔录: the hearing took place with a panel; not before its day."""
    body = _require_text(text, "text")

    def mutate(hearing: Hearing) -> dict[str, Any]:
        if timezone.localtime(now).date() < timezone.localtime(hearing.scheduled_for).date():
            raise IllegalTransition(_("The hearing has not taken place yet."))
        if not hearing.seats.filter(recused_at__isnull=True).exists():
            raise IllegalTransition(_("Draw the panel before recording the minutes."))
        return {"document": _document(hearing, DocumentKind.MINUTES, body, actor, now).pk}

    return _move("record_minutes", hearing_id, actor=actor, now=now, mutate=mutate)


def give_opinion(hearing_id: int, *, actor: User, now: datetime, text: str) -> Hearing:
    """听证评议意见: the panel's opinion; the matter's clocks run again."""
    body = _require_text(text, "text")

    def mutate(hearing: Hearing) -> dict[str, Any]:
        return {"document": _document(hearing, DocumentKind.OPINION, body, actor, now).pk}

    return _move("give_opinion", hearing_id, actor=actor, now=now, mutate=mutate)


def close_hearing(hearing_id: int, *, actor: User, now: datetime) -> Hearing:
    return _move("close", hearing_id, actor=actor, now=now)


def cancel_hearing(hearing_id: int, *, actor: User, now: datetime, reason: str) -> Hearing:
    why = _require_text(reason, "reason")

    def mutate(hearing: Hearing) -> dict[str, Any]:
        hearing.cancel_reason = why
        return {}

    return _move("cancel", hearing_id, actor=actor, now=now, reason=why, mutate=mutate)


PETITIONER = "petitioner"


def notice_addressees(hearing: Hearing) -> list[tuple[str, str]]:
    """(key, label) of whom a notice may go to: the petitioner and the units involved."""
    units = {u.pk: u for u in drawing.involved_units(hearing.matter)}
    return [(PETITIONER, _("The petitioner")), *[(str(pk), u.name) for pk, u in units.items()]]


def issue_notice(hearing_id: int, *, actor: User, now: datetime, addressee: str, text: str) -> HearingDocument:
    """听证通知书 to the petitioner or to one of the units involved, while the hearing is scheduled."""
    body = _require_text(text, "text")
    with transaction.atomic():
        hearing = _hearing_for_update(hearing_id, actor)
        if hearing.state not in PANEL_STATES:
            raise IllegalTransition(_("Notices go out before the hearing is held."))
        choices = dict(notice_addressees(hearing))
        if addressee not in choices:
            raise InvalidInput(_("Choose whom the notice is for."), fields={"addressee": _("Choose whom the notice is for.")})
        unit = None if addressee == PETITIONER else Unit.objects.get(pk=int(addressee))
        doc = _document(hearing, DocumentKind.NOTICE, body, actor, now, addressee=choices[addressee], unit=unit)
        record_event("hearing_notice", actor=actor, target=hearing, at=now,
                     after={"document": doc.pk, "addressee": addressee})
    return doc


# --- the panel ---------------------------------------------------------------------------


def _drawn(hearing: Hearing, *, kind: str, size: int, specialty: str, actor: User, now: datetime,
           replaces: PanelSeat | None = None) -> PanelDraw:
    found = drawing.eligibility(hearing, kind, specialty)
    if len(found.candidates) < size:
        message = _("Only %(count)d members are eligible; %(size)d were asked for.") % {
            "count": len(found.candidates), "size": size}
        raise InvalidInput(message, fields={"size": message})
    seed = secrets.token_hex(16)
    chosen = drawing.choose(seed, found.candidates, size)
    draw = PanelDraw.objects.create(hearing=hearing, kind=kind, size=size, specialty=specialty, seed=seed,
                                    candidates=found.candidates, excluded=[list(e) for e in found.excluded],
                                    chosen=chosen, replaces=replaces, drawn_by=actor, drawn_at=now)
    PanelSeat.objects.bulk_create([PanelSeat(hearing=hearing, member_id=pk, draw=draw) for pk in chosen])
    return draw


def draw_panel(hearing_id: int, *, actor: User, now: datetime, kind: str, size: int, specialty: str = "") -> PanelDraw:
    """Draw ``size`` members of a pool at random among the eligible; the whole draw is recorded."""
    errors: dict[str, str] = {}
    if kind not in PoolKind.values:
        errors["kind"] = _("Choose a pool.")
    if not 1 <= size <= MAX_PANEL:
        errors["size"] = _("Draw between 1 and %(max)d members.") % {"max": MAX_PANEL}
    if errors:
        raise InvalidInput(_("The draw has errors; nothing was drawn."), fields=errors)
    with transaction.atomic():
        hearing = _hearing_for_update(hearing_id, actor)
        if hearing.state not in PANEL_STATES:
            raise IllegalTransition(_("The panel is drawn before the hearing is held."))
        draw = _drawn(hearing, kind=kind, size=size, specialty=specialty.strip(), actor=actor, now=now)
        record_event("panel_drawn", actor=actor, target=hearing, at=now,
                     after={"draw": draw.pk, "kind": kind, "size": size, "chosen": draw.chosen,
                            "candidates": len(draw.candidates), "excluded": len(draw.excluded)})
    return draw


def recuse(seat_id: int, *, actor: User, now: datetime, reason: str) -> PanelDraw:
    """回避: the member leaves the panel and one replacement is drawn from the same pool, recorded
    as its own draw; the member cannot be drawn again for this hearing."""
    why = _require_text(reason, "reason")
    with transaction.atomic():
        # The hearing first, as every panel change locks it, so two changes never wait on each other.
        hearing = _hearing_for_update(PanelSeat.objects.values_list("hearing_id", flat=True).get(pk=seat_id), actor)
        seat = PanelSeat.objects.select_for_update(of=("self",)).select_related("draw").get(pk=seat_id)
        if hearing.state not in PANEL_STATES:
            raise IllegalTransition(_("The panel is drawn before the hearing is held."))
        if seat.recused_at is not None:
            raise IllegalTransition(_("This member has already withdrawn."))
        seat.recusal_reason, seat.recused_at = why, now
        seat.save()
        draw = _drawn(hearing, kind=seat.draw.kind, size=1, specialty=seat.draw.specialty, actor=actor, now=now,
                      replaces=seat)
        record_event("panel_recusal", actor=actor, target=hearing, at=now,
                     after={"withdrawn": seat.member_id, "draw": draw.pk, "chosen": draw.chosen}, reason=why)
    return draw
