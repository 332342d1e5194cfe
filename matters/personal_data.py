"""Encryption at rest, keyed lookup hashes and masking of personal data (§3, §12).

Keys come from the environment (``XINFANG_DATA_KEYS``: comma-separated Fernet keys, the first
encrypts and all decrypt so keys can rotate; ``XINFANG_LOOKUP_KEY``: the HMAC key for search),
or from the key file that ``manage.py ensure_keys`` writes for the demo.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _read_key_file(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {k.strip(): v.strip() for k, v in pairs}


@lru_cache(maxsize=1)
def _keys() -> tuple[MultiFernet, bytes]:
    from_file = _read_key_file(Path(settings.XINFANG_KEY_FILE))
    data_keys = os.environ.get("XINFANG_DATA_KEYS") or from_file.get("XINFANG_DATA_KEYS")
    lookup_key = os.environ.get("XINFANG_LOOKUP_KEY") or from_file.get("XINFANG_LOOKUP_KEY")
    if not data_keys or not lookup_key:
        raise ImproperlyConfigured(
            "Personal-data keys are missing: set XINFANG_DATA_KEYS and XINFANG_LOOKUP_KEY "
            f"or run `manage.py ensure_keys` to create {settings.XINFANG_KEY_FILE}."
        )
    fernet = MultiFernet([Fernet(k.strip().encode()) for k in data_keys.split(",") if k.strip()])
    return fernet, lookup_key.encode()


def new_key_file_text() -> str:
    lookup = Fernet.generate_key().decode()
    return f"XINFANG_DATA_KEYS={Fernet.generate_key().decode()}\nXINFANG_LOOKUP_KEY={lookup}\n"


def encrypt(value: str) -> str:
    return _keys()[0].encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    return _keys()[0].decrypt(token.encode()).decode() if token else ""


def normalise_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


def normalise_id_number(value: str) -> str:
    return re.sub(r"\s", "", value).upper()


def lookup_hash(value: str) -> str:
    """Keyed hash for exact search: equal inputs match, the hash reveals nothing without the key."""
    if not value:
        return ""
    return hmac.new(_keys()[1], value.encode(), hashlib.sha256).hexdigest()


def mask_name(name: str) -> str:
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_phone(phone: str) -> str:
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_email(email: str) -> str:
    """z***@example.com: enough to recognise one's own address, not to write to it."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "*" * len(email)


def mask_id_number(number: str) -> str:
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# Order matters: ID numbers and mobiles before the looser landline pattern eats their digits.
_FREE_TEXT_PII = re.compile(
    r"(?P<id>(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z]))"
    r"|(?P<mobile>(?<!\d)1[3-9]\d{9}(?!\d))"
    r"|(?P<landline>(?<!\d)(?:0\d{2,3}-)?\d{7,8}(?!\d))"
    rf"|(?P<plate>[{_PROVINCES}][A-Z][A-Z0-9]{{4,5}}[A-Z0-9挂学警]?(?![A-Za-z0-9]))"
)


def _mask_match(m: re.Match[str]) -> str:
    value = m.group()
    if m.lastgroup == "id":
        return mask_id_number(value)
    if m.lastgroup == "mobile":
        return mask_phone(value)
    if m.lastgroup == "landline":
        area, dash, local = value.rpartition("-")
        return f"{area}{dash}{'*' * (len(local) - 2)}{local[-2:]}"
    return value[:2] + "*" * (len(value) - 3) + value[-1]


def mask_text(text: str) -> str:
    """Free text (imported work orders, replies) with the phone, ID and plate numbers in it masked,
    for lists, exports and public pages; the matter page shows the text whole to those who may see it."""
    return _FREE_TEXT_PII.sub(_mask_match, text) if text else ""
