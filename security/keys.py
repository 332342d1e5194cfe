"""Rotating the personal-data keys: every encrypted column re-encrypted with the first key.

An administrator puts a new key first in XINFANG_DATA_KEYS (keeping the old ones after it),
restarts the servers, runs ``manage.py rotate_data_keys``, and may then drop the old keys."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction

from audit.services import record_event
from matters.fields import EncryptedTextField


def configured_keys() -> list[Fernet]:
    """The data keys as configured now (environment first, else the key file), first one first."""
    raw = os.environ.get("XINFANG_DATA_KEYS", "")
    if not raw:
        path = Path(settings.XINFANG_KEY_FILE)
        lines = path.read_text().splitlines() if path.exists() else []
        raw = next((line.split("=", 1)[1] for line in lines if line.startswith("XINFANG_DATA_KEYS=")), "")
    keys = [Fernet(k.strip().encode()) for k in raw.split(",") if k.strip()]
    if not keys:
        raise ImproperlyConfigured("XINFANG_DATA_KEYS is not set")
    return keys


def encrypted_columns() -> Iterator[tuple[type[models.Model], list[str]]]:
    """Every model with encrypted fields, and the columns of those fields."""
    for model in apps.get_models():
        columns = [f.column for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if columns and not model._meta.proxy:
            yield model, columns


@dataclass
class Progress:
    model: str
    seen: int
    total: int
    rewritten: int


def rotate_model(model: type[models.Model], columns: list[str], *, now: datetime, batch_size: int = 500,
                 report: Callable[[Progress], None] | None = None) -> int:
    """Re-encrypt this model's encrypted columns with the first key, one locked batch per
    transaction; values already under the first key are left alone, so a second run rewrites
    nothing. The number of values rewritten."""
    keys = configured_keys()
    first, every = keys[0], MultiFernet(keys)
    qn = connection.ops.quote_name
    table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
    cols = ", ".join(qn(c) for c in columns)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    label = model._meta.label
    total = model._default_manager.count()
    last, seen, rewritten = None, 0, 0
    while True:
        with transaction.atomic():
            with connection.cursor() as cur:
                where = f"WHERE {pk} > %s " if last is not None else ""
                cur.execute(f"SELECT {pk}, {cols} FROM {table} {where}ORDER BY {pk} LIMIT %s{lock}",
                            [last, batch_size] if last is not None else [batch_size])
                rows = cur.fetchall()
                if not rows:
                    break
                changed = 0
                for row in rows:
                    updates = {}
                    for column, token in zip(columns, row[1:], strict=True):
                        if not token:
                            continue
                        try:
                            first.decrypt(token.encode())
                        except InvalidToken:
                            updates[column] = every.rotate(token.encode()).decode()
                    if updates:
                        sets = ", ".join(f"{qn(c)} = %s" for c in updates)
                        cur.execute(f"UPDATE {table} SET {sets} WHERE {pk} = %s", [*updates.values(), row[0]])
                        changed += len(updates)
                if changed:
                    record_event("rotate_data_keys", actor_label="rotate_data_keys",
                                 after={"model": label, "from_id": row_id(rows[0]), "to_id": row_id(rows[-1]),
                                        "values": changed}, at=now)
            last = rows[-1][0]
            seen += len(rows)
            rewritten += changed
            if report:
                report(Progress(label, seen, total, rewritten))
    return rewritten


def row_id(row: tuple) -> int:
    return int(row[0])
