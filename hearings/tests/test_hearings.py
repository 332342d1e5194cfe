"""Scheduling hearings, the moves of the hearing table, notices and the matter's clock."""

from __future__ import annotations

import pytest
from django.utils import translation

from audit.models import Event
from hearings import services
from hearings.lifecycle import MOVES
from hearings.models import DocumentKind, Hearing, HearingState
from matters import services as matter_services
from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from matters.lifecycle import State
from matters.models import Deadline, Matter
from matters.tests.journeys import matter_in
from xinfang.testing import World, at

from .helpers import HEARING_DAY, SCHEDULED_ON, officers, review_hearing

pytestmark = pytest.mark.django_db


def _schedule(w: World, matter: Matter, purpose: str, actor: str) -> Hearing:
    return services.schedule_hearing(matter.pk, actor=w.users[actor], now=at(2026, 4, 6), purpose=purpose,
                                     scheduled_for=at(2026, 4, 10), place="听证室")


@pytest.mark.parametrize(("state", "purpose", "actor", "allowed"), [
    # review: the body above the handling unit (d1_housing)
    (State.REVIEW_REQUESTED, "review", "reviewer", True),
    (State.REVIEW_REQUESTED, "review", "d1_reviewer", True),
    (State.REVIEW_REQUESTED, "review", "handler", False),
    (State.REVIEW_REQUESTED, "review", "housing_head", False),
    (State.REVIEW_REQUESTED, "review", "registrar", False),
    (State.REVIEW_REQUESTED, "review", "d1_head", False),
    # re-review: the body above the review unit (d1)
    (State.RE_REVIEW_REQUESTED, "re_review", "reviewer", True),
    (State.RE_REVIEW_REQUESTED, "re_review", "d1_reviewer", False),
    (State.RE_REVIEW_REQUESTED, "re_review", "supervisor", False),
    # a hard matter: a reviewer over the handling unit
    (State.ACCEPTED, "hard_matter", "d1_reviewer", True),
    (State.ACCEPTED, "hard_matter", "reviewer", True),
    (State.ACCEPTED, "hard_matter", "handler", False),
    (State.ACCEPTED, "hard_matter", "leader", False),
])
def test_who_may_schedule_which_hearing(world: World, state: State, purpose: str, actor: str, allowed: bool) -> None:
    m = matter_in(world, state)
    if allowed:
        h = _schedule(world, m, purpose, actor)
        assert h.state == HearingState.SCHEDULED
        assert world.users[actor].roles.filter(scope=h.organising_unit).exists()
    else:
        with pytest.raises(NotAllowed):
            _schedule(world, m, purpose, actor)


def test_the_organising_body_is_the_reviewer_scope(world: World) -> None:
    assert review_hearing(world, actor="d1_reviewer").organising_unit == world.units["d1"]
    assert review_hearing(world).organising_unit == world.units["city"]


def test_out_of_scope_matter_is_not_found(world: World) -> None:
    m = matter_in(world, State.REVIEW_REQUESTED)
    world.user("d2_reviewer", "d2_office", ("reviewer", "d2"))
    with pytest.raises(Matter.DoesNotExist):
        _schedule(world, m, "review", "d2_reviewer")


@pytest.mark.parametrize(("state", "purpose"), [
    (State.ACCEPTED, "review"), (State.REVIEWED, "review"), (State.REVIEW_REQUESTED, "re_review"),
    (State.REPLIED, "hard_matter"), (State.REGISTERED, "hard_matter"),
])
def test_a_hearing_fits_the_matter_state(world: World, state: State, purpose: str) -> None:
    with pytest.raises(IllegalTransition):
        _schedule(world, matter_in(world, state), purpose, "reviewer")


def test_schedule_checks_each_field(world: World) -> None:
    m = matter_in(world, State.REVIEW_REQUESTED)
    with pytest.raises(InvalidInput) as err:
        services.schedule_hearing(m.pk, actor=world.users["reviewer"], now=SCHEDULED_ON, purpose="party",
                                  scheduled_for=at(2026, 3, 1), place=" ")
    assert set(err.value.fields) == {"purpose", "scheduled_for", "place"}
    with pytest.raises(InvalidInput) as err:
        services.schedule_hearing(m.pk, actor=world.users["reviewer"], now=SCHEDULED_ON, purpose="review",
                                  scheduled_for=None, place="x")
    assert set(err.value.fields) == {"scheduled_for"}
    assert not Hearing.objects.exists()


def test_one_hearing_under_way_per_matter(world: World) -> None:
    first = review_hearing(world)
    with pytest.raises(IllegalTransition):
        review_hearing(world, matter=first.matter)
    services.cancel_hearing(first.pk, actor=world.users["reviewer"], now=SCHEDULED_ON, reason="信访人申请延期")
    assert review_hearing(world, matter=first.matter).pk != first.pk


def _review_due(m: Matter) -> Deadline:
    return Deadline.objects.get(matter=m, clock="review_decision", stopped_on__isnull=True)


def test_the_hearing_time_is_excluded_from_the_review_clock(world: World) -> None:
    m = matter_in(world, State.REVIEW_REQUESTED)  # review requested 2026-03-25: decision due 04-24
    assert str(m.statutory_due) == "2026-04-24"
    h = review_hearing(world, matter=m)  # 03-26
    m.refresh_from_db()
    assert m.clock_paused and h.paused_clock
    officers(world, 3)
    services.draw_panel(h.pk, actor=world.users["reviewer"], now=SCHEDULED_ON, kind="hearing_officer", size=3)
    services.record_minutes(h.pk, actor=world.users["reviewer"], now=HEARING_DAY, text="听证笔录")
    m.refresh_from_db()
    assert m.clock_paused  # held, but the opinion is not given yet
    services.give_opinion(h.pk, actor=world.users["reviewer"], now=at(2026, 3, 30), text="评议意见：维持")
    m.refresh_from_db()
    assert not m.clock_paused
    assert _review_due(m).pauses == [["2026-03-26", "2026-03-30"]]
    assert str(m.statutory_due) == "2026-04-28"  # four days later
    assert _review_due(m).due == m.statutory_due


def test_cancelling_resumes_the_clock(world: World) -> None:
    h = review_hearing(world)
    services.cancel_hearing(h.pk, actor=world.users["reviewer"], now=at(2026, 3, 28), reason="信访人撤回")
    m = Matter.objects.get(pk=h.matter_id)
    assert not m.clock_paused
    assert str(m.statutory_due) == "2026-04-27"  # two days later, Sunday rolled to Monday


def test_a_clock_paused_by_someone_else_is_left_as_it_was(world: World) -> None:
    m = matter_in(world, State.ACCEPTED)
    matter_services.pause_clock(m.pk, actor=world.users["housing_head"], now=at(2026, 3, 5), reason="鉴定")
    h = services.schedule_hearing(m.pk, actor=world.users["d1_reviewer"], now=at(2026, 3, 6), purpose="hard_matter",
                                  scheduled_for=at(2026, 3, 9), place="区信访局")
    assert not h.paused_clock
    services.cancel_hearing(h.pk, actor=world.users["d1_reviewer"], now=at(2026, 3, 7), reason="改期")
    assert Matter.objects.get(pk=m.pk).clock_paused  # the appraisal pause still runs


def _to(world: World, state: HearingState) -> Hearing:
    h = review_hearing(world)
    r = world.users["reviewer"]
    if state in (HearingState.HELD, HearingState.OPINION_GIVEN, HearingState.CLOSED):
        officers(world, 1)
        services.draw_panel(h.pk, actor=r, now=SCHEDULED_ON, kind="hearing_officer", size=1)
        services.record_minutes(h.pk, actor=r, now=HEARING_DAY, text="笔录")
    if state in (HearingState.OPINION_GIVEN, HearingState.CLOSED):
        services.give_opinion(h.pk, actor=r, now=HEARING_DAY, text="意见")
    if state == HearingState.CLOSED:
        services.close_hearing(h.pk, actor=r, now=HEARING_DAY)
    if state == HearingState.CANCELLED:
        services.cancel_hearing(h.pk, actor=r, now=HEARING_DAY, reason="撤回")
    h.refresh_from_db()
    assert h.state == state
    return h


CALLS = {
    "record_minutes": lambda h, u: services.record_minutes(h.pk, actor=u, now=HEARING_DAY, text="笔录"),
    "give_opinion": lambda h, u: services.give_opinion(h.pk, actor=u, now=HEARING_DAY, text="意见"),
    "close": lambda h, u: services.close_hearing(h.pk, actor=u, now=HEARING_DAY),
    "cancel": lambda h, u: services.cancel_hearing(h.pk, actor=u, now=HEARING_DAY, reason="撤回"),
}


@pytest.mark.parametrize("action", list(MOVES))
@pytest.mark.parametrize("state", list(HearingState))
def test_each_move_only_from_its_states(world: World, action: str, state: HearingState) -> None:
    h = _to(world, state)
    if state in MOVES[action].sources:
        if action == "record_minutes":
            officers(world, 1)
            services.draw_panel(h.pk, actor=world.users["reviewer"], now=SCHEDULED_ON, kind="hearing_officer", size=1)
        assert CALLS[action](h, world.users["reviewer"]).state == MOVES[action].target
    else:
        with pytest.raises(IllegalTransition):
            CALLS[action](h, world.users["reviewer"])


@pytest.mark.parametrize("actor", ["d1_reviewer", "handler", "housing_head", "registrar", "supervisor"])
@pytest.mark.parametrize("action", list(MOVES))
def test_only_a_reviewer_of_the_organising_body_moves_the_hearing(world: World, actor: str, action: str) -> None:
    h = _to(world, HearingState.SCHEDULED)
    with pytest.raises(NotAllowed):
        CALLS[action](h, world.users[actor])


def test_minutes_need_the_day_and_a_panel(world: World) -> None:
    h = review_hearing(world)
    r = world.users["reviewer"]
    with translation.override("en"), pytest.raises(IllegalTransition, match="Draw the panel"):
        services.record_minutes(h.pk, actor=r, now=HEARING_DAY, text="笔录")
    officers(world, 1)
    services.draw_panel(h.pk, actor=r, now=SCHEDULED_ON, kind="hearing_officer", size=1)
    with translation.override("en"), pytest.raises(IllegalTransition, match="not taken place"):
        services.record_minutes(h.pk, actor=r, now=at(2026, 3, 26, 18), text="笔录")
    with pytest.raises(InvalidInput):
        services.record_minutes(h.pk, actor=r, now=HEARING_DAY, text=" ")
    services.record_minutes(h.pk, actor=r, now=HEARING_DAY, text="笔录")
    assert h.documents.get().kind == DocumentKind.MINUTES


def test_notices_go_to_the_petitioner_and_the_units_involved(world: World) -> None:
    h = review_hearing(world)
    r = world.users["reviewer"]
    keys = [k for k, _label in services.notice_addressees(h)]
    assert keys == ["petitioner", str(world.units["d1_housing"].pk), str(world.units["city_office"].pk)]
    services.issue_notice(h.pk, actor=r, now=SCHEDULED_ON, addressee="petitioner", text="定于3月27日举行听证")
    doc = services.issue_notice(h.pk, actor=r, now=SCHEDULED_ON, addressee=keys[1], text="请派员参加")
    assert doc.addressee_unit == world.units["d1_housing"] and doc.issued_on.isoformat() == "2026-03-26"
    with pytest.raises(InvalidInput) as err:
        services.issue_notice(h.pk, actor=r, now=SCHEDULED_ON, addressee=str(world.units["d2_housing"].pk), text="x")
    assert "addressee" in err.value.fields
    with pytest.raises(NotAllowed):
        services.issue_notice(h.pk, actor=world.users["handler"], now=SCHEDULED_ON, addressee="petitioner", text="x")
    services.cancel_hearing(h.pk, actor=r, now=SCHEDULED_ON, reason="撤回")
    with pytest.raises(IllegalTransition):
        services.issue_notice(h.pk, actor=r, now=SCHEDULED_ON, addressee="petitioner", text="x")


def test_the_matter_timeline_tells_of_the_hearing(world: World) -> None:
    h = _to(world, HearingState.OPINION_GIVEN)
    verbs = list(Event.objects.filter(target_type="matter", target_id=h.matter_id).values_list("verb", flat=True))
    assert {"hearing_scheduled", "pause_clock", "hearing_give_opinion", "resume_clock"} <= set(verbs)
