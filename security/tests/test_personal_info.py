"""Petitioner data export and erasure (个人信息保护法) with the retention policy."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from audit.models import Event
from matters.lifecycle import State
from matters.models import Matter, Petitioner
from matters.tests.journeys import act, matter_in, register
from security.models import RetentionPolicy
from security.personal_info import (
    PSEUDONYM,
    ErasureRefused,
    apply_retention,
    erase_personal_data,
    export_personal_data,
    find_petitioners,
)
from xinfang.testing import World, at

pytestmark = pytest.mark.django_db

CLOSED_ON = at(2026, 4, 10)  # matter_in(State.CLOSED) closes on this day
PHONE, ID = "13812345678", "430102199001011234"  # the journeys' petitioner


def test_export_holds_everything_and_is_an_event(world: World) -> None:
    closed = matter_in(world, State.CLOSED)
    register(world, title="另一件事", phone="13900001111", id_number="110101198001010011")  # someone else
    data = export_personal_data(phone="+86 138-1234-5678", actor=world.users["registrar"], now=at(2026, 5, 1))
    assert [p["name"] for p in data["petitioners"]] == ["张三"]
    person = data["petitioners"][0]
    assert person["phone"] == PHONE and person["id_number"] == ID
    [matter] = person["matters"]
    assert matter["query_code"] == closed.query_code
    assert matter["reply_text"] == "经核查，答复如下。"
    assert "reply" in [h["what"] for h in matter["history"]]
    assert matter["documents"]  # the notices issued on the way
    event = Event.objects.get(verb="export_personal_data")
    assert event.actor == world.users["registrar"] and event.target_id == closed.petitioner_id
    # By ID number as well.
    assert len(export_personal_data(id_number=ID.lower(), actor=None, now=at(2026, 5, 1))["petitioners"]) == 1


def test_export_command_writes_json(world: World, tmp_path: Path) -> None:
    matter_in(world, State.CLOSED)
    out = tmp_path / "export.json"
    call_command("export_petitioner_data", "--phone", PHONE, "--out", str(out), "--actor", "registrar",
                 stdout=StringIO())
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["petitioners"][0]["name"] == "张三"


def test_erasure_refused_while_a_matter_is_open(world: World) -> None:
    open_matter = matter_in(world, State.ACCEPTED)
    with pytest.raises(ErasureRefused):
        erase_personal_data(open_matter.petitioner, actor=None, now=at(2040, 1, 1), reason="request")
    assert Petitioner.objects.get(pk=open_matter.petitioner_id).name == "张三"
    assert not Event.objects.filter(verb="erase_personal_data").exists()


def test_retention_erases_identity_and_keeps_the_matter(world: World) -> None:
    closed = matter_in(world, State.CLOSED)
    Matter.objects.filter(pk=closed.pk).update(content=f"本人身份证{ID}，电话{PHONE}，小区长期停水。")
    assert RetentionPolicy.current().years_after_closing == 5
    assert apply_retention(now=at(2031, 4, 9)) == 0  # not yet five years
    assert apply_retention(now=at(2031, 4, 11)) == 1

    p = Petitioner.objects.get(pk=closed.petitioner_id)
    assert p.name == PSEUDONYM and p.phone == "" and p.id_number == "" and p.phone_hash == ""
    m = Matter.objects.get(pk=closed.pk)
    assert m.state == State.CLOSED and m.title == "小区停水"  # the matter and its statistics stay
    assert ID not in m.content and PHONE not in m.content and "小区长期停水" in m.content
    assert not find_petitioners(phone=PHONE).exists()
    assert Event.objects.filter(verb="erase_personal_data", target_id=p.pk).count() == 1
    assert apply_retention(now=at(2031, 4, 12)) == 0  # idempotent


def test_same_person_with_an_open_matter_is_kept(world: World) -> None:
    old = matter_in(world, State.CLOSED)
    newer = register(world, title="又停水", day=(2031, 3, 1))  # same phone and ID, still open
    assert apply_retention(now=at(2031, 4, 11)) == 0
    assert Petitioner.objects.get(pk=old.petitioner_id).name == "张三"
    act(world, newer, "refuse", "handler", (2031, 3, 3), reason="属于劳动争议", legal_route="劳动人事争议仲裁")
    # Not accepted ends the newer matter on 2031-03-03: both rows go five years after that.
    assert apply_retention(now=at(2036, 3, 2)) == 0
    assert apply_retention(now=at(2036, 3, 4)) == 2


def test_policy_is_data_and_command_takes_now(world: World) -> None:
    closed = matter_in(world, State.CLOSED)
    policy = RetentionPolicy.current()
    policy.years_after_closing = 2
    policy.save()
    out = StringIO()
    call_command("apply_retention", "--now", "2028-04-11T10:00:00+08:00", "--dry-run", stdout=out)
    assert "1 petitioner(s) past the retention period of 2 years" in out.getvalue()
    assert Petitioner.objects.get(pk=closed.petitioner_id).name == "张三"
    call_command("apply_retention", "--now", "2028-04-11T10:00:00+08:00", stdout=out)
    assert "1 petitioner(s) erased" in out.getvalue()
    assert Petitioner.objects.get(pk=closed.petitioner_id).name == PSEUDONYM
