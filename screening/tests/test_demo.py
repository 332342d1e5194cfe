"""The demo loader fills two weeks of screening through the services."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from audit.selectors import verify_chain
from demo.organisation import build_org, create_accounts
from screening.demo import load_demo_data
from screening.models import EntryStatus, LedgerEntry, ScreeningReminder, ScreeningReport
from xinfang.testing import World

pytestmark = pytest.mark.django_db


def test_on_the_demo_city_reports_entries_and_reminders_appear() -> None:
    now = timezone.now()
    create_accounts(build_org(), now, random.Random(1))
    summary = load_demo_data(now, random.Random(7))
    assert summary.startswith("screening:")
    assert ScreeningReport.objects.filter(is_nil=True).exists() and ScreeningReport.objects.filter(is_nil=False).exists()
    assert ScreeningReport.objects.filter(late=True).exists()
    assert LedgerEntry.objects.filter(status=EntryStatus.CLOSED).exists()
    assert LedgerEntry.objects.exclude(status=EntryStatus.CLOSED).exists()
    assert ScreeningReminder.objects.exists()
    assert verify_chain().intact


def test_on_the_small_test_world_it_runs_too(world: World) -> None:
    assert "reports" in load_demo_data(timezone.now(), random.Random(3))
    assert ScreeningReport.objects.filter(unit=world.units["d1_street"]).exists()


def test_without_an_organisation_it_skips(db: None) -> None:
    assert "skipped" in load_demo_data(timezone.now(), random.Random(3))
