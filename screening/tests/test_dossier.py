"""One dossier per entry (一案一册): the whole story in one PDF; the matter page's card."""

from __future__ import annotations

import io
import re

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from matters.tests.journeys import register
from screening import services
from screening.dossier import dossier_pdf
from xinfang.testing import World, at

from .helpers import new_entry

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    return re.sub(r"[\s\x00]+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def test_the_dossier_tells_the_whole_story(sworld: World) -> None:
    seen = register(sworld, unit="c1", title="楼道堆物影响通行")
    hidden = register(sworld, unit="d1_housing", title="住建局隐藏事项")
    entry = new_entry(sworld, matter_codes=[seen.query_code])
    services.link_matters(entry.pk, actor=sworld.users["d1_head"], codes=[hidden.query_code], now=at(2026, 3, 2))
    services.add_note(entry.pk, actor=sworld.users["c1_handler"], text="网格员已上门走访", now=at(2026, 3, 3))
    services.escalate(entry.pk, actor=sworld.users["c1_handler"], reason="需街道协调", now=at(2026, 3, 4))
    services.propose_resolution(entry.pk, actor=sworld.users["street_handler"], evidence="调解协议书", now=at(2026, 3, 5))
    services.reject_resolution(entry.pk, actor=sworld.users["street_head"], reason="缺回访记录", now=at(2026, 3, 6))
    services.propose_resolution(entry.pk, actor=sworld.users["street_handler"], evidence="补充回访记录", now=at(2026, 3, 7))
    services.sign_off(entry.pk, actor=sworld.users["street_head"], now=at(2026, 3, 8))
    entry.refresh_from_db()
    text = _text(dossier_pdf(entry, actor=sworld.users["c1_handler"]))
    for part in ("小区物业费调价引发业主不满", "楼道堆物影响通行", "网格员已上门走访", "需街道协调", "缺回访记录", "补充回访记录",
                 sworld.units["d1_street"].name):
        assert part in text
    assert "住建局隐藏事项" not in text
    assert "住建局隐藏事项" in _text(dossier_pdf(entry, actor=sworld.users["d1_head"]))


def test_the_matter_card_lists_the_entries_the_user_sees(sworld: World) -> None:
    m = register(sworld, unit="c1")
    new_entry(sworld, summary="楼道堆物", matter_codes=[m.query_code])
    assert "楼道堆物" in render_to_string("screening/_matter_card.html", {"matter": m, "user": sworld.users["c1_handler"]})
    assert "楼道堆物" not in render_to_string("screening/_matter_card.html", {"matter": m, "user": sworld.users["d2_head"]})
