"""Playwright fixtures: Debian's headless Chromium against pytest-django's live_server.

No pytest-playwright and no `playwright install`: the browser is /usr/bin/chromium from apt
(override with XINFANG_CHROMIUM). Every test in tests_browser/ is marked `browser`.

Fixtures:
- browser_page: desktop page (1280x800), base_url = live_server.url, so page.goto("/login/") works
- phone_page:   phone-sized page (360x740, touch, mobile viewport meta honoured)
- screenshot_dir: <repo>/test-artifacts/screenshots (gitignored); a failing test that used a page
  also leaves <test name>.png there.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from documents.default_templates import create_default_templates
from documents.models import DocumentTemplate
from portal.default_guide import create_default_guide
from portal.models import GuideNode
from xinfang.testing import World, build_world

# Playwright's sync API keeps an asyncio loop running in this thread; without this Django refuses
# ORM calls from test code (SynchronousOnlyOperation). The live server runs in its own thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("XINFANG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
DEFAULT_TIMEOUT_MS = 15_000
_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees every collected item, not only ours: mark just the ones under this dir.
    for item in items:
        if _HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_failed_key] = report.failed
    return report


_failed_key = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def _playwright() -> Iterator[Playwright]:
    if not (os.path.isfile(CHROMIUM) or shutil.which(CHROMIUM)):
        msg = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright: Playwright) -> Iterator[Browser]:
    b = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield b
    b.close()


@pytest.fixture(scope="session")
def screenshot_dir(pytestconfig: pytest.Config) -> Path:
    d = pytestconfig.rootpath / "test-artifacts" / "screenshots"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _page(
    request: pytest.FixtureRequest, browser: Browser, base_url: str, screenshot_dir: Path, **ctx: Any
) -> Iterator[Page]:
    context: BrowserContext = browser.new_context(
        base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", **ctx
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        if request.node.stash.get(_failed_key, False):
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
            try:
                page.screenshot(path=str(screenshot_dir / f"FAILED-{name}.png"), full_page=True)
            except Exception:  # noqa: BLE001 - best effort only
                pass
        context.close()


@pytest.fixture
def browser_page(
    request: pytest.FixtureRequest, browser: Browser, live_server: Any, screenshot_dir: Path
) -> Iterator[Page]:
    yield from _page(
        request, browser, live_server.url, screenshot_dir, viewport={"width": 1280, "height": 800}
    )


@pytest.fixture
def phone_page(
    request: pytest.FixtureRequest, browser: Browser, live_server: Any, screenshot_dir: Path
) -> Iterator[Page]:
    yield from _page(
        request,
        browser,
        live_server.url,
        screenshot_dir,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )


@pytest.fixture
def world(transactional_db: None) -> World:
    """The test organisation, committed: the live server runs in another thread, so the data must
    not stay in a test transaction. The rows the migrations ship (legal-route guide, document
    templates) are put back first, as an earlier transactional test's flush removed them."""
    create_default_guide(GuideNode)
    create_default_templates(DocumentTemplate)
    return build_world()
