"""响应率 from ``Matter.responded_at``: the moment of the first accept or refuse, kept by the services
and, for matters from before the column, backfilled from the event log."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.db import transaction

from audit.services import record_event
from indicators.compute import Period, figures, parts
from indicators.models import IndicatorDefinition
from matters import services as ms
from matters.models import Channel, Matter
from xinfang.testing import World, at

from .helpers import file

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
H = Channel.HOTLINE


def _response(world: World) -> tuple[int, int | None]:
    d = IndicatorDefinition.objects.get(key="hotline_response")
    _n, _d, num, den = parts(d, world.users["reviewer"], None, MARCH, TODAY)
    found = {f.definition.key: (f.numerator, f.denominator) for f in figures(world.users["reviewer"], None, MARCH, TODAY)}
    assert found["hotline_response"] == (num, den)  # the figure and its drill-down count alike
    return num, den


def _forwarded(world: World) -> Matter:
    m = file(world, "city_office", channel=H, day=(2026, 3, 2), hour=10)
    ms.forward_matter(m.pk, actor=world.users["reviewer"], now=at(2026, 3, 2, 12), to_unit_id=world.units["d1_housing"].pk)
    return m


def test_a_forwarded_work_order_counts_from_dispatch_to_its_first_response(world: World) -> None:
    quick, late = _forwarded(world), _forwarded(world)
    ms.accept_matter(quick.pk, actor=world.users["handler"], now=at(2026, 3, 3, 9))  # 23 hours after dispatch
    ms.accept_matter(late.pk, actor=world.users["handler"], now=at(2026, 3, 3, 11))  # 25 hours; 23 after forwarding
    ms.reply_matter(quick.pk, actor=world.users["handler"], now=at(2026, 3, 10), text="已处理")
    quick.refresh_from_db()
    assert quick.responded_at == at(2026, 3, 3, 9)  # neither forwarding before nor replying after moves it
    assert _response(world) == (1, 2)


def test_the_response_period_ends_on_the_exact_moment(world: World) -> None:
    dispatched = at(2026, 3, 2, 10) + timedelta(microseconds=500_000)  # the fraction of a second counts too
    on_time, late = file(world, channel=H), file(world, channel=H)
    Matter.objects.filter(pk__in=[on_time.pk, late.pk]).update(registered_at=dispatched)
    ms.accept_matter(on_time.pk, actor=world.users["handler"], now=dispatched + timedelta(hours=24))
    ms.accept_matter(late.pk, actor=world.users["handler"], now=dispatched + timedelta(hours=24, microseconds=1))
    assert _response(world) == (1, 2)


def test_the_migration_fills_the_moment_from_the_earliest_answer_in_the_event_log(world: World) -> None:
    accepted, refused, waiting = file(world, channel=H), file(world, channel=H), file(world, channel=H)
    ms.accept_matter(accepted.pk, actor=world.users["handler"], now=at(2026, 3, 3, 9))
    ms.refuse_matter(refused.pk, actor=world.users["handler"], now=at(2026, 3, 2, 15), reason="属于诉讼", legal_route="人民法院")
    with transaction.atomic():  # a later answer, as a repeated import could have left
        record_event("accept", target=accepted, at=at(2026, 3, 4, 9))
    Matter.objects.update(responded_at=None)
    import_module("matters.migrations.0008_responded_at").backfill_responded_at(apps, None)
    assert dict(Matter.objects.values_list("pk", "responded_at")) == {
        accepted.pk: at(2026, 3, 3, 9), refused.pk: at(2026, 3, 2, 15), waiting.pk: None}
