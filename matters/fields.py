from __future__ import annotations

from typing import Any

from django.db import models

from .personal_data import decrypt, encrypt


class EncryptedTextField(models.TextField):
    """Text stored encrypted (Fernet); the Python value is the clear text."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str:
        return decrypt(value) if value else ""

    def get_prep_value(self, value: Any) -> str:
        return encrypt(str(value)) if value else ""
