"""Lawyers at reception: the duty roster, suggestions by duty, consultations on matters."""

from __future__ import annotations

from datetime import date

import pytest

from audit.models import Event
from hearings import reception
from hearings.models import PoolKind
from hearings.selectors import consultations_for, roster
from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from matters.models import Matter
from matters.tests.journeys import register
from xinfang.testing import World, at

from .helpers import member

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)


def _shift(w: World, lawyer_id: int, *, actor: str = "reviewer", unit: str = "city_office", day: date = DAY,
           session: str = "morning"):
    return reception.add_shift(actor=w.users[actor], now=at(2026, 3, 1), lawyer_id=lawyer_id, unit_id=w.units[unit].pk,
                               day=day, session=session, place="市信访局接待大厅")


def test_the_petition_office_keeps_the_roster(world: World) -> None:
    lawyer = member(world, "吴律师", kind=PoolKind.LAWYER)
    assert _shift(world, lawyer.pk).lawyer == lawyer
    assert _shift(world, lawyer.pk, actor="d1_reviewer", unit="d1_office", session="afternoon").unit == world.units["d1_office"]
    with pytest.raises(IllegalTransition):
        _shift(world, lawyer.pk)
    with pytest.raises(NotAllowed):
        _shift(world, lawyer.pk, actor="d1_reviewer", unit="city_office", day=date(2026, 3, 11))
    with pytest.raises(NotAllowed):
        _shift(world, lawyer.pk, actor="registrar", day=date(2026, 3, 12))
    assert Event.objects.filter(verb="duty_shift_added").count() == 2


def test_a_shift_is_checked_field_by_field(world: World) -> None:
    officer = member(world, "听证员", kind=PoolKind.HEARING_OFFICER)
    with pytest.raises(InvalidInput) as err:
        reception.add_shift(actor=world.users["reviewer"], now=at(2026, 3, 1), lawyer_id=officer.pk, unit_id=0,
                            day=date(2026, 2, 1), session="night", place="")
    assert set(err.value.fields) == {"lawyer", "unit", "day", "session", "place"}


def test_lawyers_on_duty_that_day_are_suggested_first(world: World) -> None:
    first, second, on_duty = (member(world, n, kind=PoolKind.LAWYER) for n in ("丙律师", "乙律师", "甲律师"))
    member(world, "丁", kind=PoolKind.HEARING_OFFICER)
    _shift(world, on_duty.pk)
    suggested = reception.suggested_lawyers(world.users["registrar"], DAY)
    assert [(m, on) for m, on in suggested] == [(on_duty, True), (first, False), (second, False)]
    assert [m for m, _on in reception.suggested_lawyers(world.users["registrar"], date(2026, 3, 11))] == [
        first, second, on_duty]


def _consult(w: World, matter: Matter, lawyer_id: int, actor: str = "registrar", **kw: object):
    params: dict = {"consulted_on": DAY, "summary": "咨询拆迁补偿标准", "advice": "建议申请行政复议", **kw}
    return reception.record_consultation(matter.pk, actor=w.users[actor], now=at(2026, 3, 10, 15), lawyer_id=lawyer_id,
                                         **params)


@pytest.mark.parametrize(("actor", "allowed"), [
    ("registrar", True), ("reviewer", True), ("handler", True), ("d1_reviewer", True),
    ("housing_head", False), ("supervisor", False), ("leader", False),
])
def test_who_records_a_consultation(world: World, actor: str, allowed: bool) -> None:
    lawyer, m = member(world, "郑律师", kind=PoolKind.LAWYER), register(world)
    if allowed:
        assert _consult(world, m, lawyer.pk, actor=actor).matter == m
        assert Event.objects.filter(verb="lawyer_consultation", target_id=m.pk).exists()
    else:
        with pytest.raises(NotAllowed):
            _consult(world, m, lawyer.pk, actor=actor)


def test_a_consultation_is_checked_and_scoped(world: World) -> None:
    lawyer, m = member(world, "郑律师", kind=PoolKind.LAWYER), register(world)
    with pytest.raises(InvalidInput) as err:
        _consult(world, m, 0, consulted_on=date(2026, 3, 11), summary=" ", advice="")
    assert set(err.value.fields) == {"lawyer", "consulted_on", "summary", "advice"}
    with pytest.raises(Matter.DoesNotExist):
        _consult(world, register(world, unit="d2_housing"), lawyer.pk, actor="d1_registrar")
    c = _consult(world, m, lawyer.pk)
    assert list(consultations_for(world.users["handler"], m.pk)) == [c]
    assert list(consultations_for(world.users["d2_handler"], m.pk)) == []


def test_the_roster_shows_receptions_in_scope_and_above(world: World) -> None:
    lawyer = member(world, "冯律师", kind=PoolKind.LAWYER)
    _shift(world, lawyer.pk)
    _shift(world, lawyer.pk, actor="d1_reviewer", unit="d1_office", session="afternoon")
    units = lambda u: {s.unit.name for s in roster(world.users[u], DAY)}  # noqa: E731
    assert units("d1_reviewer") == {"A市信访局", "d1区信访局"}
    assert units("d2_handler") == {"A市信访局"}
    assert roster(world.users["reviewer"], date(2026, 3, 11)).count() == 0
