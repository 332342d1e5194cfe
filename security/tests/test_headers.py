"""Security headers and cookies on a staff page, a portal page and the API."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import runpy
from pathlib import Path
from typing import cast
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client

from xinfang.testing import World

pytestmark = pytest.mark.django_db


def csp_of(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


def assert_hardened(response) -> None:
    csp = csp_of(response)
    assert csp["default-src"] == "default-src 'self'"
    scripts = csp["script-src"].split()[1:]
    assert scripts[0] == "'self'"
    # No inline scripts, eval or other origins: only named hashes of inline handlers.
    assert all(s in ("'self'", "'unsafe-hashes'") or s.startswith("'sha256-") for s in scripts), scripts
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert csp["object-src"] == "object-src 'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_staff_page(world: World) -> None:
    client = Client()
    client.force_login(world.users["registrar"])
    response = client.get("/")
    assert response.status_code == 200
    assert_hardened(response)


def test_login_page_cookies_are_http_only_and_same_site(db: None) -> None:
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert_hardened(response)
    csrf = response.cookies["csrftoken"]
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"


def test_session_cookie(world: World) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": "handler", "password": "pw-handler"})
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_portal_page(db: None) -> None:
    response = Client().get("/portal/")
    assert response.status_code == 200
    assert_hardened(response)


def test_api(world: World) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert_hardened(response)
    assert Client().get("/api/v1/matters").status_code == 401


@pytest.mark.parametrize(("debug", "secure"), [("0", True), ("1", False)])
def test_secure_cookies_outside_debug(debug: str, secure: bool) -> None:
    """Production (DEBUG off) sends the session and CSRF cookies over HTTPS only."""
    env = {k: v for k, v in os.environ.items() if k != "XINFANG_SECURE_COOKIES"} | {"XINFANG_DEBUG": debug}
    with mock.patch.dict(os.environ, env, clear=True):
        values = runpy.run_path(str(Path(settings.BASE_DIR) / "xinfang" / "settings.py"))
    assert values["SESSION_COOKIE_SECURE"] is secure
    assert values["CSRF_COOKIE_SECURE"] is secure


def test_every_inline_handler_in_the_templates_is_allowed_by_the_policy() -> None:
    directives = cast(dict[str, list[str]], settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    allowed = set(directives["script-src"])
    root = Path(settings.BASE_DIR) / "templates"
    blocked = set()
    for template in root.rglob("*.html"):
        for handler in re.findall(r'\son[a-z]+="([^"]*)"', template.read_text(encoding="utf-8")):
            digest = base64.b64encode(hashlib.sha256(handler.encode()).digest()).decode()
            if f"'sha256-{digest}'" not in allowed:
                blocked.add(str(template.relative_to(root)))
        assert "<script>" not in template.read_text(encoding="utf-8"), f"inline script in {template}"
    assert blocked == set()  # a handler carrying data belongs in static/js/app.js
