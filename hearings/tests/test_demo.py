"""The demo loader fills pools, the roster, hearings and consultations through the services."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from audit.selectors import verify_chain
from demo.organisation import build_org, create_accounts
from hearings.demo import load_demo_data
from hearings.draw import replay_draw
from hearings.models import Consultation, DutyShift, Hearing, HearingState, PanelDraw, PoolMember
from matters.lifecycle import State
from matters.tests.journeys import matter_in
from xinfang.testing import World

pytestmark = pytest.mark.django_db


def test_on_the_demo_city_pools_and_the_roster_appear() -> None:
    now = timezone.now()
    create_accounts(build_org(), now, random.Random(1))
    summary = load_demo_data(now, random.Random(7))
    assert summary.startswith("hearings:") and "0 hearings" in summary  # no matters loaded here
    assert PoolMember.objects.filter(kind="lawyer").count() == 6
    assert DutyShift.objects.values("unit").distinct().count() >= 2
    assert verify_chain().intact


def test_on_the_small_world_with_matters_hearings_reach_every_stage(world: World) -> None:
    for state in [State.REVIEW_REQUESTED, State.REVIEW_REQUESTED, State.RE_REVIEW_REQUESTED, State.ACCEPTED,
                  State.ACCEPTED, State.EXTENDED]:
        matter_in(world, state)
    summary = load_demo_data(timezone.now(), random.Random(3))
    assert "6 hearings" in summary, summary
    states = set(Hearing.objects.values_list("state", flat=True))
    assert {HearingState.SCHEDULED, HearingState.HELD, HearingState.OPINION_GIVEN, HearingState.CLOSED} <= states
    assert all(replay_draw(d) == d.chosen for d in PanelDraw.objects.all())
    assert Consultation.objects.exists()


def test_without_an_organisation_it_skips(db: None) -> None:
    assert "skipped" in load_demo_data(timezone.now(), random.Random(3))
