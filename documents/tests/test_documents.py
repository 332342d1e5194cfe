"""Written notices: issued by the transitions that oblige them, numbered, fixed, rendered to PDF."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from audit.models import Event
from documents.models import DocumentKind, DocumentTemplate, IssuedDocument
from documents.services import document_pdf
from matters.models import HandlingKind
from matters.tests.journeys import act, register
from xinfang.testing import World, at

pytestmark = pytest.mark.django_db


def _pdf_text(data: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    # pypdf reads fpdf2's two-byte ToUnicode entries with a NUL before each character
    # (pdftotext reads them cleanly); NULs and line breaks are not part of the text.
    return re.sub(r"[\s\x00]+", "", text)


def test_acceptance_issues_a_numbered_notice_with_its_text_hashed_in_the_log(world: World) -> None:
    m = register(world)
    act(world, m, "accept", "handler", (2026, 3, 4))
    doc = IssuedDocument.objects.get(matter=m)
    assert doc.kind == DocumentKind.ACCEPTANCE
    assert doc.number == "d1区住建局受〔2026〕1号"
    assert doc.issuing_unit == world.units["d1_housing"]
    assert "张三" in doc.text and "决定予以受理" in doc.text and "60日内" in doc.text
    event = Event.objects.get(verb="issue_document", target_id=m.pk)
    assert event.after["text_sha256"] == doc.text_sha256 and event.after["number"] == doc.number


def test_numbers_run_per_issuing_unit_and_year(world: World) -> None:
    first, second = register(world), register(world)
    act(world, first, "accept", "handler", (2026, 3, 4))
    act(world, second, "accept", "handler", (2026, 3, 4))
    numbers = sorted(IssuedDocument.objects.values_list("number", flat=True))
    assert numbers == ["d1区住建局受〔2026〕1号", "d1区住建局受〔2026〕2号"]


def test_refusal_names_the_legal_route(world: World) -> None:
    m = register(world)
    act(world, m, "refuse", "handler", (2026, 3, 4), reason="属于劳动争议", legal_route="劳动人事争议仲裁")
    doc = IssuedDocument.objects.get(matter=m, kind=DocumentKind.NON_ACCEPTANCE)
    assert "属于劳动争议" in doc.text and "请您通过劳动人事争议仲裁途径依法解决" in doc.text


def test_reply_states_the_review_right_body_and_deadline(world: World) -> None:
    m = register(world)
    act(world, m, "accept", "handler", (2026, 3, 4))
    act(world, m, "reply", "handler", (2026, 3, 20), text="经核查，已恢复供水。")
    doc = IssuedDocument.objects.get(matter=m, kind=DocumentKind.REPLY)
    # Replied 20 March: 30 days run to 19 April 2026, a Sunday, so the window ends Monday 20 April.
    assert "经核查，已恢复供水。" in doc.text
    assert "30日内（至2026年4月20日）" in doc.text and "向d1区请求复查" in doc.text


def test_forward_and_extension_notices(world: World) -> None:
    m = register(world, unit="city_office")
    act(world, m, "forward", "reviewer", (2026, 3, 3), to_unit_id=world.units["d1_housing"].pk)
    act(world, m, "accept", "handler", (2026, 3, 4))
    act(world, m, "extend", "housing_head", (2026, 3, 10), days=30, reason="需现场勘查")
    forward = IssuedDocument.objects.get(matter=m, kind=DocumentKind.FORWARD)
    assert forward.issuing_unit == world.units["city_office"] and "已转送d1区住建局办理" in forward.text
    extension = IssuedDocument.objects.get(matter=m, kind=DocumentKind.EXTENSION)
    assert "需现场勘查" in extension.text and "延长30日" in extension.text


def test_an_edited_template_applies_to_later_documents_only(world: World) -> None:
    first = register(world)
    act(world, first, "accept", "handler", (2026, 3, 4))
    DocumentTemplate.objects.filter(kind=DocumentKind.ACCEPTANCE).update(body="{{ petitioner }}：本机关已受理。")
    second = register(world)
    act(world, second, "accept", "handler", (2026, 3, 5))
    assert "决定予以受理" in IssuedDocument.objects.get(matter=first).text
    assert IssuedDocument.objects.get(matter=second).text == "张三：本机关已受理。"


def test_an_issued_document_never_changes(world: World) -> None:
    m = register(world)
    act(world, m, "accept", "handler", (2026, 3, 4))
    doc = IssuedDocument.objects.get(matter=m)
    doc.text = "改过的内容"
    with pytest.raises(ValueError):
        doc.save()


def test_the_pdf_holds_the_chinese_text_and_its_hash_is_recorded_once(world: World) -> None:
    m = register(world)
    act(world, m, "accept", "handler", (2026, 3, 4))
    doc = IssuedDocument.objects.get(matter=m)
    data = document_pdf(doc, now=at(2026, 3, 5))
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    assert "受理告知书" in text and doc.number in text and "决定予以受理" in text and "d1区住建局" in text
    assert document_pdf(doc, now=at(2026, 3, 6)) == data
    [rendered] = Event.objects.filter(verb="render_document", target_id=m.pk)
    doc.refresh_from_db()
    assert rendered.after["pdf_sha256"] == doc.pdf_sha256 != ""


def test_documents_follow_the_scope_rule(world: World) -> None:
    m = register(world)
    act(world, m, "accept", "handler", (2026, 3, 4))
    doc = IssuedDocument.objects.get(matter=m)
    own, other = Client(), Client()
    own.force_login(world.users["handler"])
    other.force_login(world.users["d2_handler"])
    assert own.get(reverse("document_pdf", args=[doc.pk]))["Content-Type"] == "application/pdf"
    assert other.get(reverse("document_pdf", args=[doc.pk])).status_code == 404


def test_an_accusations_documents_stay_with_the_petition_office(world: World) -> None:
    m = register(world, unit="city_office", kind=HandlingKind.ACCUSATION)
    act(world, m, "accept", "reviewer", (2026, 3, 4))
    doc = IssuedDocument.objects.get(matter=m)
    housing = Client()
    housing.force_login(world.users["handler"])
    assert housing.get(reverse("document_pdf", args=[doc.pk])).status_code == 404
    office = Client()
    office.force_login(world.users["reviewer"])
    assert office.get(reverse("document_pdf", args=[doc.pk])).status_code == 200
    assert "13812345678" not in doc.text and "430102199001011234" not in doc.text
