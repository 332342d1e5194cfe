"""Pools and hearings for tests, made through the services."""

from __future__ import annotations

from datetime import datetime

from hearings import pools, services
from hearings.models import Hearing, PoolKind, PoolMember
from matters.lifecycle import State
from matters.models import Matter
from matters.tests.journeys import matter_in
from xinfang.testing import World, at

SCHEDULED_ON = at(2026, 3, 26)
HEARING_DAY = at(2026, 3, 27, 9)


def member(w: World, name: str, *, kind: str = PoolKind.HEARING_OFFICER, owner: str = "city",
           specialties: str = "", actor: str = "reviewer", contact: str = "13900001111") -> PoolMember:
    data = pools.MemberData(kind=kind, name=name, organisation="江城律师事务所", specialties=specialties, contact=contact)
    return pools.add_member(data, owner_id=w.units[owner].pk, actor=w.users[actor], now=at(2026, 3, 1))


def officers(w: World, count: int, **kw: object) -> list[PoolMember]:
    return [member(w, f"听证员{i}", **kw) for i in range(count)]  # type: ignore[arg-type]


def review_hearing(w: World, *, actor: str = "reviewer", when: datetime = HEARING_DAY,
                   matter: Matter | None = None) -> Hearing:
    m = matter or matter_in(w, State.REVIEW_REQUESTED)
    return services.schedule_hearing(m.pk, actor=w.users[actor], now=SCHEDULED_ON, purpose="review",
                                     scheduled_for=when, place="市信访局听证室")
