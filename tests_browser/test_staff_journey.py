"""A registrar registers a matter; the handling unit's handler accepts and replies; the timeline shows it all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from matters.models import Matter
from xinfang.testing import World

pytestmark = pytest.mark.browser


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-" + username)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".user-name")).to_have_text(username)


def log_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()


def take(page: Page, action_label: str, fill: dict[str, str] | None = None) -> None:
    """Open an action's dialog from the action panel, fill it and confirm."""
    page.locator(".action-buttons").get_by_role("link", name=action_label, exact=True).click()
    dialog = page.locator(".modal-host form.action-form")
    expect(dialog).to_be_visible()
    for selector, value in (fill or {}).items():
        dialog.locator(selector).fill(value)
    dialog.get_by_role("button", name=re.compile("^确认")).click()
    expect(page.locator(".alert-success")).to_contain_text(f"已完成：{action_label}")


def test_register_accept_reply(browser_page: Page, world: World, screenshot_dir: Path) -> None:
    page = browser_page

    # The registrar registers the matter straight into the district housing bureau.
    log_in(page, "registrar")
    page.get_by_role("link", name="登记", exact=True).click()
    expect(page.get_by_role("heading", name="登记信访事项")).to_be_visible()
    page.select_option("select[name=channel]", "visit")
    page.fill("input[name=title]", "小区电梯长期故障无人维修")
    page.fill("textarea[name=content]", "幸福小区3幢电梯自八月起多次停运，请求督促物业维修。")
    page.select_option("select[name=handling_unit]", str(world.units["d1_housing"].pk))
    page.fill("input[name=petitioner_name]", "张三丰")
    page.fill("input[name=petitioner_phone]", "13812345678")
    page.get_by_role("button", name="登记", exact=True).click()

    message = page.locator(".alert-success")
    expect(message).to_contain_text("事项已登记")
    matter = Matter.objects.get()
    code = f"{matter.query_code[:5]}-{matter.query_code[5:]}"
    expect(message).to_contain_text(code)
    expect(page.locator(".state-lg")).to_have_text("已登记")
    expect(page.locator("#petitioner")).to_contain_text("张**")  # masked until asked for
    # The registrar may not accept for the housing bureau.
    expect(page.locator(".action-buttons").get_by_role("link", name="受理", exact=True)).to_have_count(0)
    log_out(page)

    # The handler finds it in the queue, accepts it and replies.
    log_in(page, "handler")
    row = page.locator("tbody tr", has_text="小区电梯长期故障无人维修")
    expect(row).to_contain_text(code)
    expect(row.locator(".badge")).to_have_class(re.compile("badge-on_time"))
    row.get_by_role("link", name="小区电梯长期故障无人维修").click()

    take(page, "受理")
    expect(page.locator(".state-lg")).to_have_text("已受理")
    expect(page.locator("#deadlines")).to_contain_text("书面答复")

    take(
        page,
        "书面答复",
        {"textarea[name=text]": "经查，已责成物业于本月底前完成维修。如不服，可在30日内申请复查。"},
    )
    expect(page.locator(".state-lg")).to_have_text("已答复")
    expect(page.locator(".prose").last).to_contain_text("已责成物业")

    timeline = page.locator("#timeline .tl-verb")
    expect(timeline).to_have_text(["登记", "受理", "发出文书", "书面答复", "发出文书"])
    page.screenshot(path=str(screenshot_dir / "staff_journey_replied.png"), full_page=True)

    matter.refresh_from_db()
    assert matter.state == "replied"
    assert matter.reply_text.startswith("经查")
