"""Bounded load test against a real server on 127.0.0.1 (``python -m bench.load``; ``scripts/load.sh``
runs it on SQLite and on PostgreSQL).

An asyncio client (httpx) drives a fixed mix at rising concurrency: the staff queue page and the
matter page (logged-in sessions), intake through the API (bearer token), and the public portal's
submission (form, CSRF, honeypot left empty) and tracking (query code + last four digits of the
phone). Each level runs closed-loop for a fixed number of seconds: every virtual user waits for
its answer before it sends the next request. Per endpoint and level: requests/s, p50, p95, max
and errors (a wrong status, a missing query code, a timeout or a refused connection).

``--serve`` starts ``gunicorn xinfang.wsgi -w N`` on a free port with the environment as given
(the script sets the database, var dir, keys and the portal's raised rate limits) and stops it
afterwards; ``--url`` points at a server already running. ``bench.durability`` reuses the
server helpers below.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import re
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RESULTS = ROOT / "bench" / "RESULTS.md"
PASSWORD = os.environ.get("XINFANG_LOAD_PASSWORD", "xinfang-demo")
CODE_RE = re.compile(r'class="query-code[^"]*"[^>]*>\s*([A-Z0-9-]+)\s*<')

# The mix: (operation, weight). One operation is one or more requests, each timed on its own.
MIX = [("queue", 30), ("matter", 30), ("track", 20), ("submit", 10), ("intake", 10)]


# ---- the server ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, *, workers: int, log: Path, timeout: int = 60) -> subprocess.Popen[bytes]:
    """gunicorn in its own process group, so that ``kill_group`` reaches the master and every worker."""
    cmd = [sys.executable, "-m", "gunicorn", "xinfang.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}",
           "--timeout", str(timeout), "--graceful-timeout", "5"]
    with log.open("ab") as out:
        return subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def kill_group(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def wait_ready(base: str, proc: subprocess.Popen[bytes] | None = None, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"load: the server exited with {proc.returncode} before answering")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"load: no answer from {base}/healthz within {timeout:.0f} s")


# ---- the client ---------------------------------------------------------------------------------

def client(base: str, timeout: float = 30.0) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=8, max_keepalive_connections=8)
    return httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits, follow_redirects=False)


def csrf(c: httpx.AsyncClient) -> str:
    return str(c.cookies.get("csrftoken") or "")


async def login(base: str, username: str) -> httpx.Cookies:
    async with client(base) as c:
        await c.get("/accounts/login/")
        r = await c.post("/accounts/login/", data={"username": username, "password": PASSWORD,
                                                  "csrfmiddlewaretoken": csrf(c), "next": "/"})
        if r.status_code != 302 or "sessionid" not in c.cookies:
            raise SystemExit(f"load: login as {username} failed ({r.status_code}); is the demo data loaded?")
        return c.cookies


async def api_token(base: str, username: str) -> str:
    async with client(base) as c:
        r = await c.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
        if r.status_code != 200:
            raise SystemExit(f"load: no API token for {username} ({r.status_code})")
        return str(r.json()["token"])


def phone_for(n: int) -> str:
    return f"139{n % 100_000_000:08d}"


def petition_form(n: int, tag: str) -> dict[str, str]:
    return {
        "handling_kind": "claim", "petitioner_kind": "person",
        "title": f"压测网上信访 {tag} #{n}", "content": f"小区路灯损坏已有一个月，夜间出行不便，请尽快修复。（{tag} #{n}）",
        "petitioner_name": f"压测{n}", "petitioner_phone": phone_for(n), "website": "",
    }


def parse_code(html: str) -> str | None:
    m = CODE_RE.search(html)
    return m.group(1).replace("-", "") if m else None


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, seconds: float, ok: bool, why: str = "") -> None:
        self.times[name].append(seconds)
        if not ok:
            self.errors[name] += 1
            self.samples.setdefault(name, why)


class Failed(Exception):
    pass


async def timed(stats: Stats, name: str, send: Any, expect: tuple[int, ...]) -> httpx.Response:
    t0 = time.perf_counter()
    try:
        r: httpx.Response = await send
    except httpx.HTTPError as err:
        stats.add(name, time.perf_counter() - t0, False, f"{type(err).__name__}: {err}")
        raise Failed from err
    ok = r.status_code in expect
    stats.add(name, time.perf_counter() - t0, ok, f"HTTP {r.status_code}")
    if not ok:
        raise Failed
    return r


async def portal_submit(c: httpx.AsyncClient, stats: Stats, n: int, tag: str) -> str:
    """A new browser: the form, the POST, the acknowledgement page with the query code."""
    c.cookies.clear()
    await timed(stats, "GET /portal/submit", c.get("/portal/submit"), (200,))
    data = {**petition_form(n, tag), "csrfmiddlewaretoken": csrf(c)}
    r = await timed(stats, "POST /portal/submit", c.post("/portal/submit", data=data), (302,))
    if not r.headers.get("location", "").endswith("/portal/submitted"):
        raise Failed
    r = await timed(stats, "GET /portal/submitted", c.get("/portal/submitted"), (200,))
    code = parse_code(r.text)
    if code is None:
        stats.errors["GET /portal/submitted"] += 1
        stats.samples.setdefault("GET /portal/submitted", "no query code in the page")
        raise Failed
    return code


@dataclass
class World:
    base: str
    staff: list[httpx.Cookies]
    token: str
    matter_ids: list[int]
    tracks: list[tuple[str, str]]
    tag: str
    counter: int = 0


async def vu(world: World, stats: Stats, stop_at: float, rng: random.Random) -> None:
    ops, weights = zip(*MIX, strict=True)
    # The queue as one of the staff users; the matter page as the reviewer, who sees every id fetched.
    async with (client(world.base) as staff, client(world.base) as reviewer, client(world.base) as portal,
                client(world.base) as api):
        staff.cookies.update(world.staff[rng.randrange(len(world.staff))])
        reviewer.cookies.update(world.staff[0])
        api.headers["Authorization"] = f"Bearer {world.token}"
        try:
            await portal.get("/portal/")  # the CSRF cookie for tracking
        except httpx.HTTPError:
            pass
        while time.perf_counter() < stop_at:
            op = rng.choices(ops, weights)[0]
            try:
                if op == "queue":
                    await timed(stats, "GET / (queue)", staff.get("/"), (200,))
                elif op == "matter":
                    pk = rng.choice(world.matter_ids)
                    await timed(stats, "GET /matters/<id>/", reviewer.get(f"/matters/{pk}/"), (200,))
                elif op == "intake":
                    world.counter += 1
                    n = world.counter
                    body = {"channel": "letter", "title": f"压测来信 {world.tag} #{n}",
                            "content": f"反映小区噪音扰民问题，请予处理。（{world.tag} #{n}）",
                            "petitioner": {"name": f"来信人{n}", "phone": phone_for(50_000_000 + n)}}
                    await timed(stats, "POST /api/v1/matters", api.post("/api/v1/matters", json=body), (201,))
                elif op == "submit":
                    # The number is taken before the await: other virtual users move the counter meanwhile.
                    world.counter += 1
                    n = world.counter
                    code = await portal_submit(portal, stats, n, world.tag)
                    world.tracks.append((code, phone_for(n)[-4:]))
                    await portal.get("/portal/")  # a fresh CSRF cookie for tracking
                else:
                    code, last4 = rng.choice(world.tracks)
                    data = {"code": code, "phone_last4": last4, "csrfmiddlewaretoken": csrf(portal)}
                    r = await timed(stats, "POST /portal/track", portal.post("/portal/track", data=data), (302,))
                    await timed(stats, "GET /portal/m/<code>", portal.get(r.headers["location"]), (200,))
            except (Failed, httpx.HTTPError):
                await asyncio.sleep(0.05)


async def prepare(base: str, tag: str, seed_tracks: int) -> World:
    staff = [await login(base, u) for u in ("reviewer", "registrar", "handler")]
    token = await api_token(base, "registrar")
    async with client(base) as c:
        c.headers["Authorization"] = f"Bearer {await api_token(base, 'reviewer')}"
        ids: list[int] = []
        for offset in range(0, 300, 100):
            r = await c.get("/api/v1/matters", params={"limit": 100, "offset": offset})
            ids += [int(item["id"]) for item in r.json()["items"]]
    if not ids:
        raise SystemExit("load: the reviewer sees no matters; load the demo data first")
    world = World(base=base, staff=staff, token=token, matter_ids=ids, tracks=[], tag=tag)
    warm = Stats()
    async with client(base) as portal:
        for _ in range(seed_tracks):
            world.counter += 1
            n = world.counter
            code = await portal_submit(portal, warm, n, tag)
            world.tracks.append((code, phone_for(n)[-4:]))
    return world


async def run_level(world: World, users: int, seconds: float, seed: int) -> tuple[Stats, float]:
    stats = Stats()
    t0 = time.perf_counter()
    stop_at = t0 + seconds
    await asyncio.gather(*(vu(world, stats, stop_at, random.Random(seed * 1000 + i)) for i in range(users)))
    return stats, time.perf_counter() - t0


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    s = sorted(values)
    return s[max(0, min(len(s) - 1, int(-(-p * len(s) // 100)) - 1))] * 1000 if s else 0.0


def rows_for(label: str, users: int, stats: Stats, elapsed: float) -> list[list[str]]:
    rows = []
    total = errors = 0
    every: list[float] = []
    for name in sorted(stats.times):
        t = stats.times[name]
        total += len(t)
        errors += stats.errors.get(name, 0)
        every += t
        err = stats.errors.get(name, 0)
        note = stats.samples.get(name, "") if err else ""
        rows.append([label, str(users), name, str(len(t)), f"{len(t) / elapsed:.1f}", f"{pct(t, 50):.0f}",
                     f"{pct(t, 95):.0f}", f"{max(t) * 1000:.0f}", str(err), note])
    rows.append([label, str(users), "**all requests**", str(total), f"**{total / elapsed:.1f}**", f"{pct(every, 50):.0f}",
                 f"{pct(every, 95):.0f}", f"{max(every) * 1000:.0f}" if every else "0", str(errors), ""])
    return rows


HEADER = ["database", "users", "endpoint", "requests", "req/s", "p50 ms", "p95 ms", "max ms", "errors", "first error"]


def table(rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(HEADER) + " |", "|:--|--:|:--|--:|--:|--:|--:|--:|--:|:--|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def database_label() -> str:
    if os.environ.get("XINFANG_DB", "sqlite") == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    try:
        out = subprocess.run(["psql", "-At", "-h", os.environ.get("XINFANG_PG_HOST", "127.0.0.1"), "-p",
                              os.environ.get("XINFANG_PG_PORT", "5432"), "-U", os.environ.get("XINFANG_PG_USER", "postgres"),
                              "-d", os.environ.get("XINFANG_PG_NAME", "xinfang"), "-c", "show server_version"],
                             capture_output=True, text=True, timeout=10, check=True)
        return f"PostgreSQL {out.stdout.strip().split()[0]}"
    except (OSError, subprocess.SubprocessError, IndexError):
        return "PostgreSQL"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="a running server, e.g. http://127.0.0.1:8000 (else --serve)")
    ap.add_argument("--serve", action="store_true", help="start gunicorn on a free port for the run")
    ap.add_argument("--workers", type=int, default=4, help="gunicorn workers with --serve (default 4)")
    ap.add_argument("--levels", default="1,4,16,32", help="concurrent virtual users per level")
    ap.add_argument("--seconds", type=float, default=15.0, help="seconds per level (default 15)")
    ap.add_argument("--seed-tracks", type=int, default=10, help="portal submissions made before timing, to track")
    ap.add_argument("--label", default="", help="database label in the table (default: detected)")
    ap.add_argument("--log", type=Path, default=Path(os.environ.get("XINFANG_VAR_DIR", "/tmp")) / "gunicorn-load.log")
    ap.add_argument("--results", type=Path, default=DEFAULT_RESULTS)
    ap.add_argument("--no-record", action="store_true", help="print only; do not append to RESULTS.md")
    args = ap.parse_args(argv)
    levels = [int(x) for x in args.levels.split(",") if x.strip()]
    label = args.label or database_label()

    proc = None
    if args.serve:
        base = f"http://127.0.0.1:{free_port()}"
        proc = start_server(int(base.rsplit(":", 1)[1]), workers=args.workers, log=args.log)
    elif args.url:
        base = args.url.rstrip("/")
    else:
        ap.error("give --url or --serve")
    try:
        wait_ready(base, proc)
        tag = datetime.now(UTC).strftime("%H%M%S")
        world = asyncio.run(prepare(base, tag, args.seed_tracks))
        rows: list[list[str]] = []
        for i, users in enumerate(levels):
            cpu0 = time.process_time()
            stats, elapsed = asyncio.run(run_level(world, users, args.seconds, seed=i + 1))
            level_rows = rows_for(label, users, stats, elapsed)
            # The client shares the 2 cores with the server: how much of one core it took itself.
            level_rows[-1][-1] = f"client CPU {100 * (time.process_time() - cpu0) / elapsed:.0f}% of one core"
            print(table(level_rows), flush=True)
            rows += level_rows
    finally:
        if proc is not None:
            kill_group(proc, signal.SIGTERM)

    print()
    print(table(rows))
    if not args.no_record:
        record(args.results, [table(rows)], cmd=" ".join(["scripts/load.sh → python -m bench.load", *(argv or sys.argv[1:])]),
               workers=args.workers, seconds=args.seconds, levels=levels)
    return 0


def machine() -> str:
    cpu = ""
    try:
        cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                    if ln.startswith("model name")), "")
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu or platform.machine()}), Python {platform.python_version()}"


def record(path: Path, tables: list[str], *, cmd: str, workers: int, seconds: float, levels: list[int]) -> None:
    """Append (never rewrite): another run may have appended since we started."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    mix = ", ".join(f"{op} {w}%" for op, w in MIX)
    lines = [
        "", f"## Load test ({when}, `{cmd}`)", "",
        f"- Machine: {machine()}, **shared** with other engineers' runs, client and server on the same 2 cores;"
        f" gunicorn `-w {workers}` (sync workers), DEBUG off; demo data (`load_demo --matters 500`).",
        f"- Closed loop, {seconds:g} s per level, levels {', '.join(map(str, levels))} virtual users; mix by operation: {mix}"
        " (submit = form GET + POST + acknowledgement page; track = POST + the matter's public page).",
        "- The portal's per-IP limits were raised for the run (`XINFANG_PORTAL_SUBMIT_RATE`, `XINFANG_PORTAL_TRACK_RATE`):"
        " every virtual user comes from 127.0.0.1.",
        "- Percentiles nearest-rank, per request, client-side (include the client's own queueing on the shared CPUs).", "",
    ]
    with path.open("a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n" + "\n\n".join(tables) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
