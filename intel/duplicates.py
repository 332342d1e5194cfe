"""Duplicate detection at intake (最多访一次): which open or recent matters a new petition repeats.

Text similarity is the Jaccard similarity of two texts' sets of character 3-grams (shingles),
estimated with MinHash and found without a scan by locality-sensitive hashing (LSH) over a side
index in the database:

* Normalisation: title and content joined; every character that is not a letter or digit
  removed (spaces, line breaks, punctuation, the ``*`` of masked data); NFKC (full-width letters
  and digits become ASCII); lower case. Han characters are letters, so they stay. Removing
  punctuation makes re-posts that differ only in spacing or punctuation identical.
* Shingles: every run of 3 adjacent characters of that string (a string of 1 or 2 characters is
  one shingle). Chinese has no spaces; character bigrams are so common in unrelated petitions
  (``小区``, ``要求``) that their background similarity is high, while 4-grams lose too much to
  a one-character edit (each edit changes up to k shingles). Each shingle is its three code
  points packed into 63 bits (exact: no two shingles share an id), then mixed by splitmix64.
* MinHash: 128 hash functions h_i(x) = (a_i * x + b_i) mod 2**64 over the mixed shingle ids,
  keeping the top 32 bits of the minimum: the signature is 128 uint32, 512 bytes. a_i, b_i are
  splitmix64 of fixed constants, so every machine and database computes the same signatures.
  The fraction of equal positions of two signatures estimates their Jaccard similarity
  (standard error sqrt(J(1-J)/128): 0.035 at J = 0.8).
* LSH: 32 bands of 4 positions each. A matter is a candidate when one band of its signature
  equals the query's: probability 1 - (1 - J**4)**32, i.e. 0.23 at J = 0.3, 0.87 at J = 0.5,
  0.99 at J = 0.6 and more than 0.9999 at J >= 0.8. Each band is stored as one row
  (bucket, matter_id) with bucket = band << 56 | 56 bits of a hash of the band, so a query is one
  indexed ``bucket IN (32 values)`` lookup, whatever the size of the index.

``likely_duplicates`` adds the same petitioner (by the keyed phone and ID hashes, never by name)
and keeps only matters that are open or were registered or closed in the last
``WINDOW_DAYS`` (180) days, never merged ones; there the similarity is verified exactly on the
texts, which it reads anyway.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from django.db import connection, transaction
from django.db.models import Q

from .models import DuplicateBand, DuplicateSignature

if TYPE_CHECKING:
    from matters.models import Matter

K = 3  # characters per shingle
PERMUTATIONS = 128
BANDS = 32
ROWS = PERMUTATIONS // BANDS  # 4 signature positions per band
DEFAULT_THRESHOLD = 0.5
WINDOW_DAYS = 180  # a closed matter counts while it was registered or closed this recently
MAX_CANDIDATES = 1000  # matters scored per query at most, those sharing the most bands first
EMPTY = np.uint32(0xFFFFFFFF)  # every position of the signature of a text with no shingles

Signature = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]

_STRIP = re.compile(r"[\W_]+")


def _splitmix64(x: U64) -> U64:
    """The splitmix64 finaliser, elementwise (a bijection on 64 bits; uint64 arithmetic wraps)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


_PARAMS = _splitmix64(np.arange(1, 2 * PERMUTATIONS + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))
_A = _PARAMS[0::2] | np.uint64(1)  # odd multipliers
_B = _PARAMS[1::2]
_BAND_SEEDS = _splitmix64(np.arange(BANDS, dtype=np.uint64) + np.uint64(0x5DEECE66D))
_A_COL = _A[:, None]
_B_COL = _B[:, None]


def normalise(text: str) -> str:
    """Letters and digits only, NFKC, lower case (punctuation goes first: NFKC is slow on long text)."""
    s = _STRIP.sub("", text)
    if not unicodedata.is_normalized("NFKC", s):
        s = _STRIP.sub("", unicodedata.normalize("NFKC", s))
    return s.lower()


def _text(title: str, content: str) -> str:
    return f"{title}\n{content}"


def _shingles(text: str) -> U64:
    """The mixed 64-bit ids of the shingles of ``text``, in text order, repeats included."""
    s = normalise(text)
    if not s:
        return np.empty(0, dtype=np.uint64)
    cp = np.frombuffer(s.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    # Code points are < 2**21: three fit in 63 bits, one id per distinct 3-gram (and a text of one
    # or two characters, its own shingle, packs the same way below any 3-gram).
    if len(cp) < K:
        ids = np.array([(int(cp[0]) << 21) | (int(cp[1]) if len(cp) > 1 else 0)], dtype=np.uint64)
    else:
        ids = (cp[:-2] << np.uint64(42)) | (cp[1:-1] << np.uint64(21)) | cp[2:]
    return _splitmix64(ids)


def shingle_ids(text: str) -> U64:
    """The distinct shingles of ``text``, as mixed 64-bit ids (sorted)."""
    return np.unique(_shingles(text))


def signature(text: str) -> Signature:
    """The MinHash signature of one text: 128 uint32; all 0xFFFFFFFF when it has no letters or digits."""
    ids = _shingles(text)
    if not len(ids):
        return np.full(PERMUTATIONS, EMPTY, dtype=np.uint32)
    h = _A_COL * ids  # (128, shingles); uint64 arithmetic wraps, which is the mod 2**64
    h += _B_COL
    # The top 32 bits of the minimum are the minimum of the top 32 bits.
    return (h.min(axis=1) >> np.uint64(32)).astype(np.uint32)


def signatures(texts: Iterable[str]) -> npt.NDArray[np.uint32]:
    """MinHash signatures of many texts, shape (n, 128)."""
    sigs = [signature(t) for t in texts]
    return np.stack(sigs) if sigs else np.empty((0, PERMUTATIONS), dtype=np.uint32)


def is_empty(sig: Signature) -> bool:
    return bool((sig == EMPTY).all())


def estimated_jaccard(a: Signature, b: Signature) -> float:
    """The fraction of equal signature positions: the MinHash estimate of the shingles' Jaccard."""
    if is_empty(a) or is_empty(b):
        return 0.0
    return float(np.count_nonzero(a == b)) / PERMUTATIONS


def exact_jaccard(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' shingle sets, computed exactly."""
    return _jaccard(shingle_ids(a), shingle_ids(b))


def _jaccard(x: U64, y: U64) -> float:
    if not len(x) or not len(y):
        return 0.0
    inter = len(np.intersect1d(x, y, assume_unique=True))
    return inter / (len(x) + len(y) - inter)


def band_buckets(sigs: npt.NDArray[np.uint32]) -> npt.NDArray[np.int64]:
    """The 32 bucket keys of each signature, shape (n, 32) (or (32,) for one signature):
    band << 56 | the top 56 bits of a hash of the band's 4 positions; non-negative, fits a bigint."""
    one = sigs.ndim == 1
    s = np.atleast_2d(sigs).astype(np.uint64).reshape(-1, BANDS, ROWS)
    h = np.broadcast_to(_BAND_SEEDS, s.shape[:2]).copy()
    for r in range(0, ROWS, 2):  # two uint32 positions per 64-bit word
        h = _splitmix64(h ^ ((s[:, :, r] << np.uint64(32)) | s[:, :, r + 1]))
    keys = (np.arange(BANDS, dtype=np.uint64) << np.uint64(56)) | (h >> np.uint64(8))
    keys = keys.astype(np.int64)
    return keys[0] if one else keys


def _to_bytes(sig: Signature) -> bytes:
    return sig.astype("<u4").tobytes()


def _from_bytes(value: bytes | memoryview) -> Signature:
    return np.frombuffer(bytes(value), dtype="<u4").astype(np.uint32)


def _table(model: type[DuplicateBand] | type[DuplicateSignature]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def store_signatures(ids: Sequence[int], sigs: npt.NDArray[np.uint32]) -> None:
    """Write precomputed signatures and their buckets (what ``index_matters`` does after hashing).

    Idempotent: a matter already indexed with the same signature is left alone; one indexed with
    another (its text was changed) has its old buckets removed first."""
    if not len(ids):
        return
    by_id = {int(pk): sig for pk, sig in zip(ids, sigs, strict=True)}
    existing = {pk: _from_bytes(b) for pk, b in
                DuplicateSignature.objects.filter(matter_id__in=list(by_id)).values_list("matter_id", "signature")}
    stale = [pk for pk, old in existing.items() if not np.array_equal(old, by_id[pk])]
    new = [pk for pk in by_id if pk not in existing]
    if not stale and not new:
        return
    with transaction.atomic():
        if stale:
            _delete_bands({pk: existing[pk] for pk in stale})
            DuplicateSignature.objects.filter(matter_id__in=stale).delete()
        write = stale + new
        banded = [pk for pk in write if not is_empty(by_id[pk])]
        keys = band_buckets(np.stack([by_id[pk] for pk in banded])) if banded else np.empty((0, BANDS), np.int64)
        band_rows = [(int(b), pk) for pk, row in zip(banded, keys.tolist(), strict=True) for b in row]
        with connection.cursor() as cur:
            cur.executemany(f"INSERT INTO {_table(DuplicateSignature)} (matter_id, signature) VALUES (%s, %s)",
                            [(pk, _to_bytes(by_id[pk])) for pk in write])
            cur.executemany(f"INSERT INTO {_table(DuplicateBand)} (bucket, matter_id) VALUES (%s, %s) "
                            "ON CONFLICT DO NOTHING", band_rows)


def _delete_bands(sigs: dict[int, Signature]) -> None:
    rows = [(int(b), pk) for pk, sig in sigs.items() if not is_empty(sig) for b in band_buckets(sig)]
    with connection.cursor() as cur:
        cur.executemany(f"DELETE FROM {_table(DuplicateBand)} WHERE bucket = %s AND matter_id = %s", rows)


def index_matters(rows: Iterable[tuple[int, str, str]]) -> None:
    """Add (id, title, content) rows to the index; call it when a matter is registered."""
    rows = list(rows)
    if rows:
        store_signatures([pk for pk, _t, _c in rows], signatures([_text(t, c) for _pk, t, c in rows]))


def remove_matters(ids: Iterable[int]) -> None:
    """Take matters out of the index (their buckets are found again from their signatures)."""
    ids = list(ids)
    sigs = {pk: _from_bytes(b) for pk, b in
            DuplicateSignature.objects.filter(matter_id__in=ids).values_list("matter_id", "signature")}
    with transaction.atomic():
        _delete_bands(sigs)
        DuplicateSignature.objects.filter(matter_id__in=ids).delete()


def candidates(sig: Signature, *, exclude_id: int | None = None, max_candidates: int = MAX_CANDIDATES) -> list[int]:
    """Ids of matters sharing at least one band bucket with ``sig``, most shared buckets first."""
    if is_empty(sig):
        return []
    keys = [int(b) for b in band_buckets(sig)]
    params: list[int] = [*keys]
    not_self = ""
    if exclude_id is not None:
        not_self = " AND matter_id <> %s"
        params.append(exclude_id)
    params.append(max_candidates)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT matter_id FROM {_table(DuplicateBand)} WHERE bucket IN ({', '.join(['%s'] * len(keys))})"
            f"{not_self} GROUP BY matter_id ORDER BY COUNT(*) DESC, matter_id LIMIT %s", params)
        return [row[0] for row in cur.fetchall()]


def similar_to_signature(sig: Signature, *, exclude_id: int | None = None, limit: int | None = 5,
                         threshold: float = DEFAULT_THRESHOLD) -> list[tuple[int, float]]:
    """(matter_id, estimated Jaccard) of indexed matters at or above ``threshold``, best first
    (ties by id); ``limit`` None for all."""
    ids = candidates(sig, exclude_id=exclude_id)
    if not ids:
        return []
    found = list(DuplicateSignature.objects.filter(matter_id__in=ids).values_list("matter_id", "signature"))
    if not found:
        return []
    mat = np.frombuffer(b"".join(bytes(b) for _pk, b in found), dtype="<u4").reshape(len(found), PERMUTATIONS)
    scores = np.count_nonzero(mat == sig, axis=1) / PERMUTATIONS
    ranked = sorted(((int(pk), float(sc)) for (pk, _b), sc in zip(found, scores, strict=True)
                     if sc >= threshold), key=lambda r: (-r[1], r[0]))
    return ranked if limit is None else ranked[:limit]


def similar_matters(title: str, content: str, *, exclude_id: int | None = None, limit: int = 5,
                    threshold: float = DEFAULT_THRESHOLD) -> list[tuple[int, float]]:
    """Indexed matters whose text is similar to this title and content: (matter_id, estimated Jaccard),
    best first, at most ``limit``, none below ``threshold``."""
    return similar_to_signature(signature(_text(title, content)), exclude_id=exclude_id, limit=limit,
                                threshold=threshold)


@dataclass(frozen=True)
class LikelyDuplicate:
    matter: Matter
    same_petitioner: bool
    similarity: float | None  # exact Jaccard of the texts' shingles, when similar

    @property
    def reasons(self) -> tuple[str, ...]:
        out = ("same petitioner",) if self.same_petitioner else ()
        return out + ((f"similar text {self.similarity:.2f}",) if self.similarity is not None else ())

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def live_q(now: datetime, window_days: int = WINDOW_DAYS) -> Q:
    """Open matters, and matters registered or closed in the last ``window_days``; never merged ones."""
    from matters.lifecycle import OPEN_STATES, State

    since = now - timedelta(days=window_days)
    return (Q(state__in=OPEN_STATES) | Q(registered_at__gte=since) | Q(closed_at__gte=since)) & ~Q(state=State.MERGED)


def likely_duplicates(title: str, content: str, *, phone_hash: str = "", id_hash: str = "", now: datetime,
                      exclude_id: int | None = None, limit: int = 10,
                      threshold: float = DEFAULT_THRESHOLD) -> list[LikelyDuplicate]:
    """Open or recent matters a new petition may repeat: the same petitioner's (same keyed phone or ID
    hash) and those with similar text (MinHash candidates, verified on the texts: exact Jaccard
    >= ``threshold``). Those with both reasons first, then by similarity, then newest."""
    from matters.models import Matter
    from matters.repeats import same_petitioner_ids

    live = Matter.objects.filter(live_q(now))
    if exclude_id is not None:
        live = live.exclude(pk=exclude_id)
    text = _text(title, content)
    found: dict[int, LikelyDuplicate] = {}
    # Estimates a little under the threshold are verified too: the estimate errs both ways.
    # The best few estimates are verified, not every candidate: a text re-posted hundreds of times
    # would otherwise cost a shingling of each copy on every page view.
    near = similar_to_signature(signature(text), exclude_id=exclude_id, limit=max(limit * 3, 20),
                                threshold=max(threshold - 0.1, 0.0))
    if near:
        mine = shingle_ids(text)
        for m in live.filter(pk__in=[pk for pk, _s in near]):
            sim = _jaccard(mine, shingle_ids(_text(m.title, m.content)))
            if sim >= threshold:
                found[m.pk] = LikelyDuplicate(m, False, round(sim, 4))
    same = same_petitioner_ids(phone_hash, id_hash)
    if same:
        for m in live.filter(petitioner_id__in=same).order_by("-registered_at", "-pk")[:limit]:
            prev = found.get(m.pk)
            found[m.pk] = LikelyDuplicate(m, True, prev.similarity if prev else None)
    ranked = sorted(found.values(), key=lambda d: (-len(d.reasons), -(d.similarity or 0.0),
                                                   -d.matter.registered_at.timestamp(), -d.matter.pk))
    return ranked[:limit]
