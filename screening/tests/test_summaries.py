"""The level-of-resolution report and the city's monthly roll-up: computed from the ledger and reports."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db.models import QuerySet

from screening import services
from screening.models import LedgerEntry
from screening.selectors import LedgerFilter, ledger, monthly_rollup, resolution_levels
from xinfang.testing import World, at

from .helpers import new_entry

pytestmark = pytest.mark.django_db


def _close(w: World, entry: LedgerEntry, proposer: str, approver: str, day: int = 10) -> None:
    services.propose_resolution(entry.pk, actor=w.users[proposer], evidence="调解协议", now=at(2026, 3, day))
    services.sign_off(entry.pk, actor=w.users[approver], now=at(2026, 3, day, 15))


@pytest.fixture
def resolved(sworld: World) -> World:
    """Two closed at community level, one escalated and closed at the street, one escalated twice
    and closed at the district, one still open, one closed in April."""
    w = sworld
    for _ in range(2):
        _close(w, new_entry(w), "c1_handler", "c1_head")
    up = new_entry(w)
    services.escalate(up.pk, actor=w.users["c1_handler"], reason="需街道协调", now=at(2026, 3, 4))
    _close(w, up, "street_handler", "street_head")
    top = new_entry(w, actor="street_handler", found_by="d1_street")
    services.escalate(top.pk, actor=w.users["street_handler"], reason="涉及区级部门", now=at(2026, 3, 4))
    _close(w, top, "d1_head", "supervisor")
    new_entry(w)
    late = new_entry(w)
    services.propose_resolution(late.pk, actor=w.users["c1_handler"], evidence="协议", now=at(2026, 4, 1))
    services.sign_off(late.pk, actor=w.users["c1_head"], now=at(2026, 4, 2))
    return w


def test_closed_entries_by_the_level_that_closed_them(resolved: World) -> None:
    report = resolution_levels(resolved.users["supervisor"], resolved.units["city"], date(2026, 3, 1), date(2026, 3, 31))
    assert {r.level_name: r.closed for r in report.rows} == {"社区": 2, "街道": 1, "区": 1, "市": 0}
    assert report.closed == 4 and report.grassroots == 3 and report.grassroots_share == 0.75
    assert report.escalated == 2


def test_the_report_keeps_to_the_subtree_and_the_users_scope(resolved: World) -> None:
    street = resolution_levels(resolved.users["street_head"], resolved.units["d1_street"], date(2026, 3, 1), date(2026, 3, 31))
    assert street.closed == 3 and street.escalated == 2
    d2 = resolution_levels(resolved.users["supervisor"], resolved.units["d2"], date(2026, 3, 1), date(2026, 3, 31))
    assert d2.closed == 0 and d2.grassroots_share is None


def test_each_number_drills_down_to_its_entries(resolved: World) -> None:
    user, today = resolved.users["supervisor"], date(2026, 4, 5)

    def march(**drill: Any) -> QuerySet[LedgerEntry]:
        return ledger(user, LedgerFilter(unit=resolved.units["city"], start=date(2026, 3, 1), end=date(2026, 3, 31), **drill), today)

    community = march(closed=True, levels=("社区",))
    assert community.count() == 2 and all(e.closed_unit == resolved.units["c1"] for e in community)
    assert march(closed=True, levels=("区",)).get().closed_unit == resolved.units["d1"]
    assert march(closed=True, levels=("社区", "街道")).count() == 3
    assert march(closed=True).count() == 4
    assert march(escalated=True).count() == 2
    assert not ledger(user, LedgerFilter(closed=True), today).exists()


def test_the_monthly_roll_up_counts_reports_and_entries(sworld: World) -> None:
    w = sworld
    new_entry(w, day=(2026, 3, 2))
    services.file_report(w.units["c1"].pk, actor=w.users["c1_handler"], day=date(2026, 3, 2), nil=False, now=at(2026, 3, 2, 18))
    services.file_report(w.units["c1"].pk, actor=w.users["c1_handler"], day=date(2026, 3, 3), nil=True, now=at(2026, 3, 4, 9))
    services.file_report(w.units["d1_street"].pk, actor=w.users["street_handler"], day=date(2026, 3, 2), nil=True,
                         now=at(2026, 3, 8, 9))
    rollup = monthly_rollup(w.units["city"], date(2026, 3, 15), at(2026, 3, 10, 9))
    rows = {r.unit.pk: r for r in rollup.rows}
    c1, c2, street = rows[w.units["c1"].pk], rows[w.units["c2"].pk], rows[w.units["d1_street"].pk]
    assert (c1.filed, c1.nil, c1.late, c1.entries, c1.missing) == (2, 1, 1, 1, 7)
    assert (c2.filed, c2.missing) == (0, 9)
    # a week belongs to the month it ends in: the week ending 1 March is March's
    assert (street.filed, street.missing) == (1, 1)
    assert rows[w.units["d2"].pk].missing == 2
    assert w.units["d1_housing"].pk not in rows and w.units["city"].pk not in rows
    assert rollup.totals["filed"] == 3 and rollup.totals["entries"] == 1
