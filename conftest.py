"""Repo-wide pytest configuration.

The test environment (temp XINFANG_VAR_DIR, fixed test keys, DB choice) is set by the early plugin
scripts/xinfang_pytest_env.py, not here: pytest-django loads the settings before any conftest.py
is imported. Test-only key constants: `from scripts.xinfang_pytest_env import TEST_DATA_KEY, ...`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # Guard: refuse to run if the settings were loaded without the test environment.
    from django.conf import settings

    _let_test_flush_pass_the_audit_guard()

    var_dir = getattr(settings, "VAR_DIR", None)
    expected = os.environ.get("XINFANG_VAR_DIR", "")
    if var_dir is not None and Path(var_dir).resolve() != Path(expected).resolve():
        raise pytest.UsageError(
            f"settings.VAR_DIR is {var_dir}, not the test temp dir {expected!r}: "
            "was scripts.xinfang_pytest_env loaded (-p in pyproject addopts)?"
        )
    # PBKDF2's 1M iterations cost ~0.5 s per create_user/login here; tests don't need real hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    where = db["NAME"] if "sqlite" in db["ENGINE"] else f"{db.get('HOST')}:{db.get('PORT')}/{db['NAME']}"
    return f"xinfang: db={db['ENGINE'].rsplit('.', 1)[-1]} ({where}), var={os.environ.get('XINFANG_VAR_DIR')}"


def _let_test_flush_pass_the_audit_guard() -> None:
    """Transactional and live-server tests end by flushing every table; the event table refuses
    that at the database. Lift the guard inside the flush only and put it back in the same
    statement batch. Production never flushes."""
    from django.db import connection
    from django.db.backends.base.operations import BaseDatabaseOperations

    from audit.triggers import install_sql, remove_sql

    ops_class = type(connection.ops)
    original = ops_class.sql_flush

    def sql_flush(self: BaseDatabaseOperations, style, tables, *args, **kwargs):  # noqa: ANN001
        statements = original(self, style, tables, *args, **kwargs)
        if "audit_event" not in tables:
            return statements
        vendor = self.connection.vendor
        return [*remove_sql(vendor), *statements, *install_sql(vendor)]

    ops_class.sql_flush = sql_flush  # type: ignore[method-assign]
