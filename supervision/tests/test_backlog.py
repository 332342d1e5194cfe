"""The backlog list: listing, progress, sign-off with evidence and approval, the dossier PDF."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from matters.tests.journeys import act, register
from org.models import Role
from org.services import grant_role
from supervision import backlog
from supervision.models import BacklogEntry, BacklogState, Campaign
from xinfang.testing import World, at

pytestmark = pytest.mark.django_db


def _listed(world: World):
    campaign = Campaign.objects.create(name="2026年第一季度攻坚", starts=date(2026, 1, 1), ends=date(2026, 3, 31))
    m = register(world)
    return m, backlog.list_matter(m.pk, actor=world.users["supervisor"], source="self", reason="多次重复信访",
                                  campaign_id=campaign.pk, now=at(2026, 3, 3))


def test_a_supervisor_lists_a_matter_once(world: World) -> None:
    m, entry = _listed(world)
    assert entry.state == BacklogState.LISTED and entry.campaign is not None
    with pytest.raises(IllegalTransition):
        backlog.list_matter(m.pk, actor=world.users["supervisor"], source="self", reason="again", now=at(2026, 3, 4))
    with pytest.raises(NotAllowed):
        backlog.list_matter(register(world).pk, actor=world.users["handler"], source="self", reason="x", now=at(2026, 3, 4))
    with pytest.raises(InvalidInput):
        backlog.list_matter(register(world).pk, actor=world.users["supervisor"], source="?", reason=" ", now=at(2026, 3, 4))


def test_sign_off_needs_evidence_and_another_supervisors_approval(world: World) -> None:
    m, entry = _listed(world)
    backlog.add_progress(entry.pk, actor=world.users["handler"], text="已召开协调会", now=at(2026, 3, 5))
    with pytest.raises(InvalidInput):
        backlog.request_sign_off(entry.pk, actor=world.users["handler"], evidence=" ", now=at(2026, 3, 6))
    with pytest.raises(NotAllowed):
        backlog.request_sign_off(entry.pk, actor=world.users["supervisor"], evidence="协议书", now=at(2026, 3, 6))
    backlog.request_sign_off(entry.pk, actor=world.users["handler"], evidence="和解协议书及回访记录", now=at(2026, 3, 6))
    with pytest.raises(NotAllowed):
        backlog.decide_sign_off(entry.pk, actor=world.users["housing_head"], approve=True, now=at(2026, 3, 7))
    refused = backlog.decide_sign_off(entry.pk, actor=world.users["supervisor"], approve=False, reason="缺回访记录",
                                      now=at(2026, 3, 7))
    assert refused.state == BacklogState.LISTED
    backlog.request_sign_off(entry.pk, actor=world.users["handler"], evidence="补充回访记录", now=at(2026, 3, 8))
    done = backlog.decide_sign_off(entry.pk, actor=world.users["supervisor"], approve=True, now=at(2026, 3, 9))
    assert done.state == BacklogState.SIGNED_OFF and done.approved_by == world.users["supervisor"]
    assert backlog.campaign_progress(world.users["supervisor"])[0]["signed_off"] == 1


def test_the_dossier_is_one_pdf_with_the_whole_story(world: World) -> None:
    m, entry = _listed(world)
    act(world, m, "accept", "handler", (2026, 3, 4))
    backlog.add_progress(entry.pk, actor=world.users["handler"], text="已召开协调会", now=at(2026, 3, 5))
    data = backlog.dossier_pdf(entry.pk, actor=world.users["supervisor"])
    text = re.sub(r"[\s\x00]+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    assert m.title in text and "多次重复信访" in text and "已召开协调会" in text and "受〔2026〕1号" in text


def test_the_backlog_of_another_district_is_out_of_reach(world: World) -> None:
    _m, entry = _listed(world)
    grant_role(world.users["d2_head"], Role.SUPERVISOR, world.units["d2"])
    with pytest.raises(BacklogEntry.DoesNotExist):
        backlog.dossier_pdf(entry.pk, actor=world.users["d2_head"])
    assert not backlog.backlog_visible_to(world.users["d2_handler"]).exists()
