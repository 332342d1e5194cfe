"""Settings come from the environment; defaults suit the embedded SQLite demo."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("XINFANG_VAR_DIR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("XINFANG_SECRET_KEY", "insecure-demo-key-change-me")
DEBUG = _env_bool("XINFANG_DEBUG", True)
ALLOWED_HOSTS = os.environ.get("XINFANG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "org",
    "audit",
    "deadlines",
    "matters",
    "portal",
    "documents",
    "notify",
    "supervision",
    "intel",
    "indicators",
    "screening",
    "suggestions",
    "hearings",
    "exchange",
    "security",
    "joint",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "xinfang.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]
WSGI_APPLICATION = "xinfang.wsgi.application"


def _database() -> dict:
    url = os.environ.get("XINFANG_DB", "sqlite")
    if url == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("XINFANG_SQLITE_PATH", str(VAR_DIR / "xinfang.sqlite3")),
            # IMMEDIATE makes every transaction take the write lock up front, so two writers
            # never both read the audit chain head and then collide on commit.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # Reads through a memory map (up to SQLite's 2 GB cap) and a 64 MB page cache per
                # connection, not 2 MB: the reports' index lookups into a large matters table stay
                # in memory. On the 1,000,000-matter bench database: unit dashboard 759-820 ms ->
                # 550 ms p50, city figures 1.6-1.9 s -> 1.1-1.2 s, back to back in one process.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                                "PRAGMA mmap_size=2147418112; PRAGMA cache_size=-65536;",
            },
            # Tests use a file too, not shared-cache memory: then they see the locking of production
            # (WAL, IMMEDIATE, the busy timeout), and concurrent tests mean something.
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("XINFANG_PG_NAME", "xinfang"),
        "USER": os.environ.get("XINFANG_PG_USER", "postgres"),
        "PASSWORD": os.environ.get("XINFANG_PG_PASSWORD", ""),
        "HOST": os.environ.get("XINFANG_PG_HOST", "127.0.0.1"),
        "PORT": os.environ.get("XINFANG_PG_PORT", "5432"),
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "queue"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

# Personal data keys: comma-separated Fernet keys (first encrypts, all decrypt, so keys rotate),
# and a separate key for the keyed lookup hash so rotation never breaks phone/ID search.
XINFANG_KEY_FILE = Path(os.environ.get("XINFANG_KEY_FILE", VAR_DIR / "keys.env"))

ATTACHMENT_MAX_BYTES = int(os.environ.get("XINFANG_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
# A 10 MB attachment is about 13.4 MB once base64-encoded in a JSON body.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("XINFANG_UPLOAD_MAX_BYTES", 16 * 1024 * 1024))
ATTACHMENT_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "audio/mpeg": ".mp3",
    "audio/wav": ".wav",
    "text/plain": ".txt",
}

# The portal's per-IP limits (django-ratelimit) count in the default cache. Local memory is one
# process's memory: enough for the demo's single server; several workers need a shared cache
# (Redis or Memcached) here.
RATELIMIT_USE_CACHE = "default"
# django-ninja's throttles would otherwise key on a client-sent X-Forwarded-For, so a made-up
# address per request would dodge them; like the other limits they key on REMOTE_ADDR, which a
# proxy in front must set (security/throttle.py).
NINJA_NUM_PROXIES = 0
PORTAL_TRACK_FAILURES_RATE = os.environ.get("XINFANG_PORTAL_TRACK_RATE", "5/10m")
PORTAL_SUBMIT_RATE = os.environ.get("XINFANG_PORTAL_SUBMIT_RATE", "10/h")
OPEN311_READ_RATE = os.environ.get("XINFANG_OPEN311_READ_RATE", "120/m")  # per connection
OPEN311_CREATE_RATE = os.environ.get("XINFANG_OPEN311_CREATE_RATE", "60/m")  # per client key

# Official documents are rendered with this font, embedded in the PDF (Debian's fonts-noto-cjk,
# which make demo and make test install). Index 2 of the collection is Simplified Chinese.
DOCUMENT_FONT = os.environ.get("XINFANG_DOCUMENT_FONT", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
DOCUMENT_FONT_INDEX = int(os.environ.get("XINFANG_DOCUMENT_FONT_INDEX", "2"))

# Messages to petitioners leave through this gateway class; the demo's writes them to a file.
NOTIFY_GATEWAY = os.environ.get("XINFANG_NOTIFY_GATEWAY", "notify.gateways.FileGateway")
NOTIFY_FILE = Path(os.environ.get("XINFANG_NOTIFY_FILE", str(VAR_DIR / "outbox.jsonl")))
# The sender of e-mail to petitioners; its domain is also the domain of each message's Message-ID,
# the key by which the mail system drops a repeated hand-over.
DEFAULT_FROM_EMAIL = os.environ.get("XINFANG_FROM_EMAIL", "信访事项办理平台 <noreply@xinfang.localhost>")

# --- security headers and login throttling ---
# Failed logins are counted per username and per address by this backend (limits in the admin
# under Login policy); the middleware answers a locked login with a page that says so.
AUTHENTICATION_BACKENDS = ["security.backends.ThrottledModelBackend"]
MIDDLEWARE = [*MIDDLEWARE, "csp.middleware.CSPMiddleware", "security.middleware.LoginThrottleMiddleware"]
# Only our own origin. Styles also allow 'unsafe-inline': templates carry style="" attributes and
# htmx injects its indicator style; scripts do not (htmx is vendored under static/).
CONTENT_SECURITY_POLICY = {
    # The API docs pages (Swagger UI) load their script from a CDN; they carry no personal data.
    "EXCLUDE_URL_PREFIXES": ["/api/v1/docs", "/open311/v2/docs"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # Two inline handlers in templates (screening/reports.html, hearings/document.html) are
        # allowed by their hashes; the one in matters/_routing_suggestion.html carries a unit id,
        # cannot be hashed, and waits to move into static/js/app.js.
        "script-src": ["'self'", "'unsafe-hashes'",
                       "'sha256-osjxnKEPL/pQJbFk1dKsF7PYFmTyMWGmVSiL9inhxJY='",  # this.form.submit()
                       "'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='"],  # window.print()
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The CSRF token reaches htmx through the page (hx-headers in base.html), never from the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Secure cookies need HTTPS: on unless DEBUG (the demo serves plain HTTP on 127.0.0.1).
SESSION_COOKIE_SECURE = _env_bool("XINFANG_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# --- end security headers and login throttling ---

# --- production (XINFANG_ENV=production) ---
# Production mode and the reporting replica (issue 10; `make prod`, docs/SCALE.md). Owned by one
# block: `_production_settings` is a pure function of the environment, so the deploy-check test
# (xinfang/tests/test_production.py) applies exactly these values with override_settings.
XINFANG_ENV = os.environ.get("XINFANG_ENV", "development")


def _production_settings(env: "os._Environ[str] | dict[str, str]") -> dict:
    from django.core.exceptions import ImproperlyConfigured

    def flag(name: str, default: bool) -> bool:
        return env.get(name, str(default)).lower() in {"1", "true", "yes", "on"}

    def items(name: str) -> list[str]:
        return [part.strip() for part in env.get(name, "").split(",") if part.strip()]

    secret = env.get("XINFANG_SECRET_KEY", "")
    if len(secret) < 50 or len(set(secret)) < 5 or secret == "insecure-demo-key-change-me":
        raise ImproperlyConfigured("XINFANG_ENV=production needs XINFANG_SECRET_KEY: 50+ random characters")
    hosts = items("XINFANG_ALLOWED_HOSTS")
    if not hosts:
        raise ImproperlyConfigured("XINFANG_ENV=production needs XINFANG_ALLOWED_HOSTS (comma-separated)")
    return {
        "DEBUG": False,
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": hosts,
        # Origins as scheme://host[:port], e.g. https://xinfang.example.gov.cn
        "CSRF_TRUSTED_ORIGINS": items("XINFANG_CSRF_TRUSTED_ORIGINS"),
        # Browsers keep Secure cookies on http://127.0.0.1 and http://localhost too (loopback counts as secure).
        "SESSION_COOKIE_SECURE": flag("XINFANG_SECURE_COOKIES", True),
        "CSRF_COOKIE_SECURE": flag("XINFANG_SECURE_COOKIES", True),
        # Off only where no TLS terminates in front (make prod on 127.0.0.1).
        "SECURE_SSL_REDIRECT": flag("XINFANG_SSL_REDIRECT", True),
        # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients).
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https") if flag("XINFANG_BEHIND_PROXY", False) else None,
        "SECURE_HSTS_SECONDS": int(env.get("XINFANG_HSTS_SECONDS", str(365 * 24 * 3600))),
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": flag("XINFANG_HSTS_SUBDOMAINS", True),
        "SECURE_HSTS_PRELOAD": flag("XINFANG_HSTS_PRELOAD", True),
        # Shared by every worker process (django-ratelimit's counters, cached fragments): a table
        # made by `manage.py createcachetable`. Its increments are get-then-set, not atomic: under
        # a race a limit can let a few extra requests through (Redis/Memcached would be exact).
        "CACHES": {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "xinfang_cache",
                "OPTIONS": {"MAX_ENTRIES": 100_000},
            }
        },
        # Hashed, pre-compressed files from collectstatic; WhiteNoise serves them with far-future caching.
        "STORAGES": {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        "WHITENOISE_USE_FINDERS": False,
        # With DEBUG off Django logs nothing to the console by default: errors go to stderr here.
        "LOGGING": {
            "version": 1,
            "disable_existing_loggers": False,
            "handlers": {"console": {"class": "logging.StreamHandler"}},
            "root": {"handlers": ["console"], "level": env.get("XINFANG_LOG_LEVEL", "WARNING")},
        },
    }


if XINFANG_ENV == "production":
    globals().update(_production_settings(os.environ))
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("XINFANG_ENV=production runs on PostgreSQL: set XINFANG_DB=postgres")
    # Persistent connections per worker, checked before reuse.
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("XINFANG_PG_CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Reports read from a streaming replica when one is configured (xinfang/db_router.py).
if os.environ.get("XINFANG_PG_REPLICA_HOST") and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["replica"] = {
        **DATABASES["default"],
        "HOST": os.environ["XINFANG_PG_REPLICA_HOST"],
        "PORT": os.environ.get("XINFANG_PG_REPLICA_PORT", DATABASES["default"]["PORT"]),
        # Tests: the replica replays the primary's test database, so it only needs that name.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["xinfang.db_router.ReportingRouter"]
    MIDDLEWARE = [*MIDDLEWARE, "xinfang.db_router.ReportingMiddleware"]
# --- end production ---
