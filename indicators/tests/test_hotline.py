"""The hotline set (接诉即办): 响应率, 解决率, 满意率 of 12345 work orders only, hand-computed."""

from __future__ import annotations

from datetime import date

import pytest

from indicators.compute import Period, figures, parts
from indicators.models import IndicatorDefinition
from matters import services as ms
from matters.models import Channel
from matters.tests.journeys import act
from portal.services import rate_reply
from xinfang.testing import World, at

from .helpers import file

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
APRIL = Period(date(2026, 4, 1), date(2026, 4, 30))
H = Channel.HOTLINE


def _figure(world: World, key: str, period: Period = MARCH) -> tuple[int, int | None]:
    _n, _d, num, den = parts(IndicatorDefinition.objects.get(key=key), world.users["reviewer"], None, period, TODAY)
    return num, den


def _at(world: World, matter_pk: int, action: str, actor: str, day: tuple[int, int, int], hour: int, **kw: object) -> None:
    ms.ACTIONS[action](matter_pk, actor=world.users[actor], now=at(*day, hour), **kw)


def test_response_within_the_stored_response_period(world: World) -> None:
    quick = file(world, channel=H, day=(2026, 3, 2), hour=10)
    _at(world, quick.pk, "accept", "handler", (2026, 3, 3), 9)  # 23 hours
    slow = file(world, channel=H, day=(2026, 3, 2), hour=10)
    _at(world, slow.pk, "accept", "handler", (2026, 3, 3), 11)  # 25 hours
    refused = file(world, channel=H, day=(2026, 3, 2), hour=10)
    _at(world, refused.pk, "refuse", "handler", (2026, 3, 2), 15, reason="属于诉讼", legal_route="人民法院")
    visit = file(world, day=(2026, 3, 2))  # not a work order
    act(world, visit, "accept", "handler", (2026, 3, 2))
    merged = file(world, channel=H, day=(2026, 3, 2))
    act(world, merged, "merge", "registrar", (2026, 3, 3), into_id=quick.pk)
    assert _figure(world, "hotline_response") == (2, 3)
    IndicatorDefinition.objects.filter(key="hotline_response").update(params={"response_hours": 48})
    assert _figure(world, "hotline_response") == (3, 3)


def _closed(world: World, level: str | None) -> None:
    m = file(world, channel=H, day=(2026, 3, 2))
    act(world, m, "accept", "handler", (2026, 3, 3))
    act(world, m, "reply", "handler", (2026, 3, 10), text="已处理")
    if level:
        rate_reply(m.pk, level=level, comment="", now=at(2026, 3, 12))


def test_resolution_by_the_petitioners_own_rating_and_hotline_satisfaction(world: World) -> None:
    _closed(world, "satisfied")
    _closed(world, "dissatisfied")
    _closed(world, None)
    ms.close_lapsed_matters(now=at(2026, 4, 20))  # the review windows lapsed in April
    assert _figure(world, "hotline_resolution", MARCH) == (0, 0)
    assert _figure(world, "hotline_resolution", APRIL) == (1, 3)
    assert _figure(world, "hotline_satisfaction") == (1, 2)
    IndicatorDefinition.objects.filter(key="hotline_resolution").update(params={"resolved_levels": ["satisfied", "dissatisfied"]})
    assert _figure(world, "hotline_resolution", APRIL) == (2, 3)


def test_the_two_sets_stand_side_by_side(world: World) -> None:
    file(world, channel=H)
    file(world)
    petition = {f.definition.key: f for f in figures(world.users["reviewer"], None, MARCH, TODAY, "petition")}
    hotline = {f.definition.key: f for f in figures(world.users["reviewer"], None, MARCH, TODAY, "hotline")}
    assert petition["registered"].numerator == 2 and hotline["hotline_registered"].numerator == 1
    assert not set(petition) & set(hotline)
