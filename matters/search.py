"""Full-text search over matters' titles and contents: an index of character bigrams.

Chinese has no spaces to split words on, so the index keeps every pair of adjacent Han
characters of a matter, the way CJK search engines do. A query of two or more Han characters
becomes its bigrams; the matters holding all of them are the candidates, and the substring test
(``LIKE``) then runs on those candidates only, so the answer is exactly what a scan would give.
Any other query (one character, Latin letters, digits) scans, as before.

SQLite keeps the bigrams in a contentless FTS5 table, PostgreSQL in a ``text[]`` column with a
GIN index; both are made by migration 0004 and written by ``index_matters`` whenever a matter is
registered. Titles and contents never change after registration, so there is no update path.
No foreign key ties the index to the matters (a flush of the matters must not need it): an entry
left over can only add a candidate, which the substring test then drops.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

TABLE = "matters_search"
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HAN_ONLY = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}$")


def bigrams(text: str) -> list[str]:
    """The distinct pairs of adjacent Han characters, in order of first appearance."""
    seen: dict[str, None] = {}
    for run in _HAN_RUN.findall(text):
        for i in range(len(run) - 1):
            seen.setdefault(run[i : i + 2], None)
    return list(seen)


def uses_index(term: str) -> bool:
    return bool(_HAN_ONLY.match(term))


def index_matters(rows: Iterable[tuple[int, str, str]]) -> None:
    """Add (id, title, content) rows to the index."""
    params = [(pk, bigrams(f"{title}\n{content}")) for pk, title, content in rows]
    if not params:
        return
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.executemany(f"INSERT INTO {TABLE} (matter_id, grams) VALUES (%s, %s)", params)
        else:
            cur.executemany(
                f"INSERT INTO {TABLE} (rowid, grams) VALUES (%s, %s)", [(pk, " ".join(g)) for pk, g in params]
            )


def candidates_q(term: str) -> Q:
    """Matters whose index holds every bigram of ``term`` (a Han-only term of two or more)."""
    grams = bigrams(term)
    if connection.vendor == "postgresql":
        sql = f"SELECT matter_id FROM {TABLE} WHERE grams @> %s::text[]"
        return Q(pk__in=RawSQL(sql, (grams,)))
    match = " ".join(f'"{g}"' for g in grams)
    return Q(pk__in=RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", (match,)))


def create_index_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"CREATE TABLE {TABLE} (matter_id bigint PRIMARY KEY, grams text[] NOT NULL)",
            f"CREATE INDEX {TABLE}_grams ON {TABLE} USING gin (grams)",
        ]
    # unicode61 splits on the spaces between bigrams and keeps each Han pair as one token.
    return [f"CREATE VIRTUAL TABLE {TABLE} USING fts5(grams, content='', tokenize='unicode61')"]


def drop_index_sql(vendor: str) -> list[str]:
    return [f"DROP TABLE IF EXISTS {TABLE}"]
