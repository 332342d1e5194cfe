"""Settings of the django-helpdesk bench project: only what django-helpdesk 2.6 needs, DEBUG off.

The database is chosen like Xinfang's (``XINFANG_DB=sqlite|postgres``) with the same SQLite options
(WAL, synchronous=NORMAL) and the same PostgreSQL connection variables; the PostgreSQL database is
``HELPDESK_PG_NAME`` (``scripts/bench_helpdesk.sh`` creates it in the throwaway cluster).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

VAR_DIR = Path(os.environ.get("HELPDESK_VAR_DIR", "/tmp/helpdesk-bench"))
SECRET_KEY = "bench-only-not-secret"  # noqa: S105 - a throwaway benchmark project
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "helpdesk",
]
SITE_ID = 1
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "bench.helpdesk.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    if os.environ.get("XINFANG_DB", "sqlite") == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("HELPDESK_SQLITE_PATH", str(VAR_DIR / "helpdesk.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("HELPDESK_PG_NAME", "helpdesk"),
        "USER": os.environ.get("XINFANG_PG_USER", "postgres"),
        "PASSWORD": os.environ.get("XINFANG_PG_PASSWORD", ""),
        "HOST": os.environ.get("XINFANG_PG_HOST", "127.0.0.1"),
        "PORT": os.environ.get("XINFANG_PG_PORT", "5432"),
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LANGUAGE_CODE = "en"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
MEDIA_ROOT = str(VAR_DIR / "media")
LOGIN_URL = "/login/"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# django-helpdesk: no teams (pinax-teams is an optional extra); everything else as shipped.
HELPDESK_TEAMS_MODE_ENABLED = False
