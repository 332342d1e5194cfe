"""The demo loader makes tasks at every stage and meetings through the services, on whatever it finds."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from audit.selectors import verify_chain
from demo.organisation import build_org, create_accounts
from joint.demo import load_demo_data
from joint.models import Assignment, AssignmentState, Consolidation, JointMeeting, MeetingState
from matters.lifecycle import State
from matters.tests.journeys import matter_in
from xinfang.testing import World

pytestmark = pytest.mark.django_db


def test_on_the_demo_city_without_matters_it_makes_what_it_can() -> None:
    now = timezone.now()
    create_accounts(build_org(), now, random.Random(1))
    summary = load_demo_data(now, random.Random(7))
    assert summary.startswith("joint: 0 cooperation tasks"), summary
    assert JointMeeting.objects.filter(state=MeetingState.PLANNED).count() == 1
    assert verify_chain().intact


def test_on_the_small_world_tasks_reach_every_stage_and_a_meeting_closes(world: World) -> None:
    for _ in range(6):
        matter_in(world, State.ACCEPTED)
    summary = load_demo_data(timezone.now(), random.Random(3))
    assert "6 cooperation tasks" in summary, summary
    assert set(Assignment.objects.values_list("state", flat=True)) == set(AssignmentState.values)
    assert Assignment.objects.exclude(return_reason="").exists()
    assert Consolidation.objects.count() == 2
    assert JointMeeting.objects.filter(state=MeetingState.CLOSED).get().items.count() == 2
    assert verify_chain().intact
