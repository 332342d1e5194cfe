"""The panel draw: who is eligible and why not, the recorded draw and its replay, recusal."""

from __future__ import annotations

import pytest
from django.utils import translation

from hearings import pools, services
from hearings.draw import Exclusion, eligibility, replay_draw
from hearings.models import Hearing, PanelDraw, PoolKind, PoolMember
from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from org.services import create_unit
from xinfang.testing import World, at

from .helpers import SCHEDULED_ON, member, officers, review_hearing

pytestmark = pytest.mark.django_db


def _draw(w: World, hearing: Hearing, size: int, specialty: str = "", actor: str = "reviewer") -> PanelDraw:
    return services.draw_panel(hearing.pk, actor=w.users[actor], now=SCHEDULED_ON, kind=PoolKind.HEARING_OFFICER,
                               size=size, specialty=specialty)


def _by_name(hearing: Hearing, specialty: str = "") -> dict[str, str]:
    """Each pool member's name → the reason they are excluded, or "" when they are a candidate."""
    found = eligibility(hearing, PoolKind.HEARING_OFFICER, specialty)
    names = dict(PoolMember.objects.values_list("pk", "name"))
    return {names[pk]: reason for pk, reason in found.excluded} | {names[pk]: "" for pk in found.candidates}


def _conflict(w: World, m: PoolMember, **target: int) -> None:
    pools.declare_conflict(m.pk, actor=w.users["reviewer"], now=at(2026, 3, 2), note="曾代理相关案件", **target)


def test_each_reason_for_exclusion(world: World) -> None:
    h = review_hearing(world)  # matter handled by d1_housing, registered at city_office; hearing on 03-27
    seated = member(world, "seated")
    assert _draw(world, h, 1).chosen == [seated.pk]  # the only candidate
    m = {n: member(world, n, specialties="住房,拆迁" if n == "expert" else "住房") for n in [
        "expert", "inactive", "away", "back", "matter", "ancestor", "sibling", "below", "intake"]}
    member(world, "lawyer", kind=PoolKind.LAWYER)
    r, day = world.users["reviewer"], at(2026, 3, 2)
    pools.update_member(m["inactive"].pk, pools.MemberData(kind="hearing_officer", name="inactive", active=False),
                        actor=r, now=day)
    pools.add_unavailability(m["away"].pk, start=at(2026, 3, 27).date(), end=at(2026, 4, 2).date(), actor=r, now=day)
    pools.add_unavailability(m["back"].pk, start=at(2026, 3, 20).date(), end=at(2026, 3, 26).date(), actor=r, now=day)
    _conflict(world, m["matter"], matter_id=h.matter_id)
    _conflict(world, m["ancestor"], unit_id=world.units["d1"].pk)  # d1's subtree holds the handling unit
    _conflict(world, m["sibling"], unit_id=world.units["d2_housing"].pk)
    team = create_unit("物业科", kind="functional", level_name="科", parent=world.units["d1_housing"])
    _conflict(world, m["below"], unit_id=team.pk)  # the handling unit answers for its sub-units
    _conflict(world, m["intake"], unit_id=world.units["city_office"].pk)
    assert _by_name(h) == {
        "seated": Exclusion.ON_HEARING, "expert": "", "inactive": Exclusion.INACTIVE, "away": Exclusion.UNAVAILABLE,
        "back": "", "matter": Exclusion.CONFLICT_MATTER, "ancestor": Exclusion.CONFLICT_UNIT, "sibling": "",
        "below": Exclusion.CONFLICT_UNIT, "intake": Exclusion.CONFLICT_UNIT,
    }
    assert _by_name(h, specialty="拆迁")["back"] == Exclusion.NO_SPECIALTY
    assert _by_name(h, specialty="拆迁")["expert"] == ""


def test_a_conflict_with_the_review_unit_excludes_from_re_review_only_upwards(world: World) -> None:
    from matters.lifecycle import State
    from matters.tests.journeys import matter_in

    matter = matter_in(world, State.RE_REVIEW_REQUESTED)  # reviewed by d1
    h = services.schedule_hearing(matter.pk, actor=world.users["reviewer"], now=at(2026, 4, 6), purpose="re_review",
                                  scheduled_for=at(2026, 4, 9), place="市信访局")
    tied_to_d1, tied_to_street = member(world, "d1"), member(world, "street")
    _conflict(world, tied_to_d1, unit_id=world.units["d1"].pk)
    _conflict(world, tied_to_street, unit_id=world.units["d1_street"].pk)
    assert _by_name(h) == {"d1": Exclusion.CONFLICT_UNIT, "street": ""}


def test_only_pools_of_the_organising_body_and_above(world: World) -> None:
    h = review_hearing(world, actor="d1_reviewer")  # organised by d1
    member(world, "city"), member(world, "d1", owner="d1"), member(world, "d2", owner="d2")
    world.user("d2_reviewer", "d2_office", ("reviewer", "d2"))
    member(world, "d2b", owner="d2", actor="d2_reviewer")
    assert set(_by_name(h)) == {"city", "d1"}


def test_the_draw_is_recorded_and_replays(world: World) -> None:
    h = review_hearing(world)
    officers(world, 8)
    away = member(world, "away")
    pools.add_unavailability(away.pk, start=at(2026, 3, 27).date(), end=at(2026, 3, 27).date(),
                             actor=world.users["reviewer"], now=at(2026, 3, 2))
    draw = _draw(world, h, 3)
    assert len(draw.seed) == 32 and draw.candidates == sorted(draw.candidates) and len(draw.candidates) == 8
    assert draw.excluded == [[away.pk, Exclusion.UNAVAILABLE]]
    assert replay_draw(draw) == draw.chosen and len(set(draw.chosen)) == 3
    assert sorted(h.seats.values_list("member_id", flat=True)) == sorted(draw.chosen)
    stored = PanelDraw.objects.get(pk=draw.pk)
    assert replay_draw(stored) == draw.chosen


def test_a_tampered_record_does_not_replay(world: World) -> None:
    h = review_hearing(world)
    officers(world, 12)
    draw = _draw(world, h, 5)
    tampered = [replay_draw(PanelDraw(seed=f"{i:032x}", candidates=draw.candidates, size=5)) for i in range(5)]
    assert any(t != draw.chosen for t in tampered)


def test_too_few_eligible_says_how_many(world: World) -> None:
    h = review_hearing(world)
    officers(world, 2)
    with translation.override("en"), pytest.raises(InvalidInput, match="Only 2 members are eligible") as err:
        _draw(world, h, 3)
    assert "size" in err.value.fields
    assert not PanelDraw.objects.exists()
    with pytest.raises(InvalidInput) as err:
        services.draw_panel(h.pk, actor=world.users["reviewer"], now=SCHEDULED_ON, kind="chef", size=0)
    assert set(err.value.fields) == {"kind", "size"}


def test_drawing_needs_the_organising_reviewer_and_a_scheduled_hearing(world: World) -> None:
    h = review_hearing(world)
    officers(world, 3)
    with pytest.raises(NotAllowed):
        _draw(world, h, 1, actor="d1_reviewer")
    services.cancel_hearing(h.pk, actor=world.users["reviewer"], now=SCHEDULED_ON, reason="撤回")
    with pytest.raises(IllegalTransition):
        _draw(world, h, 1)


def test_recusal_draws_a_recorded_replacement(world: World) -> None:
    h = review_hearing(world)
    officers(world, 4)
    first = _draw(world, h, 3)
    seat = h.seats.get(member_id=first.chosen[0])
    redraw = services.recuse(seat.pk, actor=world.users["reviewer"], now=SCHEDULED_ON, reason="与信访人系亲属")
    remaining = {m.pk for m in PoolMember.objects.all()} - set(first.chosen)
    assert redraw.replaces == seat and redraw.chosen == list(remaining) and replay_draw(redraw) == redraw.chosen
    assert [seat.member_id, Exclusion.ON_HEARING] in redraw.excluded
    assert h.seats.filter(recused_at__isnull=True).count() == 3
    with pytest.raises(IllegalTransition):
        services.recuse(seat.pk, actor=world.users["reviewer"], now=SCHEDULED_ON, reason="again")
    other = h.seats.get(member_id=first.chosen[1])
    with translation.override("en"), pytest.raises(InvalidInput, match="Only 0 members"):
        services.recuse(other.pk, actor=world.users["reviewer"], now=SCHEDULED_ON, reason="回避")
    other.refresh_from_db()
    assert other.recused_at is None  # no replacement: nothing changed
    with pytest.raises(InvalidInput):
        services.recuse(other.pk, actor=world.users["reviewer"], now=SCHEDULED_ON, reason=" ")
