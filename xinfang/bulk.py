"""Inserting many rows with one prepared statement per batch.

``bulk_create`` composes the SQL of every value of every row, which dominates a 100k-row import;
here the statement is built once per batch size and only the values are prepared. Model
``save()``, signals and ``auto_now`` do not run, as with ``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models

# Fields whose Python value is already what the driver takes; every other field is prepared by
# Django (dates, JSON, encrypted text...). Exact types: a subclass may prepare differently.
_AS_IS = frozenset({models.CharField, models.TextField, models.SlugField, models.IntegerField, models.BigIntegerField,
                    models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField,
                    models.BooleanField, models.FloatField, models.ForeignKey, models.OneToOneField})

# SQLite since 3.32 allows 32,766 parameters; Django's feature flag still says 999.
_MAX_PARAMS = {"sqlite": 32_000, "postgresql": 60_000}


def insert_values(model: type[models.Model], rows: Sequence[Mapping[str, Any]], *, returning: bool = False,
                  prepared: frozenset[str] = frozenset()) -> list[Any]:
    """Insert rows given as {attname: value} (every concrete field but the id); returns the new ids
    when asked. Columns named in ``prepared`` are written as they are."""
    if not rows:
        return []
    conn = connections[DEFAULT_DB_ALIAS]
    fields = _fields(model)
    quote = conn.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    pk = model._meta.pk
    assert pk is not None
    per_batch = max(1, _MAX_PARAMS.get(conn.vendor, 30_000) // len(fields))
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    preps = [(f.attname, None if f.attname in prepared or type(f) in _AS_IS else f.get_db_prep_save) for f in fields]
    ids: list[Any] = []
    with conn.cursor() as cur:
        for start in range(0, len(rows), per_batch):
            batch = rows[start:start + per_batch]
            params = [row[name] if prep is None else prep(row[name], conn) for row in batch for name, prep in preps]
            sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {', '.join([one_row] * len(batch))}"
            if returning:
                cur.execute(f"{sql} RETURNING {quote(pk.column)}", params)
                ids += [r[0] for r in cur.fetchall()]
            else:
                cur.execute(sql, params)
    return ids


def _fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]
