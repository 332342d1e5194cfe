"""The screening pages as the community, the street and a supervisor use them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from screening import services
from screening.models import EntryStatus, LedgerEntry, ScreeningReminder, ScreeningReport
from xinfang.testing import World, at

from .helpers import new_entry

pytestmark = pytest.mark.django_db


def _client(w: World, user: str) -> Client:
    """A logged-in client reading the English source strings, so the assertions survive the catalogue."""
    c = Client(headers={"accept-language": "en"})
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    c.force_login(w.users[user])
    return c


def _form(w: World, **over: str) -> dict[str, str]:
    values = {"found_by_unit_id": str(w.units["c1"].pk), "responsible_unit_id": str(w.units["c1"].pk),
              "summary": "拆迁补偿标准不一引发不满", "area_id": str(w.units["c1"].area_id), "people_involved": "30",
              "risk_level": "high", "measures": "入户解释政策", "deadline": (timezone.localdate() + timedelta(days=10)).isoformat()}
    values.update(over)
    return values


def test_a_community_enters_a_risk_and_files_its_report(sworld: World) -> None:
    c = _client(sworld, "c1_handler")
    assert "拆迁" not in c.get(reverse("screening_entry_new")).content.decode()
    r = c.post(reverse("screening_entry_new"), _form(sworld))
    entry = LedgerEntry.objects.get()
    assert r["Location"] == reverse("screening_entry", args=[entry.pk])
    page = c.get(reverse("screening_reports")).content.decode()
    assert "拆迁补偿标准不一引发不满" in page and "File a nil report (no new risks)" not in page
    r = c.post(reverse("screening_report_file"), {"unit_id": sworld.units["c1"].pk, "day": timezone.localdate().isoformat()})
    assert r.status_code == 302
    report = ScreeningReport.objects.get()
    assert not report.is_nil and list(report.entries.all()) == [entry]


def test_the_form_comes_back_with_each_error(sworld: World) -> None:
    r = _client(sworld, "c1_handler").post(reverse("screening_entry_new"), _form(sworld, people_involved="0", summary=""))
    assert r.status_code == 422
    page = r.content.decode()
    assert "at least 1" in page and "Say what the dispute is about." in page and "入户解释政策" in page
    assert not LedgerEntry.objects.exists()


def test_a_one_click_nil_report(sworld: World) -> None:
    c = _client(sworld, "c1_head")
    page = c.get(reverse("screening_reports")).content.decode()
    assert "File a nil report (no new risks)" in page
    c.post(reverse("screening_report_file"), {"unit_id": sworld.units["c1"].pk, "day": timezone.localdate().isoformat(), "nil": "1"})
    assert ScreeningReport.objects.get().is_nil
    assert "Nil report filed" in c.get(reverse("screening_reports")).content.decode()


def test_a_refused_report_says_why(sworld: World) -> None:
    c = _client(sworld, "c2_handler")
    r = c.post(reverse("screening_report_file"), {"unit_id": sworld.units["c1"].pk, "day": timezone.localdate().isoformat(), "nil": "1"},
               follow=True)
    assert "files its screening report" in r.content.decode()
    assert not ScreeningReport.objects.exists()


def test_the_reports_page_for_a_unit_out_of_reach_is_404(sworld: World) -> None:
    assert _client(sworld, "c1_handler").get(reverse("screening_reports"), {"unit": sworld.units["c2"].pk}).status_code == 404
    assert "None of your units" in _client(sworld, "handler").get(reverse("screening_reports")).content.decode()


def test_the_entry_page_offers_the_moves_the_user_may_make(sworld: World) -> None:
    entry = new_entry(sworld, deadline=timezone.localdate() + timedelta(days=3))
    url = reverse("screening_entry", args=[entry.pk])
    handler_page = _client(sworld, "c1_handler").get(url).content.decode()
    assert reverse("screening_entry_action", args=[entry.pk, "propose"]) in handler_page
    assert reverse("screening_entry_action", args=[entry.pk, "sign_off"]) not in handler_page
    sup_page = _client(sworld, "supervisor").get(url).content.decode()
    assert reverse("screening_entry_action", args=[entry.pk, "propose"]) not in sup_page
    assert _client(sworld, "c2_handler").get(url).status_code == 404


def test_every_action_through_the_page(sworld: World) -> None:
    entry = new_entry(sworld, deadline=timezone.localdate() + timedelta(days=3))
    h, head = _client(sworld, "c1_handler"), _client(sworld, "c1_head")

    def act(c: Client, action: str, data: dict[str, object] | None = None) -> int:
        return c.post(reverse("screening_entry_action", args=[entry.pk, action]), data or {}).status_code

    assert act(h, "start") == 302
    assert act(h, "note", {"text": "已走访"}) == 302
    assert act(h, "link", {"matter_codes": "NOSUCHCODE"}) == 422
    assert act(h, "propose", {"evidence": ""}) == 422
    pdf = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    assert act(h, "propose", {"evidence": "协商会纪要", "file": pdf}) == 302
    assert act(h, "sign_off") == 403
    assert act(head, "reject", {"reason": "缺签字"}) == 302
    assert act(h, "propose", {"evidence": "补签字"}) == 302
    assert act(head, "sign_off") == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.CLOSED
    assert act(h, "nonsense") == 404
    page = h.get(reverse("screening_entry", args=[entry.pk])).content.decode()
    assert "缺签字" in page and "已走访" in page and "纪要.pdf" in page
    f = entry.evidence_files.get()
    assert b"".join(h.get(reverse("screening_evidence", args=[f.pk])).streaming_content) == b"%PDF-1.4 minutes"  # type: ignore[attr-defined]
    assert _client(sworld, "c2_handler").get(reverse("screening_evidence", args=[f.pk])).status_code == 404


def test_escalation_through_the_page(sworld: World) -> None:
    entry = new_entry(sworld, deadline=timezone.localdate() + timedelta(days=3))
    r = _client(sworld, "c1_handler").post(reverse("screening_entry_action", args=[entry.pk, "escalate"]), {"reason": "需街道协调"})
    assert r.status_code == 302
    page = _client(sworld, "street_handler").get(reverse("screening_entry", args=[entry.pk])).content.decode()
    assert "需街道协调" in page and sworld.units["d1_street"].name in page


def test_the_dossier_is_a_pdf(sworld: World) -> None:
    entry = new_entry(sworld)
    r = _client(sworld, "c1_handler").get(reverse("screening_dossier", args=[entry.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert _client(sworld, "d2_head").get(reverse("screening_dossier", args=[entry.pk])).status_code == 404


def test_the_ledger_lists_filters_and_pages(sworld: World) -> None:
    today = timezone.localdate()
    for i in range(51):
        new_entry(sworld, summary=f"隐患{i:02d}", deadline=today + timedelta(days=5))
    late = new_entry(sworld, summary="逾期隐患", deadline=today + timedelta(days=1), risk_level="high")
    LedgerEntry.objects.filter(pk=late.pk).update(deadline=today - timedelta(days=1))
    c = _client(sworld, "street_handler")
    first = c.get(reverse("screening_ledger")).content.decode()
    assert "逾期隐患" in first and "page=2" in first
    overdue = c.get(reverse("screening_ledger"), {"overdue": "1"}).content.decode()
    assert "逾期隐患" in overdue and "隐患00" not in overdue
    assert "逾期隐患" in c.get(reverse("screening_ledger"), {"risk_level": "high"}).content.decode()
    assert "逾期隐患" not in c.get(reverse("screening_ledger"), {"status": "closed"}).content.decode()
    assert "逾期隐患" not in _client(sworld, "d2_head").get(reverse("screening_ledger")).content.decode()


def test_the_boards_render_and_drill_down(sworld: World) -> None:
    entry = new_entry(sworld, deadline=timezone.localdate() + timedelta(days=3))
    now = timezone.now()
    services.propose_resolution(entry.pk, actor=sworld.users["c1_handler"], evidence="协议", now=now)
    services.sign_off(entry.pk, actor=sworld.users["c1_head"], now=now)
    c = _client(sworld, "supervisor")
    levels = c.get(reverse("screening_levels")).content.decode()
    assert "closed=1&level=%E7%A4%BE%E5%8C%BA" in levels and "100%" in levels
    month = timezone.localdate().replace(day=1)
    drill = c.get(reverse("screening_ledger"), {"unit": str(sworld.units["city"].pk), "closed": "1", "level": "社区",
                                                "start": month.isoformat(), "end": timezone.localdate().isoformat()})
    assert entry.summary in drill.content.decode()
    missing = c.get(reverse("screening_missing"), {"unit": sworld.units["d1"].pk}).content.decode()
    assert sworld.units["c2"].name in missing
    rollup = c.get(reverse("screening_rollup"), {"unit": str(sworld.units["city"].pk), "month": timezone.localdate().strftime("%Y-%m")})
    assert rollup.status_code == 200 and sworld.units["c1"].name in rollup.content.decode()
    assert _client(sworld, "c1_handler").get(reverse("screening_missing"), {"unit": sworld.units["d1"].pk}).status_code == 404


def test_recent_reports_are_listed(sworld: World) -> None:
    report = services.file_report(sworld.units["c1"].pk, actor=sworld.users["c1_handler"], day=at(2026, 3, 2).date(),
                                  nil=True, now=at(2026, 3, 2))
    page = _client(sworld, "c1_handler").get(reverse("screening_reports")).content.decode()
    assert "2026-03-02" in page and report.is_nil


def test_a_missing_period_with_entries_is_filed_late_with_them(sworld: World) -> None:
    yesterday = timezone.localtime(timezone.now() - timedelta(days=1))
    entry = new_entry(sworld, day=(yesterday.year, yesterday.month, yesterday.day), deadline=timezone.localdate() + timedelta(days=3))
    c = _client(sworld, "c1_handler")
    page = c.get(reverse("screening_reports")).content.decode()
    assert "File it late" in page
    c.post(reverse("screening_report_file"), {"unit_id": sworld.units["c1"].pk, "day": yesterday.date().isoformat()})
    report = ScreeningReport.objects.get()
    assert report.late and list(report.entries.all()) == [entry]


def test_the_missing_board_shows_who_was_reminded(sworld: World) -> None:
    services.remind_missing(now=timezone.now())
    c = _client(sworld, "supervisor")
    page = c.get(reverse("screening_missing"), {"unit": sworld.units["d1_street"].pk}).content.decode()
    for unit in ("c1", "c2"):
        rows = [r for r in page.split("<tr>") if f"<td>{sworld.units[unit].name}</td>" in r]
        assert rows and all("<td>Yes</td>" in r for r in rows)
    ScreeningReminder.objects.all().delete()
    page = c.get(reverse("screening_missing"), {"unit": sworld.units["d1_street"].pk}).content.decode()
    assert "<td>Yes</td>" not in page


def test_the_ledger_puts_closed_entries_last_and_filters_by_unit(sworld: World) -> None:
    today = timezone.localdate()
    closed = new_entry(sworld, summary="已销号隐患", deadline=today + timedelta(days=1))
    services.propose_resolution(closed.pk, actor=sworld.users["c1_handler"], evidence="协议", now=timezone.now())
    services.sign_off(closed.pk, actor=sworld.users["c1_head"], now=timezone.now())
    new_entry(sworld, summary="社区隐患", deadline=today + timedelta(days=9))
    new_entry(sworld, actor="street_handler", found_by="d1_street", summary="街道隐患", deadline=today + timedelta(days=5))
    c = _client(sworld, "street_head")
    page = c.get(reverse("screening_ledger")).content.decode()
    assert page.index("街道隐患") < page.index("社区隐患") < page.index("已销号隐患")
    only_c1 = c.get(reverse("screening_ledger"), {"unit": str(sworld.units["c1"].pk)}).content.decode()
    assert "社区隐患" in only_c1 and "街道隐患" not in only_c1
    assert c.get(reverse("screening_ledger"), {"unit": str(sworld.units["d2"].pk)}).status_code == 404


PAGES = ["screening_ledger", "screening_entry_new", "screening_reports", "screening_missing", "screening_levels",
         "screening_rollup"]


@pytest.mark.parametrize("user", ["c1_handler", "street_head", "supervisor", "handler", "nobody"])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_for_every_role(sworld: World, name: str, user: str) -> None:
    r = _client(sworld, user).get(reverse(name))
    assert r.status_code == 200 and b"<html" in r.content


# role × relation to the entry's unit: who opens the entry page
@pytest.mark.parametrize(("user", "status"), [
    ("c1_handler", 200), ("c1_head", 200), ("street_handler", 200), ("d1_head", 200), ("supervisor", 200),
    ("c2_handler", 404), ("handler", 404), ("d2_head", 404), ("nobody", 404),
])
def test_who_opens_an_entry(sworld: World, user: str, status: int) -> None:
    entry = new_entry(sworld)
    assert _client(sworld, user).get(reverse("screening_entry", args=[entry.pk])).status_code == status


def test_pages_need_a_login(sworld: World) -> None:
    assert Client().get(reverse("screening_ledger")).status_code == 302
