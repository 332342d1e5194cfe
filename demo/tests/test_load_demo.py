"""The demo loader: accounts, coverage of every state and channel, a sound audit chain, idempotence."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from audit.models import Event
from audit.selectors import verify_chain
from deadlines.models import ServiceProfile
from demo import seed
from demo.organisation import DEMO_PASSWORD, DEMO_USERNAMES
from demo.texts import FIELDS
from matters.lifecycle import State
from matters.models import Category, Channel, Deadline, HandlingKind, Matter, Petitioner, PetitionerKind
from org.models import UnitKind, User

pytestmark = pytest.mark.django_db

# ROTATION makes the first plans cover every fate, channel and kind; 60 leaves room for merge targets.
MATTERS = 60




def _load(matters: int) -> str:
    out = StringIO()
    call_command("load_demo", matters=matters, stdout=out)
    return out.getvalue()


def test_accounts_exist_and_authenticate() -> None:
    output = _load(0)
    for username in DEMO_USERNAMES:
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None, username
        assert username in output
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.unit is not None and admin.unit.kind == UnitKind.PETITION_OFFICE
    discipline = User.objects.get(username="discipline")
    assert discipline.unit is not None and discipline.unit.kind == UnitKind.DISCIPLINE
    assert DEMO_PASSWORD in output


def test_taxonomy_and_service_profile() -> None:
    _load(0)
    with (seed.FIXTURES / "taxonomy.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert Category.objects.filter(level=3).count() == len(
        {(r["level1"], r["level2"], r["level3"]) for r in rows}
    )
    assert Category.objects.filter(level=1).count() == len({r["level1"] for r in rows})
    first = Category.objects.order_by("pk").first()
    assert first is not None and first.path == rows[0]["level1"]
    profile = ServiceProfile.objects.get(name=seed.FIRST_PETITION_PROFILE)
    assert (profile.days, profile.day_kind, profile.first_petition_only, profile.stage) == (
        21,
        "calendar",
        True,
        "handling",
    )


def test_every_state_channel_and_kind_occurs_and_the_chain_holds() -> None:
    _load(MATTERS)
    assert Matter.objects.count() == MATTERS
    states = set(Matter.objects.values_list("state", flat=True))
    # A re-review decision closes the matter at once, so re_reviewed is never a resting state: it shows in the log.
    assert set(State.values) - {State.RE_REVIEWED} <= states
    assert Event.objects.filter(verb="decide_re_review", after__state=State.RE_REVIEWED).exists()
    re_reviewed = set(Event.objects.filter(verb="decide_re_review").values_list("target_id", flat=True))
    closed = set(Matter.objects.filter(state=State.CLOSED).values_list("pk", flat=True))
    assert closed & re_reviewed and closed - re_reviewed, "closed both by re-review and by the lapse job"

    assert set(Matter.objects.values_list("channel", flat=True)) == set(Channel.values)
    assert set(Matter.objects.values_list("handling_kind", flat=True)) == set(HandlingKind.values)
    for matter in Matter.objects.filter(handling_kind=HandlingKind.ACCUSATION).select_related(
        "handling_unit"
    ):
        assert matter.handling_unit.kind in (UnitKind.DISCIPLINE, UnitKind.PETITION_OFFICE)
    assert Matter.objects.filter(clock_paused=True).exists()
    assert Matter.objects.filter(state=State.MERGED, merged_into__isnull=False).exists()
    assert not Matter.objects.filter(deadlines__isnull=True).exists()
    assert Deadline.objects.filter(profile_name=seed.FIRST_PETITION_PROFILE).exists()
    for group in Petitioner.objects.filter(kind=PetitionerKind.GROUP):
        assert 1 <= group.representatives.count() <= 5

    report = verify_chain()
    assert report.intact, report.problem
    assert report.checked == Event.objects.count()


def test_running_twice_duplicates_nothing() -> None:
    _load(20)
    counts = [m.objects.count() for m in (Matter, User, Category, Event, ServiceProfile)]
    output = _load(20)
    assert "Demo data already loaded" in output
    assert "registrar" in output
    assert [m.objects.count() for m in (Matter, User, Category, Event, ServiceProfile)] == counts


def test_fixture_is_self_contained_and_small() -> None:
    path = Path(seed.FIXTURES) / "demo_texts.csv"
    assert path.stat().st_size < 3_000_000
    with path.open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert reader.fieldnames == FIELDS
    assert len(rows) >= seed.DEFAULT_MATTERS
    datasets = {r["source"].split("/", 1)[0] for r in rows}
    assert datasets == {"teddy2020", "haikou12345"}
