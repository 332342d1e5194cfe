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
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
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
PORTAL_TRACK_FAILURES_RATE = os.environ.get("XINFANG_PORTAL_TRACK_RATE", "5/10m")
PORTAL_SUBMIT_RATE = os.environ.get("XINFANG_PORTAL_SUBMIT_RATE", "10/h")

# Official documents are rendered with this font, embedded in the PDF (Debian's fonts-noto-cjk,
# which make demo and make test install). Index 2 of the collection is Simplified Chinese.
DOCUMENT_FONT = os.environ.get("XINFANG_DOCUMENT_FONT", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
DOCUMENT_FONT_INDEX = int(os.environ.get("XINFANG_DOCUMENT_FONT_INDEX", "2"))

# Messages to petitioners leave through this gateway class; the demo's writes them to a file.
NOTIFY_GATEWAY = os.environ.get("XINFANG_NOTIFY_GATEWAY", "notify.gateways.FileGateway")
NOTIFY_FILE = Path(os.environ.get("XINFANG_NOTIFY_FILE", str(VAR_DIR / "outbox.jsonl")))
