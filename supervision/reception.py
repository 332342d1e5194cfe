"""Leaders' reception days (领导接访、约访、下访, §6): slots, bookings, outcomes on the matter."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, F, QuerySet
from django.utils.translation import gettext as _

from audit.services import record_event
from matters import selectors as matter_selectors
from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from matters.lifecycle import OPEN_STATES
from org.models import Role, User
from org.scope import holds_role_over, roles_of

from .models import ReceptionBooking, ReceptionKind, ReceptionSlot

BOOKING_ROLES = (Role.REGISTRAR, Role.REVIEWER)


def publish_slot(*, actor: User, leader_id: int, kind: str, starts_at: datetime, ends_at: datetime, place: str,
                 capacity: int, now: datetime) -> ReceptionSlot:
    """A leader publishes their own slot, or the petition office publishes one for a leader."""
    errors: dict[str, str] = {}
    if kind not in ReceptionKind.values:
        errors["kind"] = _("Unknown kind of reception.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The end is before the start.")
    if starts_at < now:
        errors["starts_at"] = _("The slot is in the past.")
    if not place.strip():
        errors["place"] = _("Say where.")
    if capacity < 1:
        errors["capacity"] = _("At least one petitioner.")
    leader = User.objects.filter(pk=leader_id, is_active=True).first()
    if leader is None or Role.LEADER not in roles_of(leader):
        errors["leader_id"] = _("Choose a leader.")
    if errors:
        raise InvalidInput(_("The slot has errors; nothing was saved."), fields=errors)
    assert leader is not None
    if actor.pk != leader.pk and not (actor.unit and holds_role_over(actor, actor.unit, BOOKING_ROLES)):
        raise NotAllowed(_("A leader publishes their own slots; the petition office may publish for them."))
    with transaction.atomic():
        slot = ReceptionSlot.objects.create(leader=leader, kind=kind, starts_at=starts_at, ends_at=ends_at,
                                            place=place.strip(), capacity=capacity, published_by=actor)
        record_event("publish_reception", actor=actor, target=slot, at=now,
                     after={"leader": leader.pk, "starts_at": starts_at.isoformat(), "capacity": capacity})
    return slot


def upcoming_slots(now: datetime) -> QuerySet[ReceptionSlot]:
    return ReceptionSlot.objects.filter(ends_at__gte=now).annotate(booked=Count("bookings")).select_related("leader")


def slots_with_room(now: datetime) -> QuerySet[ReceptionSlot]:
    return upcoming_slots(now).filter(booked__lt=F("capacity"))  # type: ignore[misc]  # the stubs miss annotations


def book(slot_id: int, matter_id: int, *, actor: User, now: datetime) -> ReceptionBooking:
    """Staff book an open matter in their scope into a slot with room left; the slot row is
    locked so that two bookings never take the last place together."""
    with transaction.atomic():
        matter = matter_selectors.matters_visible_to(actor).get(pk=matter_id)
        if not holds_role_over(actor, matter.handling_unit, BOOKING_ROLES):
            raise NotAllowed(_("The registrar or the petition office books receptions."))
        if matter.state not in OPEN_STATES:
            raise IllegalTransition(_("Only an open matter is booked for a reception."))
        slot = ReceptionSlot.objects.select_for_update().get(pk=slot_id)
        if slot.ends_at < now:
            raise IllegalTransition(_("This slot is over."))
        if slot.bookings.count() >= slot.capacity:
            raise IllegalTransition(_("This slot is full."))
        try:
            with transaction.atomic():
                booking = ReceptionBooking.objects.create(slot=slot, matter=matter, booked_by=actor, booked_at=now)
        except IntegrityError:
            raise IllegalTransition(_("The matter is already booked into this slot.")) from None
        record_event("book_reception", actor=actor, target=matter, at=now,
                     after={"slot": slot.pk, "leader": slot.leader_id, "starts_at": slot.starts_at.isoformat()})
    return booking


def record_outcome(booking_id: int, *, actor: User, outcome: str, now: datetime) -> ReceptionBooking:
    """The leader records what came of the reception; it goes onto the matter's timeline."""
    if not outcome.strip():
        raise InvalidInput(_("Record the outcome."), fields={"outcome": _("Required.")})
    with transaction.atomic():
        booking = ReceptionBooking.objects.select_for_update().select_related("slot").get(pk=booking_id)
        if actor.pk != booking.slot.leader_id:
            raise NotAllowed(_("The leader who received the petitioner records the outcome."))
        booking.outcome, booking.outcome_at = outcome.strip(), now
        booking.save()
        record_event("reception_outcome", actor=actor, target=booking.matter, at=now,
                     after={"slot": booking.slot_id}, reason=booking.outcome)
    return booking
