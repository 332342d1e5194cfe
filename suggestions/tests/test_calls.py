"""Calls: the standing collection always exists; the petition office opens and closes calls; only
an open call accepts suggestions."""

from __future__ import annotations

from datetime import UTC, date

import pytest
from django.db import connection

from audit.models import Event
from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from notify.models import OutboxMessage
from suggestions import services
from suggestions.models import Call, SuggestionState
from suggestions.selectors import find_by_code, open_calls, standing_call
from suggestions.standing import create_standing_call
from xinfang.testing import World, at

from .helpers import open_call, suggest

pytestmark = pytest.mark.django_db

DATA = services.SuggestionData(title="增设公交线路", content="建议开通地铁站到新区的接驳公交。")


def test_the_standing_collection_exists_is_always_open_and_cannot_be_closed(world: World) -> None:
    call = standing_call()
    assert call.is_open(date(2030, 1, 1))
    assert call in open_calls(date(2030, 1, 1))
    with pytest.raises(IllegalTransition):
        services.close_call(call.pk, actor=world.users["reviewer"], now=at(2026, 3, 1))


@pytest.mark.parametrize(("actor", "unit", "allowed"), [
    ("reviewer", "city_office", True),
    ("registrar", "city_office", True),
    ("d1_reviewer", "d1_office", True),
    ("d1_registrar", "city_office", False),  # a district office cannot call in the city's name
    ("handler", "d1_housing", False),
    ("housing_head", "d1_housing", False),
    ("supervisor", "city_office", False),
    ("nobody", "d1_housing", False),
])
def test_the_petition_office_over_the_unit_opens_and_closes_calls(world: World, actor: str, unit: str, allowed: bool) -> None:
    if not allowed:
        with pytest.raises(NotAllowed):
            open_call(world, unit=unit, actor=actor)
        call = open_call(world, unit=unit, actor="reviewer")
        with pytest.raises(NotAllowed):
            services.close_call(call.pk, actor=world.users[actor], now=at(2026, 3, 2))
        return
    call = open_call(world, unit=unit, actor=actor)
    assert call.organising_unit == world.units[unit]
    services.close_call(call.pk, actor=world.users[actor], now=at(2026, 3, 2))
    assert Event.objects.filter(verb="call_close", target_id=call.pk).exists()


def test_a_call_needs_a_topic_a_unit_and_a_period_in_order(world: World) -> None:
    with pytest.raises(InvalidInput) as err:
        services.create_call(actor=world.users["reviewer"], topic=" ", description="", organising_unit_id=None,
                             opens_on=date(2026, 3, 10), closes_on=date(2026, 3, 1), now=at(2026, 3, 1))
    assert set(err.value.fields) == {"topic", "organising_unit", "closes_on"}
    assert not Call.objects.filter(standing=False).exists()


@pytest.mark.parametrize(("day", "accepted"), [
    ((2026, 2, 28), False), ((2026, 3, 1), True), ((2026, 3, 31), True), ((2026, 4, 1), False)])
def test_only_an_open_call_accepts_suggestions(world: World, day: tuple[int, int, int], accepted: bool) -> None:
    call = open_call(world)
    if accepted:
        assert services.submit_suggestion(call.pk, DATA, now=at(*day)).state == SuggestionState.RECEIVED
    else:
        with pytest.raises(IllegalTransition):
            services.submit_suggestion(call.pk, DATA, now=at(*day))


def test_a_call_closed_early_accepts_nothing_more(world: World) -> None:
    call = open_call(world)
    services.close_call(call.pk, actor=world.users["reviewer"], now=at(2026, 3, 10))
    assert call not in open_calls(date(2026, 3, 11))
    with pytest.raises(IllegalTransition):
        services.submit_suggestion(call.pk, DATA, now=at(2026, 3, 11))
    with pytest.raises(IllegalTransition):
        services.close_call(call.pk, actor=world.users["reviewer"], now=at(2026, 3, 12))


def test_submission_names_each_bad_field_and_saves_nothing(world: World) -> None:
    bad = services.SuggestionData(title="", content="太短", proposer_phone="12", proposer_email="not-an-address")
    with pytest.raises(InvalidInput) as err:
        services.submit_suggestion(standing_call().pk, bad, now=at(2026, 3, 5))
    assert set(err.value.fields) == {"title", "content", "proposer_phone", "proposer_email"}
    assert not standing_call().suggestions.exists()


def test_the_proposer_may_stay_anonymous_and_hears_nothing(world: World) -> None:
    s = suggest(world, phone="")
    assert s.proposer_name == "李四" and not s.has_contact
    assert not OutboxMessage.objects.exists()


def test_contact_is_encrypted_at_rest_and_the_proposer_is_told_of_receipt(world: World) -> None:
    s = suggest(world, phone="138 1234 5678", email="li@example.com")
    with connection.cursor() as cur:
        cur.execute("SELECT proposer_name, proposer_phone, proposer_email FROM suggestions_suggestion WHERE id = %s", [s.pk])
        raw = " ".join(cur.fetchone())
    assert "李四" not in raw and "13812345678" not in raw and "li@example.com" not in raw
    assert {m.channel for m in OutboxMessage.objects.all()} == {"sms", "email"}
    assert OutboxMessage.objects.get(channel="sms").recipient == "13812345678"


def test_the_query_code_finds_the_suggestion_grouped_or_not(world: World) -> None:
    s = suggest(world)
    grouped = f"{s.query_code[:5]}-{s.query_code[5:]}".lower()
    assert find_by_code(grouped) == s
    assert find_by_code("ZZZZZZZZZZ") is None


def test_standing_suggestions_are_received_by_the_top_of_the_tree(world: World) -> None:
    assert suggest(world).receiving_unit == world.units["city"]
    assert suggest(world, open_call(world, unit="d1_office", actor="d1_reviewer")).receiving_unit == world.units["d1_office"]


def test_the_period_is_counted_in_shanghai_days_whatever_the_clock_zone(world: World) -> None:
    call = open_call(world)
    early_on_april_first = at(2026, 4, 1, 7).astimezone(UTC)  # still 31 March in UTC
    with pytest.raises(IllegalTransition):
        services.submit_suggestion(call.pk, DATA, now=early_on_april_first)
    assert services.submit_suggestion(call.pk, DATA, now=at(2026, 3, 1, 7).astimezone(UTC)).call == call


def test_the_standing_collection_is_made_once_and_can_be_put_back() -> None:
    create_standing_call(Call)
    assert Call.objects.filter(standing=True).count() == 1
    Call.objects.filter(standing=True).delete()
    create_standing_call(Call)
    assert standing_call().is_open(date(2026, 1, 1))
