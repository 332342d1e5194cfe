"""Production mode (XINFANG_ENV=production): `manage.py check --deploy` is clean, and the switch refuses
unsafe configurations instead of starting with them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from xinfang.settings import _production_settings

BASE_DIR = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3J9-vQ2pXr7LmZ0aT5wYc8bN1sD4fG6hJ-uE0iO9pK2lM7nB3vC5xZ8qW1eR4tY"
PRODUCTION_ENV = {
    "XINFANG_SECRET_KEY": STRONG_KEY,
    "XINFANG_ALLOWED_HOSTS": "xinfang.example.gov.cn",
    "XINFANG_CSRF_TRUSTED_ORIGINS": "https://xinfang.example.gov.cn",
}


@pytest.fixture(autouse=True)
def _no_browser_test_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    # tests_browser sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright in the same process; a production
    # server never has it, and the deploy check (async.E001) rightly refuses it.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)


def test_deploy_checks_pass_with_production_settings() -> None:
    with override_settings(**_production_settings(PRODUCTION_ENV)):
        call_command("check", "--deploy", "--fail-level", "WARNING")


def test_deploy_checks_name_what_is_unsafe_when_the_ssl_redirect_is_off() -> None:
    # The local `make prod` turns the redirect off (no TLS on 127.0.0.1); the deploy check says so.
    env = {**PRODUCTION_ENV, "XINFANG_SSL_REDIRECT": "0"}
    with override_settings(**_production_settings(env)), pytest.raises(SystemCheckError, match=r"security\.W008"):
        call_command("check", "--deploy", "--fail-level", "WARNING")


def test_production_settings_are_the_secure_ones() -> None:
    values = _production_settings(PRODUCTION_ENV)
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["xinfang.example.gov.cn"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://xinfang.example.gov.cn"]
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    # One cache for all worker processes, so a rate limit counts every worker's requests.
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({**PRODUCTION_ENV, "XINFANG_SECRET_KEY": "insecure-demo-key-change-me"}, "XINFANG_SECRET_KEY"),
        ({**PRODUCTION_ENV, "XINFANG_SECRET_KEY": "short"}, "XINFANG_SECRET_KEY"),
        ({**PRODUCTION_ENV, "XINFANG_ALLOWED_HOSTS": ""}, "XINFANG_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_with_a_weak_key_or_no_hosts(env: dict[str, str], message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        _production_settings(env)


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "XINFANG_ENV": "production", "XINFANG_DB": "postgres", **PRODUCTION_ENV, **env}
    full_env.pop("XINFANG_PG_REPLICA_HOST", None)
    full_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_manage_py_check_deploy_is_clean_in_production_mode() -> None:
    # The real settings module, as `XINFANG_ENV=production manage.py check --deploy` loads it.
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_mode_refuses_sqlite() -> None:
    result = _manage("check", XINFANG_DB="sqlite")
    assert result.returncode != 0
    assert "XINFANG_DB=postgres" in result.stderr
