"""The demo loader makes calls and suggestions at every step through the services."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from audit.selectors import verify_chain
from demo.organisation import build_org, create_accounts
from suggestions.demo import load_demo_data
from suggestions.models import Call, Suggestion, SuggestionState
from xinfang.testing import World

pytestmark = pytest.mark.django_db


def test_on_the_demo_city_every_state_occurs_and_the_chain_holds() -> None:
    now = timezone.now()
    create_accounts(build_org(), now, random.Random(1))
    summary = load_demo_data(now, random.Random(7))
    assert "10 suggestions" in summary
    assert set(Suggestion.objects.values_list("state", flat=True)) == set(SuggestionState.values)
    assert Call.objects.filter(standing=False).count() == 2
    assert verify_chain().intact


def test_on_the_small_test_world_it_runs_too(world: World) -> None:
    assert "suggestions" in load_demo_data(timezone.now(), random.Random(3))
    assert Suggestion.objects.filter(state=SuggestionState.IMPLEMENTED).exists()


def test_without_an_organisation_it_skips(db: None) -> None:
    assert "skipped" in load_demo_data(timezone.now(), random.Random(3))
    assert not Suggestion.objects.exists()
