"""Hand-computed indicators, with the edge cases: a holiday roll-over, an extension, a paused
clock, a refusal, a merge, a forward (two acceptance windows)."""

from __future__ import annotations

from datetime import date

import pytest

from indicators.compute import Period, figures, parts
from indicators.models import IndicatorDefinition
from matters import services as ms
from matters.tests.journeys import act, register
from portal.services import rate_reply
from xinfang.testing import World, at

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def _figure(world: World, key: str, period: Period = MARCH, user: str = "reviewer") -> tuple[int, int | None]:
    d = IndicatorDefinition.objects.get(key=key)
    _n, _d, num, den = parts(d, world.users[user], None, period, TODAY)
    return num, den


def test_timely_acceptance_counts_each_window_that_ended_in_the_period(world: World) -> None:
    on_time = register(world, day=(2026, 3, 2))  # window ends 17 March
    act(world, on_time, "accept", "handler", (2026, 3, 10))
    refused = register(world, day=(2026, 3, 2), phone="13900000001", id_number="1")
    act(world, refused, "refuse", "handler", (2026, 3, 5), reason="属于诉讼", legal_route="人民法院")
    late = register(world, day=(2026, 3, 2), phone="13900000002", id_number="2")
    act(world, late, "accept", "handler", (2026, 3, 20))  # after 17 March
    register(world, day=(2026, 3, 25), phone="13900000003", id_number="3")  # window ends in April
    forwarded = register(world, unit="city_office", day=(2026, 3, 2), phone="13900000004", id_number="4")
    act(world, forwarded, "forward", "reviewer", (2026, 3, 3), to_unit_id=world.units["d1_housing"].pk)
    act(world, forwarded, "accept", "handler", (2026, 3, 6))  # second window (3 -> 18 March) met too
    merged = register(world, day=(2026, 3, 2), phone="13900000005", id_number="5")
    act(world, merged, "merge", "registrar", (2026, 3, 3), into_id=on_time.pk)
    # Windows ending in March: on_time, refused, late, forwarded x2, merged = 6; met: all but late.
    assert _figure(world, "timely_acceptance") == (5, 6)


def test_on_time_completion_honours_the_extension(world: World) -> None:
    extended = register(world, day=(2026, 1, 5))
    act(world, extended, "accept", "handler", (2026, 1, 6))  # 60 days: due 7 March
    act(world, extended, "extend", "housing_head", (2026, 2, 1), days=30, reason="需鉴定")  # due 6 April
    act(world, extended, "reply", "handler", (2026, 4, 1), text="答复")
    plain = register(world, day=(2026, 1, 5), phone="13900000001", id_number="1")
    act(world, plain, "accept", "handler", (2026, 1, 6))  # due 7 March, never replied: missed
    assert _figure(world, "on_time_completion") == (0, 1)
    assert _figure(world, "on_time_completion", Period(date(2026, 4, 1), date(2026, 4, 30))) == (1, 1)


def test_a_paused_clock_moves_the_window(world: World) -> None:
    m = register(world, day=(2026, 3, 2))  # 15 days: 17 March
    ms.pause_clock(m.pk, actor=world.users["housing_head"], now=at(2026, 3, 10), reason="听证")
    ms.resume_clock(m.pk, actor=world.users["housing_head"], now=at(2026, 4, 10), reason="听证结束")
    assert _figure(world, "timely_acceptance") == (0, 0)
    april = Period(date(2026, 4, 1), date(2026, 4, 30))
    assert _figure(world, "timely_acceptance", april) == (0, 1)


def test_satisfaction_participation_and_the_basically_satisfied_policy(world: World) -> None:
    ms_ = []
    for i, level in enumerate(["satisfied", "basically", "dissatisfied", None]):
        m = register(world, day=(2026, 3, 2), phone=f"1390000000{i}", id_number=str(i))
        act(world, m, "accept", "handler", (2026, 3, 3))
        act(world, m, "reply", "handler", (2026, 3, 10), text="答复")
        if level:
            rate_reply(m.pk, level=level, comment="", now=at(2026, 3, 12))
        ms_.append(m)
    assert _figure(world, "satisfaction") == (2, 3)
    assert _figure(world, "participation") == (3, 4)
    IndicatorDefinition.objects.filter(key="satisfaction").update(params={"count_basically_satisfied": False})
    assert _figure(world, "satisfaction") == (1, 3)


def test_repeat_rate_and_scope(world: World) -> None:
    register(world, day=(2026, 3, 2))
    register(world, day=(2026, 3, 9), title="再次反映")  # same petitioner: a repeat
    register(world, unit="d2_housing", day=(2026, 3, 9), phone="13900000009", id_number="9")
    assert _figure(world, "repeat_rate") == (1, 3)
    assert _figure(world, "registered", user="handler") == (2, None)  # d1 housing sees its own two


def test_figures_list_every_definition_with_its_rate(world: World) -> None:
    register(world, day=(2026, 3, 2))
    rows = {f.definition.key: f for f in figures(world.users["reviewer"], None, MARCH, TODAY)}
    assert set(rows) == set(IndicatorDefinition.objects.values_list("key", flat=True))
    assert rows["registered"].numerator == 1 and rows["registered"].rate is None
