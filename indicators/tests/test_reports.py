"""月通报, 季攻坚 and 年考核, hand-computed on small worlds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from indicators.assessment import annual_assessment, count_matters, score_count, score_rate
from indicators.bulletin import Month, monthly_bulletin, ranks
from indicators.campaign import Quarter, quarterly_campaign
from indicators.compute import Figure
from indicators.models import CountKind, IndicatorDefinition, Rulebook, RuleLine
from indicators.units import rows_for
from matters.tests.journeys import act
from supervision import backlog
from supervision.models import BacklogEntry, Campaign
from xinfang.testing import World, at

from .helpers import file

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)


def _fig(n: int, m: int | None) -> Figure:
    return Figure(IndicatorDefinition(key="x", name="x", numerator="", denominator="d"), n, m)


def test_ranks_share_places_on_exact_ties_and_skip_the_unmeasured() -> None:
    figs = [_fig(1, 3), _fig(2, 6), _fig(1, 1), _fig(0, 0), _fig(0, 2)]
    assert ranks(figs) == [2, 2, 1, None, 4]
    assert ranks(figs, lower_is_better=True) == [2, 2, 4, None, 1]


def test_months_parse_and_wrap() -> None:
    assert Month.parse("2026-01", TODAY).previous() == Month(2025, 12)
    assert Month.parse("2026-13", TODAY) == Month(2026, 12)
    assert Month(2026, 2).period.end == date(2026, 2, 28)
    assert Quarter.parse("2026-Q4", TODAY).period.end == date(2026, 12, 31)
    assert Quarter.parse("2026-Q5", date(2026, 5, 5)) == Quarter(2026, 2)


def _accept(world: World, unit: str, day: tuple[int, int, int], on: tuple[int, int, int]) -> None:
    handler = {"d1_housing": "handler", "d2_housing": "d2_handler"}[unit]
    act(world, file(world, unit, day), "accept", handler, on)


def test_monthly_bulletin_ranks_the_children_with_the_change_in_points(world: World) -> None:
    _accept(world, "d1_housing", (2026, 2, 2), (2026, 2, 5))  # February: d1 1 of 1
    _accept(world, "d1_housing", (2026, 3, 2), (2026, 3, 5))  # March: d1 1 of 2
    _accept(world, "d1_housing", (2026, 3, 2), (2026, 3, 20))
    _accept(world, "d2_housing", (2026, 3, 2), (2026, 3, 3))  # March: d2 1 of 1, nothing in February
    b = monthly_bulletin(world.users["reviewer"], rows_for(world.users["reviewer"], world.units["city"]),
                         Month(2026, 3), TODAY, sort_by="timely_acceptance")
    key = [d.key for d in b.indicators].index("timely_acceptance")
    table = {ln.row.unit.name: ln.cells[key] for ln in b.lines}
    assert (table["d2区"].rank, table["d2区"].figure.rate, table["d2区"].change_pp) == (1, 1.0, None)
    assert (table["d1区"].rank, table["d1区"].figure.rate, table["d1区"].change_pp) == (2, 0.5, -50.0)
    assert table["A市信访局"].rank is None
    assert [ln.row.unit.name for ln in b.lines][:2] == ["d2区", "d1区"]
    assert all(d.is_rate for d in b.indicators) and "registered" not in [d.key for d in b.indicators]


def test_the_hotline_bulletin_ranks_on_the_hotline_rates(world: World) -> None:
    b = monthly_bulletin(world.users["reviewer"], rows_for(world.users["reviewer"], None), Month(2026, 3), TODAY,
                         indicator_set=IndicatorDefinition.Set.HOTLINE)
    assert [d.key for d in b.indicators] == ["hotline_response", "hotline_resolution", "hotline_satisfaction"]


def _listed(world: World, unit: str, day: tuple[int, int, int], campaign: Campaign | None) -> int:
    m = file(world, unit, day)
    return backlog.list_matter(m.pk, actor=world.users["supervisor"], source="self", reason="多年未化解",
                               now=at(*day), campaign_id=campaign.pk if campaign else None).pk


def test_quarterly_campaign_counts_listed_signed_off_and_overdue(world: World) -> None:
    spring = Campaign.objects.create(name="一季度攻坚", starts=date(2026, 1, 1), ends=date(2026, 3, 31))
    done = _listed(world, "d1_housing", (2026, 1, 10), spring)
    backlog.request_sign_off(done, actor=world.users["handler"], evidence="已签订协议", now=at(2026, 3, 18))
    backlog.decide_sign_off(done, actor=world.users["supervisor"], approve=True, now=at(2026, 3, 20))
    _listed(world, "d1_housing", (2026, 2, 10), spring)  # still open when the campaign ended
    _listed(world, "d2_housing", (2026, 4, 5), None)
    rows = rows_for(world.users["supervisor"], world.units["city"])
    q1 = {ln.row.unit.name: ln for ln in quarterly_campaign(world.users["supervisor"], rows, Quarter(2026, 1), TODAY)}
    d1 = q1["d1区"]
    assert (d1.listed, d1.signed_off, d1.signed_off_in_quarter, d1.overdue, d1.rate) == (2, 1, 1, 1, 0.5)
    assert q1["d2区"].listed == 0 and q1["d2区"].rate is None
    q2 = {ln.row.unit.name: ln for ln in quarterly_campaign(world.users["supervisor"], rows, Quarter(2026, 2), TODAY)}
    assert (q2["d1区"].listed, q2["d1区"].overdue) == (1, 1)  # the signed-off case is behind it
    assert (q2["d2区"].listed, q2["d2区"].overdue) == (1, 0)  # no campaign: nothing to be late for
    # While the campaign runs, nothing is overdue yet.
    early = quarterly_campaign(world.users["supervisor"], rows, Quarter(2026, 1), date(2026, 3, 25))
    assert [ln.overdue for ln in early if ln.row.unit.name == "d1区"] == [0]


def test_a_handler_sees_only_the_backlog_of_its_unit(world: World) -> None:
    _listed(world, "d2_housing", (2026, 1, 10), None)
    handler = world.users["handler"]
    assert [ln.listed for ln in quarterly_campaign(handler, rows_for(handler, None), Quarter(2026, 1), TODAY)] == [0]


@pytest.fixture
def book(world: World) -> Rulebook:
    b = Rulebook.objects.create(year=2030, name="测试细则")
    RuleLine.objects.create(rulebook=b, order=1, kind="score", label="及时受理", points=50, target=Decimal("0.9"),
                            floor=Decimal("0.5"), indicator=IndicatorDefinition.objects.get(key="timely_acceptance"))
    RuleLine.objects.create(rulebook=b, order=2, kind="deduction", label="越级", count=CountKind.ABOVE_LEVEL,
                            per_item=2, cap=3)
    RuleLine.objects.create(rulebook=b, order=3, kind="bonus", label="销号", count=CountKind.BACKLOG_SIGNED_OFF,
                            per_item=Decimal("1.5"), cap=5)
    return b


def test_scoring_a_rate_full_linear_and_floor(book: Rulebook) -> None:
    line = book.lines.get(order=1)
    assert score_rate(line, _fig(9, 10)) == Decimal(50)
    assert score_rate(line, _fig(2, 3)) == Decimal("20.83")  # 50 × (2/3 − 0.5) / 0.4
    assert score_rate(line, _fig(1, 2)) == Decimal(0)
    assert score_rate(line, _fig(0, 0)) == Decimal(50)


def test_deductions_and_bonuses_are_capped(book: Rulebook) -> None:
    deduction, bonus = book.lines.get(order=2), book.lines.get(order=3)
    assert score_count(deduction, 1) == Decimal(-2) and score_count(deduction, 5) == Decimal(-3)
    assert score_count(bonus, 3) == Decimal("4.50") and score_count(bonus, 4) == Decimal(5)


@pytest.fixture
def english() -> Iterator[None]:
    with translation.override("en"):  # explanations are compared as English text
        yield


def test_annual_assessment_scores_each_unit_line_by_line(world: World, book: Rulebook, english: None) -> None:
    _accept(world, "d1_housing", (2026, 3, 2), (2026, 3, 5))
    _accept(world, "d1_housing", (2026, 3, 2), (2026, 3, 6))
    _accept(world, "d1_housing", (2026, 3, 2), (2026, 3, 20))
    for day in (1, 2):  # two above-level petitions, accepted in time: −4, capped at −3
        act(world, file(world, "d1_housing", (2026, 4, day), above_level=True), "accept", "handler", (2026, 4, 3))
    # d1 decided 4 of 5 in time: 50 × (0.8 − 0.5) / 0.4 = 37.5
    file(world, "d2_housing", (2025, 12, 1), above_level=True)  # last year's: not counted
    _accept(world, "d2_housing", (2026, 3, 2), (2026, 3, 3))  # d2: 2 of 2, and one bonus of 1.5
    done = _listed(world, "d2_housing", (2026, 5, 1), None)
    act(world, BacklogEntry.objects.get(pk=done).matter, "accept", "d2_handler", (2026, 5, 2))
    backlog.request_sign_off(done, actor=world.users["d2_handler"], evidence="已化解", now=at(2026, 6, 1))
    backlog.decide_sign_off(done, actor=world.users["supervisor"], approve=True, now=at(2026, 6, 2))
    rows = rows_for(world.users["supervisor"], world.units["city"])
    scores = {s.row.unit.name + ("·own" if s.row.own else ""): s
              for s in annual_assessment(world.users["supervisor"], rows, 2026, TODAY, book)}
    d1, d2 = scores["d1区"], scores["d2区"]
    assert [ls.points for ls in d1.lines] == [Decimal("37.50"), Decimal(-3), Decimal(0)]
    assert d1.total == Decimal("34.50")
    assert d2.total == Decimal("51.50")
    assert d1.lines[1].explanation == "2 × 2.00 points, at most 3.00"
    assert d1.lines[0].explanation.startswith("4 of 5 = 80.0%; target 90.0%, floor 50.0%")
    assert d2.rank == 1 and d1.rank == 6  # the units with nothing measured keep full points: 50 each
    assert scores["A市信访局"].total == Decimal(50) and scores["A市信访局"].lines[0].explanation == "Nothing to measure: full points."
    above = count_matters(CountKind.ABOVE_LEVEL, world.users["supervisor"], d1.row, 2026, TODAY)
    assert above.count() == 2


def test_the_default_rulebook_is_in_force_from_2026(world: World) -> None:
    book = Rulebook.objects.get(year=2026)
    assert sum(ln.points for ln in book.lines.filter(kind="score")) == 100
    rows = rows_for(world.users["supervisor"], world.units["city"])
    scores = annual_assessment(world.users["supervisor"], rows, 2027, TODAY)
    assert scores and all(s.total == 100 for s in scores)  # nothing happened: full marks, shared first place
    assert annual_assessment(world.users["supervisor"], rows, 2025, TODAY) == []  # no rulebook yet
