"""Leaders' reception days: slots, bookings within capacity, outcomes on the matter's timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest

from audit.models import Event
from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from matters.models import Matter
from matters.tests.journeys import register
from supervision import reception
from xinfang.testing import World, at

pytestmark = pytest.mark.django_db


def _slot(world: World, capacity: int = 1, actor: str = "leader"):
    start = at(2026, 3, 10, 9)
    return reception.publish_slot(actor=world.users[actor], leader_id=world.users["leader"].pk, kind="reception",
                                  starts_at=start, ends_at=start + timedelta(hours=3), place="市民中心信访接待室",
                                  capacity=capacity, now=at(2026, 3, 1))


def test_a_leader_or_the_petition_office_publishes_slots(world: World) -> None:
    assert _slot(world).leader == world.users["leader"]
    assert _slot(world, actor="reviewer").published_by == world.users["reviewer"]
    with pytest.raises(NotAllowed):
        _slot(world, actor="handler")
    with pytest.raises(InvalidInput):
        reception.publish_slot(actor=world.users["leader"], leader_id=world.users["handler"].pk, kind="x",
                               starts_at=at(2026, 3, 10), ends_at=at(2026, 3, 9), place="", capacity=0, now=at(2026, 3, 1))


def test_bookings_respect_capacity_scope_and_role(world: World) -> None:
    slot = _slot(world, capacity=1)
    first, second = register(world), register(world, title="另一件")
    reception.book(slot.pk, first.pk, actor=world.users["registrar"], now=at(2026, 3, 2))
    with pytest.raises(IllegalTransition):
        reception.book(slot.pk, second.pk, actor=world.users["registrar"], now=at(2026, 3, 2))
    with pytest.raises(NotAllowed):
        reception.book(_slot(world).pk, second.pk, actor=world.users["handler"], now=at(2026, 3, 2))
    with pytest.raises(Matter.DoesNotExist):
        reception.book(_slot(world).pk, register(world, unit="d2_housing").pk, actor=world.users["d1_registrar"],
                       now=at(2026, 3, 2))
    assert Event.objects.filter(verb="book_reception", target_id=first.pk).exists()


def test_the_leader_records_the_outcome_on_the_matter(world: World) -> None:
    slot = _slot(world)
    m = register(world)
    booking = reception.book(slot.pk, m.pk, actor=world.users["registrar"], now=at(2026, 3, 2))
    with pytest.raises(NotAllowed):
        reception.record_outcome(booking.pk, actor=world.users["registrar"], outcome="x", now=at(2026, 3, 10, 11))
    reception.record_outcome(booking.pk, actor=world.users["leader"], outcome="当场协调物业恢复供水", now=at(2026, 3, 10, 11))
    event = Event.objects.get(verb="reception_outcome", target_id=m.pk)
    assert event.reason == "当场协调物业恢复供水"
