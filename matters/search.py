"""Full-text search over matters' titles and contents: a positional index of character bigrams.

Chinese has no spaces to split words on, so the index keeps every pair of adjacent Han
characters of a matter with its position, the way CJK search engines do. A query of two or
more Han characters becomes the phrase of its bigrams, each following the one before: that
phrase occurs exactly where the query occurs as a substring, so the index gives the same answer
as a scan. Between two runs of Han characters the positions skip one, so no phrase spans a
punctuation mark. Any other query (one character, Latin letters, digits) scans, as before.

SQLite keeps the bigrams in a contentless FTS5 table (a filler token keeps the skip), PostgreSQL
in a tsvector with a GIN index; both are made by migration 0004 and written by
``index_matters`` whenever a matter is registered. Titles and contents never change after
registration, so there is no update path. No foreign key ties the index to the matters, so that
a flush of the matters does not need it; ids are never reused, so an entry left over matches nothing.
PostgreSQL keeps at most 256 positions of one bigram and none past 16,383: beyond those, in
texts of many thousand characters, a match can be missed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

TABLE = "matters_search"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(f"[{_HAN}]+")
_HAN_ONLY = re.compile(f"^[{_HAN}]{{2,}}$")
_FILLER = "0"  # a token no Han-only query contains


def positioned_bigrams(text: str) -> list[tuple[str, int]]:
    """Each pair of adjacent Han characters with its position; runs are one position apart."""
    out: list[tuple[str, int]] = []
    pos = 1
    for run in _HAN_RUN.findall(text):
        for i in range(len(run) - 1):
            out.append((run[i : i + 2], pos))
            pos += 1
        pos += 1
    return out


def bigrams(text: str) -> list[str]:
    """The bigrams in order, a term's phrase."""
    return [g for g, _pos in positioned_bigrams(text)]


def uses_index(term: str) -> bool:
    return bool(_HAN_ONLY.match(term))


def _fts_text(grams: list[tuple[str, int]]) -> str:
    words: list[str] = []
    for gram, pos in grams:
        while len(words) < pos - 1:
            words.append(_FILLER)
        words.append(gram)
    return " ".join(words)


def _tsvector_text(grams: list[tuple[str, int]]) -> str:
    positions: dict[str, list[int]] = {}
    for gram, pos in grams:
        positions.setdefault(gram, []).append(min(pos, 16383))
    return " ".join(f"'{g}':{','.join(map(str, p[:256]))}" for g, p in positions.items())


def index_matters(rows: Iterable[tuple[int, str, str]]) -> None:
    """Add (id, title, content) rows to the index."""
    indexed = [(pk, positioned_bigrams(f"{title}\n{content}")) for pk, title, content in rows]
    if not indexed:
        return
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.executemany(f"INSERT INTO {TABLE} (matter_id, grams) VALUES (%s, %s::tsvector)",
                            [(pk, _tsvector_text(g)) for pk, g in indexed])
        else:
            cur.executemany(f"INSERT INTO {TABLE} (rowid, grams) VALUES (%s, %s)",
                            [(pk, _fts_text(g)) for pk, g in indexed])


def matching_q(term: str) -> Q:
    """Matters whose title or content contains ``term``, a Han-only term of two or more."""
    grams = bigrams(term)
    if connection.vendor == "postgresql":
        phrase = " <-> ".join(f"'{g}'" for g in grams)
        return Q(pk__in=RawSQL(f"SELECT matter_id FROM {TABLE} WHERE grams @@ %s::tsquery", (phrase,)))
    phrase = '"' + " ".join(grams) + '"'
    return Q(pk__in=RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", (phrase,)))


def create_index_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"CREATE TABLE {TABLE} (matter_id bigint PRIMARY KEY, grams tsvector NOT NULL)",
            f"CREATE INDEX {TABLE}_grams ON {TABLE} USING gin (grams)",
        ]
    # unicode61 splits on the spaces between bigrams and keeps each Han pair as one token.
    return [f"CREATE VIRTUAL TABLE {TABLE} USING fts5(grams, content='', tokenize='unicode61')"]


def drop_index_sql(vendor: str) -> list[str]:
    return [f"DROP TABLE IF EXISTS {TABLE}"]
