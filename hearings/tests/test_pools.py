"""Keeping the pools: who may, what is checked, how specialties and contacts are kept."""

from __future__ import annotations

import pytest
from django.db import connection

from audit.models import Event
from hearings import pools
from hearings.models import PoolKind, PoolMember
from hearings.selectors import members_visible_to
from matters.errors import InvalidInput, NotAllowed
from matters.lifecycle import State
from matters.tests.journeys import matter_in, register
from xinfang.testing import World, at

from .helpers import member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("actor", "owner", "allowed"), [
    ("reviewer", "city", True), ("reviewer", "d1", True), ("d1_reviewer", "d1", True),
    ("d1_reviewer", "city", False), ("d1_reviewer", "d2", False), ("registrar", "city", False),
    ("supervisor", "city", False), ("handler", "d1_housing", False), ("d1_head", "d1", False),
])
def test_reviewers_keep_the_pools_in_their_scope(world: World, actor: str, owner: str, allowed: bool) -> None:
    if allowed:
        assert member(world, "李律师", owner=owner, actor=actor).owner == world.units[owner]
    else:
        with pytest.raises(NotAllowed):
            member(world, "李律师", owner=owner, actor=actor)


def test_a_member_is_checked_field_by_field(world: World) -> None:
    with pytest.raises(InvalidInput) as err:
        pools.add_member(pools.MemberData(kind="judge", name=" "), owner_id=world.units["city"].pk,
                         actor=world.users["reviewer"], now=at(2026, 3, 1))
    assert set(err.value.fields) == {"kind", "name"}
    with pytest.raises(InvalidInput) as err:
        pools.add_member(pools.MemberData(kind="lawyer", name="王"), owner_id=0, actor=world.users["reviewer"],
                         now=at(2026, 3, 1))
    assert set(err.value.fields) == {"owner"}
    assert not PoolMember.objects.exists()


def test_specialties_are_tags_that_filter_exactly(world: World) -> None:
    m = member(world, "张专家", kind=PoolKind.REVIEW_EXPERT, specialties="住房， 拆迁、劳动;住房")
    member(world, "赵专家", kind=PoolKind.REVIEW_EXPERT, specialties="住房保障")
    assert m.specialty_list == ["住房", "拆迁", "劳动"]
    assert list(PoolMember.objects.filter(specialties__contains=",住房,")) == [m]


def test_the_contact_is_encrypted_and_kept_when_the_form_leaves_it_blank(world: World) -> None:
    m = member(world, "钱律师", contact="13912345678")
    with connection.cursor() as cur:
        cur.execute("SELECT contact FROM hearings_poolmember WHERE id = %s", [m.pk])
        assert "13912345678" not in cur.fetchone()[0]
    pools.update_member(m.pk, pools.MemberData(kind="lawyer", name="钱律师", organisation="新所"),
                        actor=world.users["reviewer"], now=at(2026, 3, 2))
    m.refresh_from_db()
    assert (m.contact, m.kind, m.organisation) == ("13912345678", "lawyer", "新所")
    assert Event.objects.filter(verb="pool_member_changed", target_id=m.pk).exists()
    with pytest.raises(NotAllowed):
        pools.update_member(m.pk, pools.MemberData(kind="lawyer", name="x"), actor=world.users["d1_reviewer"],
                            now=at(2026, 3, 2))


def test_unavailability_needs_an_ordered_range(world: World) -> None:
    m = member(world, "孙")
    with pytest.raises(InvalidInput) as err:
        pools.add_unavailability(m.pk, start=at(2026, 3, 5).date(), end=at(2026, 3, 4).date(),
                                 actor=world.users["reviewer"], now=at(2026, 3, 1))
    assert set(err.value.fields) == {"end"}
    with pytest.raises(InvalidInput) as err:
        pools.add_unavailability(m.pk, start=None, end=None, actor=world.users["reviewer"], now=at(2026, 3, 1))
    assert set(err.value.fields) == {"start", "end"}
    with pytest.raises(NotAllowed):
        pools.add_unavailability(m.pk, start=at(2026, 3, 5).date(), end=at(2026, 3, 6).date(),
                                 actor=world.users["handler"], now=at(2026, 3, 1))


def test_a_conflict_names_a_unit_or_a_matter_in_scope(world: World) -> None:
    m = member(world, "周", owner="d1", actor="d1_reviewer")
    r = world.users["d1_reviewer"]
    with pytest.raises(InvalidInput) as err:
        pools.declare_conflict(m.pk, actor=r, now=at(2026, 3, 3), note="", unit_id=world.units["d1"].pk,
                               matter_id=register(world).pk)
    assert set(err.value.fields) == {"note", "unit"}
    with pytest.raises(InvalidInput) as err:
        pools.declare_conflict(m.pk, actor=r, now=at(2026, 3, 3), note="x")
    assert set(err.value.fields) == {"unit"}
    with pytest.raises(InvalidInput) as err:
        pools.declare_conflict(m.pk, actor=r, now=at(2026, 3, 3), note="x", matter_id=register(world, unit="d2_housing").pk)
    assert set(err.value.fields) == {"matter"}
    c = pools.declare_conflict(m.pk, actor=r, now=at(2026, 3, 3), note="曾任该局法律顾问", matter_id=matter_in(world, State.ACCEPTED).pk)
    assert c.unit is None and c.matter is not None


def test_staff_see_the_pools_of_their_scope_and_above(world: World) -> None:
    member(world, "city"), member(world, "d1", owner="d1"), member(world, "d2", owner="d2")
    names = lambda u: set(members_visible_to(world.users[u]).values_list("name", flat=True))  # noqa: E731
    assert names("reviewer") == {"city", "d1", "d2"}
    assert names("handler") == {"city", "d1"}
    assert names("d2_handler") == {"city", "d2"}
    assert names("nobody") == set()
