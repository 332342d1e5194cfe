import time

def test_blank(browser, screenshot_dir):
    t = time.time()
    ctx = browser.new_context()
    p = ctx.new_page()
    p.goto("about:blank")
    p.set_content("<html><body style='font-size:40px'>信访事项 Xinfang 受理</body></html>")
    p.screenshot(path=str(screenshot_dir / "throwaway.png"))
    print("version", browser.version, time.time() - t)
    ctx.close()


def test_live(phone_page, live_server):
    from django.contrib.auth import get_user_model
    get_user_model().objects.count()  # ORM in the playwright thread
    resp = phone_page.goto("/static/nonexistent.css")
    print("status", resp.status, phone_page.url, phone_page.viewport_size)
    assert phone_page.evaluate("window.innerWidth") == 360


def test_fail_screenshot(browser_page):
    browser_page.set_content("<h1>failing</h1>")
    assert False
