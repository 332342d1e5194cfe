"""``python -m bench.duplicates``: quality and latency of duplicate detection (intel.duplicates).

1. Quality: every message of teddy2020 hotspot_messages.csv and replies.csv (subject as title, text
   as content) is indexed with ``index_matters``; each is then queried with ``similar_matters``
   (itself excluded). Ground truth is the exact Jaccard of the same character-3-gram sets over all
   pairs (a sparse product, no sampling): near duplicates are the pairs with J >= 0.8; hard
   negatives are pairs whose subjects are near-identical (3-gram Jaccard of the subjects >= 0.5)
   but whose texts are not (J < 0.3). Precision and recall are printed for several thresholds,
   for the estimate alone (``similar_matters``) and verified on the texts as ``likely_duplicates``
   does (estimate >= t - 0.1, exact >= t).
2. Latency: the index is filled with synthetic matters up to each size (cumulative): a window of one
   data text, part of another appended, 2-15 % of the characters edited; signatures and buckets are
   bulk-inserted. Then ``similar_matters`` is timed per query (half synthetic near copies, half data
   texts), p50/p95, against a naive scan in the same run: all signatures read from the database and
   compared in numpy, and (a lower bound) the same scan on a matrix already in memory.

It makes its own temp SQLite file (settings from the environment, set before Django starts), removed
afterwards, and refuses a database that has tables. ``--use-env-db`` runs on the database the
environment names instead (e.g. the throwaway PostgreSQL of scripts/pg_cluster.sh), still only if empty.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from time import perf_counter

import numpy as np

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "teddy2020"
THRESHOLDS = (0.5, 0.6, 0.7, 0.8)
SYNTH_BASE_ID = 10_000_000  # synthetic ids start here; data rows are 1..n


def say(line: str = "") -> None:
    print(line, flush=True)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.duplicates", description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--sizes", default="100000", help="index sizes to time at, cumulative (default: %(default)s)")
    p.add_argument("--queries", type=int, default=400, help="timed queries per size (default: %(default)s)")
    p.add_argument("--naive-reps", type=int, default=5, help="runs of the naive database scan (default: %(default)s)")
    p.add_argument("--workers", type=int, default=2, help="processes computing synthetic signatures (default: %(default)s)")
    p.add_argument("--threshold", type=float, default=0.5, help="similar_matters threshold timed (default: %(default)s)")
    p.add_argument("--data", type=Path, default=DATA, help="the teddy2020 folder (default: %(default)s)")
    p.add_argument("--seed", type=int, default=20240501)
    p.add_argument("--no-eval", action="store_true", help="skip the precision/recall part")
    p.add_argument("--use-env-db", action="store_true", help="use the database the environment names (must be empty)")
    p.add_argument("--keep-db", action="store_true", help="keep the temp SQLite file and print its path")
    args = p.parse_args(argv)
    try:
        args.size_list = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        p.error("--sizes takes comma-separated integers")
    return args


def setup(args: argparse.Namespace) -> str | None:
    tmp = None
    if not args.use_env_db:
        tmp = tempfile.mkdtemp(prefix="xinfang-bench-dup-")
        os.environ.update({
            "XINFANG_DB": "sqlite", "XINFANG_VAR_DIR": tmp, "XINFANG_SQLITE_PATH": os.path.join(tmp, "bench.sqlite3"),
            "XINFANG_KEY_FILE": os.path.join(tmp, "keys.env"),
        })
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
    os.environ.setdefault("XINFANG_DEBUG", "0")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.introspection.table_names():
        raise SystemExit(f"bench.duplicates needs an empty database and {connection.settings_dict['NAME']} has tables")
    call_command("ensure_keys", stdout=io.StringIO())
    call_command("migrate", interactive=False, verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA cache_size = -262144")  # 256 MB page cache for the bulk load
    return tmp


def load_rows(folder: Path) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for name in ("hotspot_messages.csv", "replies.csv"):
        with (folder / name).open(encoding="utf-8", newline="") as f:
            rows.extend((r["subject"], r["text"]) for r in csv.DictReader(f))
    return rows


def pcts(ms: list[float]) -> tuple[float, float]:
    s = sorted(ms)
    return s[len(s) // 2], s[min(len(s) - 1, int(len(s) * 0.95))]


# -- quality -----------------------------------------------------------------------------------

def exact_pairs(sets: list[np.ndarray], min_j: float) -> dict[tuple[int, int], float]:
    """All pairs (i < j) of documents with exact Jaccard >= min_j, by a sparse product."""
    from scipy import sparse

    vocab, inverse = np.unique(np.concatenate(sets), return_inverse=True)
    lens = np.array([len(s) for s in sets])
    rows = np.repeat(np.arange(len(sets)), lens)
    x = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, inverse)), shape=(len(sets), len(vocab)))
    inter = sparse.triu(x @ x.T, k=1).tocoo()
    j = inter.data / (lens[inter.row] + lens[inter.col] - inter.data)
    keep = j >= min_j
    return {(int(a), int(b)): float(v) for a, b, v in zip(inter.row[keep], inter.col[keep], j[keep], strict=True)}


def evaluate(rows: list[tuple[str, str]]) -> None:
    from intel import duplicates as d

    say(f"\n== quality: {len(rows):,} data messages (hotspot_messages.csv + replies.csv)")
    t0 = perf_counter()
    d.index_matters((i + 1, t, c) for i, (t, c) in enumerate(rows))
    say(f"indexed in {perf_counter() - t0:.1f} s")
    texts = [f"{t}\n{c}" for t, c in rows]
    sets = [d.shingle_ids(x) for x in texts]
    t0 = perf_counter()
    truth = exact_pairs(sets, 0.3)  # every pair at J >= 0.3, exactly
    say(f"exact Jaccard of all {len(rows) * (len(rows) - 1) // 2:,} pairs in {perf_counter() - t0:.1f} s: "
        f"{sum(v >= 0.8 for v in truth.values()):,} pairs at J >= 0.8 (near duplicates), "
        f"{sum(v >= 0.5 for v in truth.values()):,} at J >= 0.5, {len(truth):,} at J >= 0.3")
    subj = exact_pairs([d.shingle_ids(t) for t, _c in rows], 0.5)
    hard = {p for p in subj if truth.get(p, 0.0) < 0.3}
    say(f"hard negatives (subjects' 3-gram J >= 0.5, texts' J < 0.3): {len(hard):,} pairs")

    def jac(p: tuple[int, int]) -> float:
        if p in truth:
            return truth[p]
        return d.exact_jaccard(texts[p[0]], texts[p[1]])

    t0 = perf_counter()
    found: dict[tuple[int, int], float] = {}
    for i, (t, c) in enumerate(rows):
        for pk, est in d.similar_matters(t, c, exclude_id=i + 1, limit=1000, threshold=0.4):
            found[(min(i, pk - 1), max(i, pk - 1))] = est
    ms = (perf_counter() - t0) / len(rows) * 1000
    say(f"similar_matters over every message: {ms:.2f} ms per query on {len(rows):,} indexed")
    gt8 = {p for p, v in truth.items() if v >= 0.8}
    say("")
    say("| threshold | method | returned pairs | precision (J ≥ 0.8) | precision (J ≥ t) | recall (J ≥ 0.8) | recall (J ≥ t) | hard negatives returned |")
    say("|--:|:--|--:|--:|--:|--:|--:|--:|")
    for thr in THRESHOLDS:
        gtt = {p for p, v in truth.items() if v >= thr}
        by_est = {p for p, e in found.items() if e >= thr}
        verified = {p for p, e in found.items() if e >= thr - 0.1 and jac(p) >= thr}
        for name, got in (("estimate (similar_matters)", by_est), ("verified (likely_duplicates)", verified)):
            if not got:
                say(f"| {thr:.1f} | {name} | 0 | – | – | 0 | 0 | 0 |")
                continue
            say(f"| {thr:.1f} | {name} | {len(got):,} | {len(got & gt8) / len(got):.3f} | "
                f"{sum(jac(p) >= thr for p in got) / len(got):.3f} | {len(got & gt8) / len(gt8):.4f} | "
                f"{len(got & gtt) / len(gtt):.4f} | {len(got & hard)} |")
    missed = sorted(gt8 - {p for p, e in found.items() if e >= 0.5})
    say(f"\nnear duplicates (J >= 0.8) missed at 0.5: {len(missed)}"
        + (": " + ", ".join(f"{a + 1}-{b + 1} (J {truth[(a, b)]:.2f})" for a, b in missed[:10]) if missed else ""))


# -- latency -------------------------------------------------------------------------------------

_BASE: list[tuple[str, str]] = []
_CHARS = ""


def synth_text(rng: random.Random) -> tuple[str, str]:
    title, a = _BASE[rng.randrange(len(_BASE))]
    _t2, b = _BASE[rng.randrange(len(_BASE))]
    start = rng.randrange(max(1, len(a) // 4))
    a = a[start:start + max(20, int(len(a) * rng.uniform(0.5, 1.0)))]
    text = list(a + b[: int(len(b) * rng.uniform(0.0, 0.5))])
    for _ in range(int(len(text) * rng.uniform(0.02, 0.15))):
        k = rng.randrange(len(text) or 1)
        op = rng.random()
        if op < 0.5 and text:
            text[k] = rng.choice(_CHARS)
        elif op < 0.75:
            text.insert(k, rng.choice(_CHARS))
        elif text:
            del text[k]
    return title, "".join(text)


def _sign_chunk(job: tuple[int, int, int]) -> np.ndarray:
    from intel import duplicates as d

    start, count, seed = job
    rng = random.Random(seed * 1_000_003 + start)
    return d.signatures([f"{t}\n{c}" for t, c in (synth_text(rng) for _ in range(count))])


def fill(start: int, count: int, seed: int, workers: int) -> tuple[float, float]:
    """Bulk-insert ``count`` synthetic signatures and their buckets from id SYNTH_BASE_ID + start."""
    import multiprocessing as mp

    from django.db import connection, transaction

    from intel import duplicates as d
    from intel.models import DuplicateBand, DuplicateSignature

    step = 2000
    jobs = [(start + i, min(step, count - i), seed) for i in range(0, count, step)]
    t0 = perf_counter()
    sign_s = 0.0
    sig_sql = f"INSERT INTO {connection.ops.quote_name(DuplicateSignature._meta.db_table)} (matter_id, signature) VALUES (%s, %s)"
    band_sql = f"INSERT INTO {connection.ops.quote_name(DuplicateBand._meta.db_table)} (bucket, matter_id) VALUES (%s, %s) ON CONFLICT DO NOTHING"
    with mp.get_context("fork").Pool(workers) as pool:
        done = 0
        batch: list[tuple[int, np.ndarray]] = []
        t_sign = perf_counter()
        for (s, _n, _seed), sigs in zip(jobs, pool.imap(_sign_chunk, jobs), strict=True):
            batch.append((s, sigs))
            done += len(sigs)
            if sum(len(b) for _s, b in batch) >= 50_000 or done == count:
                sign_s += perf_counter() - t_sign
                ids = np.concatenate([np.arange(s, s + len(b)) for s, b in batch]) + SYNTH_BASE_ID
                mat = np.concatenate([b for _s, b in batch])
                keys = d.band_buckets(mat)
                nonempty = ~(mat == d.EMPTY).all(axis=1)
                bk = keys[nonempty].ravel()
                bm = np.repeat(ids[nonempty], d.BANDS)
                order = np.argsort(bk, kind="stable")  # sorted keys: the index grows at fewer places
                with transaction.atomic(), connection.cursor() as cur:
                    cur.executemany(sig_sql, list(zip(ids.tolist(), (r.astype("<u4").tobytes() for r in mat), strict=True)))
                    cur.executemany(band_sql, list(zip(bk[order].tolist(), bm[order].tolist(), strict=True)))
                batch = []
                say(f"  {start + done:>9,} synthetic  {done / (perf_counter() - t0):7.0f}/s")
                t_sign = perf_counter()
    return perf_counter() - t0, sign_s


def time_queries(queries: list[tuple[str, str]], threshold: float) -> tuple[list[float], list[list[tuple[int, float]]], list[int]]:
    from intel import duplicates as d

    ms, results, cands = [], [], []
    for t, c in queries:
        t0 = perf_counter()
        res = d.similar_matters(t, c, threshold=threshold)
        ms.append((perf_counter() - t0) * 1000)
        results.append(res)
        cands.append(len(d.candidates(d.signature(f"{t}\n{c}"))))
    return ms, results, cands


def naive_db_scan(sig: np.ndarray, threshold: float, limit: int = 5) -> list[tuple[int, float]]:
    from intel.models import DuplicateSignature

    rows = list(DuplicateSignature.objects.values_list("matter_id", "signature").iterator(chunk_size=20_000))
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    mat = np.frombuffer(b"".join(bytes(r[1]) for r in rows), dtype="<u4").reshape(len(rows), -1)
    return _top(ids, mat, sig, threshold, limit)


def _top(ids: np.ndarray, mat: np.ndarray, sig: np.ndarray, threshold: float, limit: int) -> list[tuple[int, float]]:
    scores = np.count_nonzero(mat == sig, axis=1) / mat.shape[1]
    if (sig == 0xFFFFFFFF).all():
        return []
    hit = np.flatnonzero(scores >= threshold)
    ranked = sorted(((int(ids[i]), float(scores[i])) for i in hit), key=lambda r: (-r[1], r[0]))
    return ranked[:limit]


def measure(size: int, queries: list[tuple[str, str]], args: argparse.Namespace) -> list[str]:
    from django.db import connection

    from intel import duplicates as d
    from intel.models import DuplicateSignature

    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("ANALYZE")
        else:
            cur.execute("VACUUM ANALYZE")
    d.similar_matters(*queries[0])  # warm
    ms, results, cands = time_queries(queries, args.threshold)
    p50, p95 = pcts(ms)
    # Naive scan in the database: a few queries (each reads every signature).
    naive_ms, agree, n_naive = [], 0, 0
    for t, c in queries[: args.naive_reps]:
        t0 = perf_counter()
        naive_db_scan(d.signature(f"{t}\n{c}"), args.threshold)
        naive_ms.append((perf_counter() - t0) * 1000)
    # The in-memory scan: all queries, and how many of its matches the index found too.
    t0 = perf_counter()
    rows = list(DuplicateSignature.objects.values_list("matter_id", "signature").iterator(chunk_size=20_000))
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    mat = np.frombuffer(b"".join(bytes(r[1]) for r in rows), dtype="<u4").reshape(len(rows), -1)
    load_s = perf_counter() - t0
    del rows
    mem_ms: list[float] = []
    missed: list[float] = []
    for (t, c), res in zip(queries, results, strict=True):
        t0 = perf_counter()
        sig = d.signature(f"{t}\n{c}")
        want = _top(ids, mat, sig, args.threshold, 10**9)
        mem_ms.append((perf_counter() - t0) * 1000)
        top = dict(want[:5])
        n_naive += len(top)
        got = {pk for pk, _s in res}
        agree += len(top.keys() & got)
        missed.extend(sc for pk, sc in top.items() if pk not in got)
    n50, n95 = pcts(naive_ms)
    m50, m95 = pcts(mem_ms)
    c50, c95 = pcts([float(c) for c in cands])
    db_mb = ""
    if connection.vendor == "sqlite":
        db_mb = f"{os.path.getsize(connection.settings_dict['NAME']) / 2**20:,.0f} MB"
    lines = [
        f"| {size:,} | similar_matters (LSH index) | {len(ms)} | {p50:.2f} | {p95:.2f} | 1.0× | candidates p50 {c50:.0f}, p95 {c95:.0f} |",
        f"| {size:,} | naive scan: read all signatures from DB + numpy | {len(naive_ms)} | {n50:.1f} | {n95:.1f} | "
        f"{n50 / p50:,.0f}× | |",
        f"| {size:,} | naive scan: in-memory matrix (load {load_s:.1f} s not counted) | {len(mem_ms)} | {m50:.2f} | {m95:.2f} | "
        f"{m50 / p50:,.1f}× | |",
    ]
    say("\n".join(lines))
    say(f"index found {agree:,} of the naive scan's {n_naive:,} top-5 matches at >= {args.threshold} "
        f"({agree / max(n_naive, 1):.4f}); the scan's scores of those missed: "
        f"{', '.join(f'{x:.2f}' for x in sorted(missed, reverse=True)[:12]) or 'none'}; "
        f"database file {db_mb or '(n/a)'}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    global _BASE, _CHARS
    args = parse_args(argv)
    if not (args.data / "hotspot_messages.csv").is_file():
        print(f"bench.duplicates: {args.data}/hotspot_messages.csv not found (pass --data)", file=sys.stderr)
        return 1
    started = perf_counter()
    tmp = setup(args)
    try:
        from django.db import connection

        say(f"bench.duplicates: {connection.vendor} {connection.settings_dict['NAME']}; {os.cpu_count()} cores")
        rows = load_rows(args.data)
        if not args.no_eval:
            evaluate(rows)
        else:
            from intel import duplicates as d

            d.index_matters((i + 1, t, c) for i, (t, c) in enumerate(rows))
        _BASE = rows
        _CHARS = "".join(sorted({ch for _t, c in rows[:500] for ch in c if ch.strip()}))
        rng = random.Random(args.seed)
        queries: list[tuple[str, str]] = []
        for i in range(args.queries):
            queries.append(synth_text(rng) if i % 2 else rows[rng.randrange(len(rows))])
        table: list[str] = []
        have = len(rows)
        for size in args.size_list:
            todo = size - have
            if todo > 0:
                say(f"\n== filling the index with {todo:,} synthetic matters (to {size:,})")
                took, sign_s = fill(have - len(rows), todo, args.seed, args.workers)
                say(f"filled in {took:.1f} s ({todo / took:,.0f}/s; {args.workers} workers signing, "
                    f"{sign_s:.1f} s waiting for signatures)")
                have = size
            say(f"\n== latency at {have:,} indexed matters ({args.queries} queries, threshold {args.threshold})")
            table.extend(measure(have, queries, args))
        say("\n| indexed | method | n | p50 ms | p95 ms | p50 ratio to index | note |\n|--:|:--|--:|--:|--:|--:|:--|")
        say("\n".join(table))
        say(f"\nwhole run {(perf_counter() - started) / 60:.1f} min")
    finally:
        from django.db import connections

        connections.close_all()
        if tmp and not args.keep_db:
            shutil.rmtree(tmp, ignore_errors=True)
        elif tmp:
            say(f"kept {tmp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
