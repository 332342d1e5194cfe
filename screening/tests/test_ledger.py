"""The ledger entry: its fields, its moves as the table gives them, escalation, and closing by
sign-off with evidence from a different person."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from audit.models import Event
from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from matters.services import IncomingFile
from matters.tests.journeys import register
from org.models import Role
from org.services import grant_role
from screening import services
from screening.lifecycle import MOVES, moves_for
from screening.models import EntryStatus, LedgerEntry
from screening.selectors import LedgerFilter, ledger
from xinfang.testing import World, at

from .helpers import entry_data, new_entry

pytestmark = pytest.mark.django_db
S = EntryStatus


def test_an_entry_counts_people_and_starts_open(sworld: World) -> None:
    entry = new_entry(sworld)
    assert entry.status == S.OPEN and entry.people_involved == 12 and entry.found_on == date(2026, 3, 2)
    assert Event.objects.filter(verb="screening_entry", target_id=entry.pk).exists()


@pytest.mark.parametrize(("field", "value"), [
    ("people_involved", 0), ("people_involved", None), ("summary", " "), ("measures", ""), ("risk_level", "extreme"),
    ("area_id", None), ("deadline", date(2026, 3, 1)), ("deadline", None), ("category_id", 999999),
    ("found_by_unit_id", None),
])
def test_an_entry_needs_each_field(sworld: World, field: str, value: Any) -> None:
    with pytest.raises(InvalidInput) as err:
        services.create_entry(entry_data(sworld, **{field: value}), actor=sworld.users["c1_handler"], now=at(2026, 3, 2))
    assert field in err.value.fields
    assert not LedgerEntry.objects.exists()


def test_the_responsible_unit_is_the_finder_or_below_it(sworld: World) -> None:
    assert new_entry(sworld, actor="street_handler", found_by="d1_street", responsible="c1").responsible_unit == sworld.units["c1"]
    with pytest.raises(InvalidInput) as err:
        new_entry(sworld, found_by="c1", responsible="d1_street")
    assert "responsible_unit_id" in err.value.fields


def test_only_the_finding_units_staff_enter_risks(sworld: World) -> None:
    with pytest.raises(NotAllowed):
        new_entry(sworld, actor="c2_handler")
    with pytest.raises(NotAllowed):
        new_entry(sworld, actor="supervisor")


def test_only_matters_the_user_sees_are_linked(sworld: World) -> None:
    own = register(sworld, unit="c1", title="楼道堆物")
    other = register(sworld, unit="d1_housing")
    entry = new_entry(sworld, matter_codes=[own.query_code])
    assert list(entry.related_matters.all()) == [own]
    with pytest.raises(InvalidInput) as err:
        new_entry(sworld, matter_codes=[other.query_code])
    assert "matter_codes" in err.value.fields
    with pytest.raises(InvalidInput):
        services.link_matters(entry.pk, actor=sworld.users["c1_handler"], codes=[other.query_code], now=at(2026, 3, 3))
    services.link_matters(entry.pk, actor=sworld.users["d1_head"], codes=[other.query_code], now=at(2026, 3, 3))
    assert set(entry.related_matters.all()) == {own, other}


def _proposed(w: World, proposer: str = "c1_handler") -> LedgerEntry:
    entry = new_entry(w)
    services.start_work(entry.pk, actor=w.users["c1_handler"], now=at(2026, 3, 3))
    services.add_note(entry.pk, actor=w.users["c1_handler"], text="已约谈物业公司", now=at(2026, 3, 4))
    return services.propose_resolution(entry.pk, actor=w.users[proposer], evidence="业主协商会纪要、调解协议", now=at(2026, 3, 5))


def test_the_way_to_sign_off(sworld: World) -> None:
    entry = _proposed(sworld)
    assert entry.status == S.RESOLUTION_PROPOSED and entry.notes.count() == 1
    done = services.sign_off(entry.pk, actor=sworld.users["c1_head"], now=at(2026, 3, 6))
    assert done.status == S.CLOSED and done.closed_unit == sworld.units["c1"] and done.closed_by == sworld.users["c1_head"]


def test_proposing_needs_evidence(sworld: World) -> None:
    entry = new_entry(sworld)
    with pytest.raises(InvalidInput) as err:
        services.propose_resolution(entry.pk, actor=sworld.users["c1_handler"], evidence=" ", now=at(2026, 3, 5))
    assert "evidence" in err.value.fields


def test_an_evidence_file_is_checked_and_stored(sworld: World) -> None:
    entry = new_entry(sworld)
    with pytest.raises(InvalidInput):
        services.propose_resolution(entry.pk, actor=sworld.users["c1_handler"], evidence="协议", now=at(2026, 3, 5),
                                    file=IncomingFile("x.pdf", "application/pdf", b"not a pdf"))
    services.propose_resolution(entry.pk, actor=sworld.users["c1_handler"], evidence="协议", now=at(2026, 3, 5),
                                file=IncomingFile("协议.pdf", "application/pdf", b"%PDF-1.4 test"))
    stored = entry.evidence_files.get()
    assert Path(services.evidence_path(stored)).read_bytes() == b"%PDF-1.4 test"


def test_the_proposer_does_not_sign_off(sworld: World) -> None:
    entry = _proposed(sworld, proposer="c1_head")
    with pytest.raises(NotAllowed):
        services.sign_off(entry.pk, actor=sworld.users["c1_head"], now=at(2026, 3, 6))
    assert services.sign_off(entry.pk, actor=sworld.users["street_head"], now=at(2026, 3, 6)).status == S.CLOSED


def test_a_rejected_proposal_goes_back_with_its_reason(sworld: World) -> None:
    entry = _proposed(sworld)
    with pytest.raises(InvalidInput):
        services.reject_resolution(entry.pk, actor=sworld.users["c1_head"], reason="", now=at(2026, 3, 6))
    back = services.reject_resolution(entry.pk, actor=sworld.users["c1_head"], reason="缺回访记录", now=at(2026, 3, 6))
    assert back.status == S.IN_PROGRESS and back.proposed_by is None
    assert Event.objects.get(verb="screening_reject", target_id=entry.pk).reason == "缺回访记录"
    with pytest.raises(IllegalTransition):
        services.sign_off(entry.pk, actor=sworld.users["c1_head"], now=at(2026, 3, 7))


def test_escalation_hands_the_entry_to_the_parent(sworld: World) -> None:
    entry = new_entry(sworld)
    services.start_work(entry.pk, actor=sworld.users["c1_handler"], now=at(2026, 3, 3))
    with pytest.raises(InvalidInput):
        services.escalate(entry.pk, actor=sworld.users["c1_handler"], reason=" ", now=at(2026, 3, 4))
    row = services.escalate(entry.pk, actor=sworld.users["c1_handler"], reason="涉及多个小区，需街道协调", now=at(2026, 3, 4))
    entry.refresh_from_db()
    assert (row.from_unit, row.to_unit, row.by) == (sworld.units["c1"], sworld.units["d1_street"], sworld.users["c1_handler"])
    assert entry.responsible_unit == sworld.units["d1_street"] and entry.status == S.OPEN
    # the community still sees what it found, but no longer acts on it
    assert moves_for(sworld.users["c1_handler"], entry) == set()
    assert "escalate" in moves_for(sworld.users["street_handler"], entry)


def test_no_escalation_above_the_root(sworld: World) -> None:
    entry = new_entry(sworld)
    LedgerEntry.objects.filter(pk=entry.pk).update(responsible_unit=sworld.units["city"])
    entry.refresh_from_db()
    assert "escalate" not in moves_for(sworld.users["supervisor"], entry)
    grant_role(sworld.users["leader"], Role.UNIT_HEAD, sworld.units["city"])
    with pytest.raises(IllegalTransition):
        services.escalate(entry.pk, actor=sworld.users["leader"], reason="无上级", now=at(2026, 3, 3))


@pytest.mark.parametrize("move", sorted(MOVES))
def test_every_move_is_refused_from_a_closed_entry(sworld: World, move: str) -> None:
    entry = _proposed(sworld)
    services.sign_off(entry.pk, actor=sworld.users["c1_head"], now=at(2026, 3, 6))
    entry.refresh_from_db()
    assert move not in moves_for(sworld.users["street_head"], entry)


@pytest.mark.parametrize(("move", "sources"), [(name, m.sources) for name, m in MOVES.items()])
def test_each_move_is_possible_only_from_its_sources(sworld: World, move: str, sources: tuple[str, ...]) -> None:
    entry = new_entry(sworld)
    for status in S.values:
        LedgerEntry.objects.filter(pk=entry.pk).update(status=status)
        entry.refresh_from_db()
        assert (move in moves_for(sworld.users["street_head"], entry)) is (status in sources)


def _call(w: World, entry: LedgerEntry, move: str, actor: str) -> None:
    user, now = w.users[actor], at(2026, 3, 6)
    calls = {
        "start": lambda: services.start_work(entry.pk, actor=user, now=now),
        "note": lambda: services.add_note(entry.pk, actor=user, text="走访", now=now),
        "link": lambda: services.link_matters(entry.pk, actor=user, codes=[register(w, unit="c1").query_code], now=now),
        "escalate": lambda: services.escalate(entry.pk, actor=user, reason="需上级协调", now=now),
        "propose": lambda: services.propose_resolution(entry.pk, actor=user, evidence="协议", now=now),
        "sign_off": lambda: services.sign_off(entry.pk, actor=user, now=now),
        "reject": lambda: services.reject_resolution(entry.pk, actor=user, reason="证据不足", now=now),
    }
    calls[move]()


ACTORS = {  # role × relation to the responsible community
    "c1_handler": "handler of the unit", "c1_head": "head of the unit", "street_head": "head above",
    "supervisor": "supervisor above", "c2_handler": "handler of a sibling", "handler": "handler elsewhere",
    "d2_head": "head elsewhere", "nobody": "no role",
}
ALLOWED = {
    "start": {"c1_handler", "c1_head", "street_head"}, "note": {"c1_handler", "c1_head", "street_head"},
    "link": {"c1_handler", "c1_head", "street_head"},
    "escalate": {"c1_handler", "c1_head", "street_head"}, "propose": {"c1_handler", "c1_head", "street_head"},
    "sign_off": {"c1_head", "street_head", "supervisor"}, "reject": {"c1_head", "street_head", "supervisor"},
}


@pytest.mark.parametrize("actor", sorted(ACTORS))
@pytest.mark.parametrize("move", sorted(ALLOWED))
def test_permission_matrix(sworld: World, move: str, actor: str) -> None:
    entry = _proposed(sworld, proposer="c1_handler") if move in ("sign_off", "reject") else new_entry(sworld)
    sees = actor in {"c1_handler", "c1_head", "street_head", "supervisor"}
    if actor in ALLOWED[move]:
        _call(sworld, entry, move, actor)
    else:
        with pytest.raises(NotAllowed if sees else LedgerEntry.DoesNotExist):
            _call(sworld, entry, move, actor)


def test_out_of_scope_users_do_not_see_the_entry(sworld: World) -> None:
    new_entry(sworld)
    for name in ("c2_handler", "handler", "d2_head", "nobody"):
        assert not ledger(sworld.users[name], LedgerFilter(), date(2026, 3, 2)).exists()
    for name in ("c1_handler", "street_handler", "d1_head", "supervisor", "registrar"):
        assert ledger(sworld.users[name], LedgerFilter(), date(2026, 3, 2)).count() == 1


def test_ledger_filters_by_status_risk_and_overdue(sworld: World) -> None:
    late = new_entry(sworld, deadline=date(2026, 3, 5), risk_level="high")
    new_entry(sworld, deadline=date(2026, 3, 30))
    closed = _proposed(sworld)
    LedgerEntry.objects.filter(pk=closed.pk).update(deadline=date(2026, 3, 5))
    services.sign_off(closed.pk, actor=sworld.users["c1_head"], now=at(2026, 3, 6))
    user, today = sworld.users["c1_handler"], date(2026, 3, 10)
    assert list(ledger(user, LedgerFilter(overdue=True), today)) == [late]
    assert list(ledger(user, LedgerFilter(risk_level="high"), today)) == [late]
    assert list(ledger(user, LedgerFilter(status=S.CLOSED), today)) == [closed]
