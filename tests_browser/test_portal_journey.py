"""A petitioner on a phone: guide → petition → track → (the unit replies) → rate → ask for review."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from matters import services as ms
from matters.lifecycle import State
from matters.models import Matter
from portal.models import Rating
from xinfang.testing import World

pytestmark = pytest.mark.browser


def test_petition_from_the_guide_to_a_review_request(phone_page: Page, world: World, screenshot_dir: Path) -> None:
    page = phone_page
    page.goto("/portal/")
    expect(page.get_by_role("heading", name="您要反映的事情属于哪一类？")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "portal-home-phone.png"), full_page=True)
    page.get_by_role("link", name=re.compile("住房、物业")).click()
    page.get_by_role("link", name=re.compile("信访|petition", re.I)).last.click()

    page.fill("input[name=title]", "小区路灯不亮")
    page.fill("textarea[name=content]", "幸福小区东门路灯坏了两个月，晚上出行不便，请求修复。")
    page.fill("input[name=petitioner_name]", "李四")
    page.fill("input[name=petitioner_phone]", "13900001234")
    page.screenshot(path=str(screenshot_dir / "portal-submit-phone.png"), full_page=True)
    page.locator("form.portal-form button[type=submit]").click()

    code_text = page.locator(".query-code").inner_text()
    matter = Matter.objects.get()
    assert code_text.replace(" ", "").replace("-", "") == matter.query_code
    page.screenshot(path=str(screenshot_dir / "portal-submitted-phone.png"), full_page=True)

    # A new visit: track with the code and the phone's last four digits.
    page.context.clear_cookies()
    page.goto("/portal/track")
    page.fill("input[name=code]", code_text)
    page.fill("input[name=phone_last4]", "1234")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("小区路灯不亮")

    now = timezone.now()
    ms.forward_matter(matter.pk, actor=world.users["reviewer"], now=now, to_unit_id=world.units["d1_housing"].pk)
    ms.accept_matter(matter.pk, actor=world.users["handler"], now=now)
    ms.reply_matter(matter.pk, actor=world.users["handler"], now=now, text="经核查，路灯已于本周修复。")
    page.reload()
    expect(page.get_by_text("经核查，路灯已于本周修复。")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "portal-replied-phone.png"), full_page=True)
    documents = page.locator("#documents a")
    expect(documents).to_have_text(["转送告知书", "受理告知书", "信访事项答复意见书"])
    pdf = page.request.get(documents.last.get_attribute("href") or "")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")

    page.locator("#rate label").nth(1).click()
    page.locator("#rate button[type=submit]").click()
    expect(page.locator("#rate")).to_have_count(0)
    assert Rating.objects.get(matter=matter).level == "basically"

    page.locator("#review textarea").fill("路灯修了又坏")
    page.locator("#review button[type=submit]").click()
    matter.refresh_from_db()
    assert matter.state == State.REVIEW_REQUESTED
    page.screenshot(path=str(screenshot_dir / "portal-review-phone.png"), full_page=True)
