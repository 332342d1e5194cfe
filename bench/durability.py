"""Durability under kill -9 (``python -m bench.durability``; ``scripts/durability.sh`` runs it on
SQLite and on PostgreSQL, each on a fresh database with the demo data).

1. Starts gunicorn (``-w 4``) and ``manage.py run_worker --interval 0.5 --lease 15`` with the
   recording gateway of ``bench/gateways.py``: a fake provider that writes down every hand-over it
   gets (calls) and delivers each outbox key once (deliveries), as the gateway contract asks of a
   real one. The lease is 15 s here instead of the 10 minutes of production so that messages
   claimed by the killed worker are resent within the catch-up; the fake round trip is 20 ms.
2. Fires a burst from many concurrent clients: public portal submissions (acknowledged = the
   acknowledgement page showed a query code), and staff intake through the API followed by
   ``accept`` (acknowledged = 200; the accept queues an SMS to the petitioner in its transaction).
   The demo data's own outbox (messages queued while it was loaded) is being delivered meanwhile.
3. Mid-burst, ``--kills`` times: SIGKILL to the server's whole process group (master and workers)
   and to the worker, then both are started again; clients meanwhile get refused connections and
   retry with new submissions.
4. After the burst it waits for the worker to empty the outbox, stops both, and checks in-process:
   every acknowledged query code is a matter with its ``register`` event; every acknowledged accept
   has its ``accept`` event and its SMS; the audit chain verifies; every outbox message is sent and
   was **delivered exactly once** (its key once in the deliveries, none missing, no delivery that is
   not an outbox message), none pending, sending or given up.

Why "delivered once" and not "handed over once": a worker can be killed after the provider took a
message and before the worker committed that it did. No sender can tell, after the restart,
whether that hand-over arrived; it either sends again (at least once) or never does (at most once,
and a message may be lost). The worker sends again, with the message's key, and the provider
drops the repeat. Delivered once is therefore only as true as the provider's dedup by key: the fake
provider here implements it, so this test shows the worker's side (it always hands over again with
the same key, never loses a message, never leaves one claimed); a real deployment needs a provider
that honours a client message id (``notify.gateways.Gateway``). The repeated hand-overs are counted
and printed (keys handed over twice), not hidden: they should be rare, one at most per kill of a
worker that was mid-call.

Exit status 1 on any loss, repeated delivery, leftover or broken chain. ``--record`` appends the
figures to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench.gateways import calls_path, deliveries_path, read_lines
from bench.load import (
    DEFAULT_RESULTS,
    ROOT,
    api_token,
    client,
    csrf,
    database_label,
    free_port,
    kill_group,
    machine,
    parse_code,
    petition_form,
    phone_for,
    start_server,
    wait_ready,
)


@dataclass
class Burst:
    tag: str
    target: int
    sent: int = 0  # submissions attempted (portal POSTs and API intakes)
    acked_codes: set[str] = field(default_factory=set)
    acked_accepts: set[int] = field(default_factory=set)
    acked_intakes: set[int] = field(default_factory=set)  # matter ids answered 201
    connection_errors: int = 0
    other_errors: Counter[str] = field(default_factory=Counter)
    n: int = 0


class Procs:
    """The server and the worker, each in its own process group."""

    def __init__(self, var: Path, workers: int, interval: float, lease: float) -> None:
        self.var, self.workers, self.interval, self.lease = var, workers, interval, lease
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.server: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """The server first; the worker once the server answers, so that its backlog is still being
        delivered when the burst starts."""
        self.server = start_server(self.port, workers=self.workers, log=self.var / "gunicorn-durability.log")
        wait_ready(self.base, self.server)
        with (self.var / "worker-durability.log").open("ab") as out:
            self.worker = subprocess.Popen([sys.executable, "manage.py", "run_worker", "--interval", str(self.interval),
                                            "--lease", str(self.lease)],
                                           cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def kill9(self) -> None:
        for p in (self.server, self.worker):
            if p is not None:
                kill_group(p, signal.SIGKILL)

    def stop(self) -> None:
        for p in (self.server, self.worker):
            if p is not None and p.poll() is None:
                kill_group(p, signal.SIGTERM)


async def submitter(burst: Burst, base: str, stop: asyncio.Event) -> None:
    """A new browser each time: the form, the POST, the acknowledgement page with the query code.
    A submission counts as sent once its POST goes out; a refused connection before that does not."""
    async with client(base, timeout=20) as c:
        while burst.sent < burst.target and not stop.is_set():
            c.cookies.clear()
            try:
                await c.get("/portal/submit")
            except httpx.HTTPError:
                await asyncio.sleep(0.2)
                continue
            burst.n += 1
            burst.sent += 1
            try:
                r = await c.post("/portal/submit", data={**petition_form(burst.n, burst.tag), "csrfmiddlewaretoken": csrf(c)})
                if r.status_code != 302:
                    burst.other_errors[f"POST /portal/submit: HTTP {r.status_code}"] += 1
                    continue
                r = await c.get("/portal/submitted")
            except httpx.HTTPError as err:
                burst.connection_errors += 1
                burst.other_errors[f"portal: {type(err).__name__}"] += 1
                await asyncio.sleep(0.2)
                continue
            code = parse_code(r.text) if r.status_code == 200 else None
            if code is None:
                burst.other_errors[f"GET /portal/submitted: HTTP {r.status_code}, no code"] += 1
                continue
            burst.acked_codes.add(code)


async def intaker(burst: Burst, base: str, registrar: str, reviewer: str, stop: asyncio.Event) -> None:
    async with client(base, timeout=20) as c:
        while burst.sent < burst.target and not stop.is_set():
            n = burst.n = burst.n + 1
            body = {"channel": "letter", "title": f"耐久来信 {burst.tag} #{n}", "content": f"请求修复路面坑洼。（{burst.tag} #{n}）",
                    "petitioner": {"name": f"来信人{n}", "phone": phone_for(70_000_000 + n)}}
            try:
                r = await c.post("/api/v1/matters", json=body, headers={"Authorization": f"Bearer {registrar}"})
            except httpx.ConnectError:
                await asyncio.sleep(0.2)  # never reached the server: not sent
                continue
            except httpx.HTTPError as err:
                burst.sent += 1
                burst.connection_errors += 1
                burst.other_errors[f"API: {type(err).__name__}"] += 1
                continue
            burst.sent += 1
            if r.status_code != 201:
                burst.other_errors[f"POST /api/v1/matters: HTTP {r.status_code}"] += 1
                continue
            pk = int(r.json()["id"])
            burst.acked_intakes.add(pk)
            try:
                r = await c.post(f"/api/v1/matters/{pk}/actions/accept", json={},
                                 headers={"Authorization": f"Bearer {reviewer}"})
            except httpx.HTTPError as err:
                burst.connection_errors += 1
                burst.other_errors[f"API accept: {type(err).__name__}"] += 1
                continue
            if r.status_code == 200:
                burst.acked_accepts.add(pk)
            else:
                burst.other_errors[f"POST accept: HTTP {r.status_code}"] += 1


def outbox_pending() -> int:
    """Messages not yet sent: pending, or claimed by a worker (maybe a dead one) and not recorded."""
    from notify.models import OutboxMessage, OutboxStatus

    return OutboxMessage.objects.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]).count()


async def sending(calls: Path, window: float = 0.1) -> int:
    """Gateway calls made in the last ``window`` seconds: more than zero means the worker is in the
    middle of a delivery round."""
    before = len(read_lines(calls))
    await asyncio.sleep(window)
    return len(read_lines(calls)) - before


async def killer(procs: Procs, burst: Burst, kills: int, calls: Path, done: list[dict[str, Any]]) -> None:
    for i in range(kills):
        # Spread over the burst: kill i once i/(k+1) of the target is sent (the first once 10 are)
        # and the worker is sending right then, so that it dies in the middle of a round; if it
        # stays idle, 10 s later regardless.
        mark = 10 if i == 0 else burst.target * i // kills
        while burst.sent < mark:
            await asyncio.sleep(0.05)
        give_up = time.monotonic() + 10
        active = await sending(calls)
        while active == 0 and time.monotonic() < give_up:
            active = await sending(calls)
        pending = await asyncio.to_thread(outbox_pending)
        t0 = time.monotonic()
        await asyncio.to_thread(procs.kill9)
        at: dict[str, Any] = {"kill": i + 1, "after_sent": burst.sent, "pending": pending,
                              "calls": len(read_lines(calls)), "active": active}
        await asyncio.sleep(1.0)
        await asyncio.to_thread(procs.start)
        at["down_s"] = round(time.monotonic() - t0, 1)
        done.append(at)
        print(f"durability: kill -9 #{i + 1} after {at['after_sent']} submissions sent, {pending} outbox messages pending,"
              f" {at['calls']} gateway calls so far ({active} in the 0.1 s before); back up in {at['down_s']} s", flush=True)


async def burst_run(procs: Procs, target: int, clients: int, kills: int, calls: Path) -> tuple[Burst, list[dict[str, Any]]]:
    tag = "D" + datetime.now(UTC).strftime("%H%M%S")
    registrar = await api_token(procs.base, "registrar")
    reviewer = await api_token(procs.base, "reviewer")
    burst = Burst(tag=tag, target=target)
    stop = asyncio.Event()
    kills_done: list[dict[str, Any]] = []
    intakers = max(1, clients // 4)
    tasks = [submitter(burst, procs.base, stop) for _ in range(clients - intakers)]
    tasks += [intaker(burst, procs.base, registrar, reviewer, stop) for _ in range(intakers)]
    await asyncio.gather(killer(procs, burst, kills, calls, kills_done), *tasks)
    return burst, kills_done


def wait_outbox_empty(timeout: float) -> tuple[int, float]:
    from notify.models import OutboxMessage, OutboxStatus

    t0 = time.monotonic()
    while True:
        pending = OutboxMessage.objects.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]).count()
        if pending == 0 or time.monotonic() - t0 > timeout:
            return pending, time.monotonic() - t0
        time.sleep(0.5)


def check(burst: Burst, calls_file: Path, deliveries_file: Path) -> dict[str, Any]:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from audit.models import Event
    from matters.models import Matter
    from notify.models import OutboxMessage, OutboxStatus

    found = dict(Matter.objects.filter(query_code__in=burst.acked_codes).values_list("query_code", "pk"))
    registered = set(Event.objects.filter(verb="register", target_type="matter", target_id__in=found.values())
                     .values_list("target_id", flat=True))
    intakes = set(Matter.objects.filter(pk__in=burst.acked_intakes).values_list("pk", flat=True))
    intake_events = set(Event.objects.filter(verb="register", target_type="matter", target_id__in=intakes)
                        .values_list("target_id", flat=True))
    accepted = set(Event.objects.filter(verb="accept", target_type="matter", target_id__in=burst.acked_accepts)
                   .values_list("target_id", flat=True))
    accept_sms = set(OutboxMessage.objects.filter(matter_id__in=burst.acked_accepts, channel="sms",
                                                  key__contains=":accept:").values_list("matter_id", flat=True))
    in_db_total = Matter.objects.filter(title__contains=f" {burst.tag} #").count()

    statuses = Counter(OutboxMessage.objects.values_list("status", flat=True))
    sent_keys = set(OutboxMessage.objects.filter(status=OutboxStatus.SENT).values_list("key", flat=True))
    outbox_keys = set(OutboxMessage.objects.values_list("key", flat=True))
    calls = Counter(str(d["key"]) for d in read_lines(calls_file))
    handed_twice = {k: c for k, c in calls.items() if c > 1}
    deliveries = Counter(str(d["key"]) for d in read_lines(deliveries_file))
    delivered_twice = {k: c for k, c in deliveries.items() if c > 1}
    try:
        call_command("verify_audit_chain")
        chain = "intact"
    except CommandError as err:
        chain = str(err)
    return {
        "acked_codes": len(burst.acked_codes), "codes_found": len(found),
        "codes_lost": len(burst.acked_codes) - len(found),
        "register_events_missing": len(found) - len(registered),
        "unacked_but_committed": in_db_total - len(found) - len(intakes),
        "intakes_acked": len(burst.acked_intakes), "intakes_lost": len(burst.acked_intakes) - len(intakes),
        "intake_events_missing": len(intakes) - len(intake_events),
        "accepts_acked": len(burst.acked_accepts), "accept_events_missing": len(burst.acked_accepts) - len(accepted),
        "accept_sms_missing": len(burst.acked_accepts) - len(accept_sms),
        "outbox_total": sum(statuses.values()), "outbox_sent": statuses.get(OutboxStatus.SENT, 0),
        "outbox_pending": statuses.get(OutboxStatus.PENDING, 0), "outbox_sending": statuses.get(OutboxStatus.SENDING, 0),
        "outbox_gave_up": statuses.get(OutboxStatus.GAVE_UP, 0),
        "gateway_calls": sum(calls.values()), "handed_twice_keys": len(handed_twice),
        "handed_twice_calls": sum(c - 1 for c in handed_twice.values()), "handed_twice_examples": sorted(handed_twice)[:3],
        "deliveries": sum(deliveries.values()), "delivered_once": sum(1 for c in deliveries.values() if c == 1),
        "delivered_twice": len(delivered_twice), "sent_never_delivered": len(sent_keys - set(deliveries)),
        "delivered_not_in_outbox": len(set(deliveries) - outbox_keys), "chain": chain,
    }


FAILURES = ("codes_lost", "register_events_missing", "intakes_lost", "intake_events_missing", "accept_events_missing", "accept_sms_missing", "outbox_pending",
            "outbox_sending", "outbox_gave_up", "sent_never_delivered", "delivered_twice", "delivered_not_in_outbox")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--submissions", type=int, default=400, help="submissions in the burst (default 400)")
    ap.add_argument("--clients", type=int, default=24, help="concurrent clients (a quarter do API intake + accept)")
    ap.add_argument("--kills", type=int, default=2, help="kill -9 rounds during the burst (default 2)")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--interval", type=float, default=0.5, help="run_worker --interval")
    ap.add_argument("--lease", type=float, default=15.0, help="run_worker --lease: seconds before a dead worker's claim is resent")
    ap.add_argument("--catch-up", type=float, default=180.0, help="seconds to wait for the outbox to empty")
    ap.add_argument("--label", default="")
    ap.add_argument("--record", action="store_true", help="append the figures to bench/RESULTS.md")
    ap.add_argument("--results", type=Path, default=DEFAULT_RESULTS)
    args = ap.parse_args(argv)

    var = Path(os.environ.get("XINFANG_VAR_DIR", "/tmp"))
    os.environ.setdefault("XINFANG_BENCH_DELIVERIES", str(var / "deliveries.jsonl"))
    deliveries, calls = deliveries_path(), calls_path()
    os.environ["XINFANG_BENCH_CALLS"] = str(calls)  # the worker's gateway writes where this process reads
    os.environ["XINFANG_NOTIFY_GATEWAY"] = "bench.gateways.RecordingGateway"
    deliveries.unlink(missing_ok=True)
    calls.unlink(missing_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
    import django

    django.setup()
    label = args.label or database_label()

    procs = Procs(var, args.workers, args.interval, args.lease)
    t0 = time.monotonic()
    procs.start()
    try:
        burst, kills = asyncio.run(burst_run(procs, args.submissions, args.clients, args.kills, calls))
        burst_s = time.monotonic() - t0
        pending, waited = wait_outbox_empty(args.catch_up)
    finally:
        procs.stop()
    r = check(burst, calls, deliveries)
    r["label"], r["sent"], r["burst_s"], r["catch_up_s"], r["kills"] = label, burst.sent, burst_s, waited, kills
    r["connection_errors"], r["other_errors"] = burst.connection_errors, dict(burst.other_errors)
    bad = [k for k in FAILURES if r[k]] + ([] if r["chain"] == "intact" else ["chain"])
    r["verdict"] = "PASS" if not bad else "FAIL (" + ", ".join(bad) + ")"
    print(report(r, args))
    if args.record:
        with args.results.open("a", encoding="utf-8") as f:
            f.write(report(r, args, markdown=True))
    return 1 if bad else 0


def report(r: dict[str, Any], args: argparse.Namespace, markdown: bool = False) -> str:
    delay = os.environ.get("XINFANG_BENCH_GATEWAY_DELAY_MS", "0")
    rows = [
        ("submissions sent (portal POSTs + API intakes)", r["sent"]),
        ("portal submissions acknowledged (query code shown)", r["acked_codes"]),
        ("… found in the database", r["codes_found"]),
        ("… lost", r["codes_lost"]),
        ("… without their register event", r["register_events_missing"]),
        ("committed but never acknowledged (the answer died with the server)", r["unacked_but_committed"]),
        ("API intakes acknowledged (201 with the matter's id)", r["intakes_acked"]),
        ("… lost / without their register event", f"{r['intakes_lost']} / {r['intake_events_missing']}"),
        ("API accepts acknowledged (each queues an SMS)", r["accepts_acked"]),
        ("… without their accept event / their SMS", f"{r['accept_events_missing']} / {r['accept_sms_missing']}"),
        ("outbox messages (demo's + burst's)", r["outbox_total"]),
        ("… sent / pending / sending / given up",
         f"{r['outbox_sent']} / {r['outbox_pending']} / {r['outbox_sending']} / {r['outbox_gave_up']}"),
        ("hand-overs to the gateway (calls, repeats included)", r["gateway_calls"]),
        ("… keys handed over twice or more (kill between send and record)",
         f"{r['handed_twice_keys']} ({r['handed_twice_calls']} extra calls)"),
        ("deliveries by the provider (once per key)", r["deliveries"]),
        ("… keys delivered exactly once / twice or more", f"{r['delivered_once']} / {r['delivered_twice']}"),
        ("… sent in the database but never delivered", r["sent_never_delivered"]),
        ("… delivered but not an outbox message", r["delivered_not_in_outbox"]),
        ("audit chain", r["chain"]),
        ("refused/broken connections seen by clients", r["connection_errors"]),
        ("burst (incl. restarts) / outbox catch-up", f"{r['burst_s']:.1f} s / {r['catch_up_s']:.1f} s"),
        ("verdict", r["verdict"]),
    ]
    kills = "; ".join(f"#{k['kill']} after {k['after_sent']} sent, with {k['pending']} outbox messages pending"
                      f" and {k['calls']} gateway calls made ({k['active']} in the 0.1 s before: the worker was"
                      f" {'mid-round' if k['active'] else 'idle'}), down {k['down_s']} s" for k in r["kills"])
    if not markdown:
        width = max(len(k) for k, _ in rows)
        lines = [f"durability ({r['label']}): kill -9 of server and worker: {kills}"]
        lines += [f"  {k:<{width}}  {v}" for k, v in rows]
        if r["other_errors"]:
            lines.append(f"  other errors: {r['other_errors']}")
        if r["handed_twice_examples"]:
            lines.append(f"  keys handed over twice, e.g.: {r['handed_twice_examples']}")
        return "\n".join(lines)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    cmd = (f"python -m bench.durability --submissions {args.submissions} --clients {args.clients} --kills {args.kills}"
           f" --workers {args.workers} --interval {args.interval} --lease {args.lease}")
    out = ["", f"## Durability under kill -9 ({when}, {r['label']}, `scripts/durability.sh` → `{cmd}`)", "",
           f"- Machine: {machine()}, **shared** with other engineers' runs. gunicorn `-w {args.workers}` + `run_worker`,"
           f" recording gateway (a provider that dedups by key) with a {delay} ms round trip, worker lease"
           f" {args.lease:g} s; portal rate limits raised for the run.",
           f"- kill -9 (server's process group and the worker): {kills}.", "",
           "| figure | value |", "|:--|--:|"]
    out += [f"| {k} | {v} |" for k, v in rows]
    if r["other_errors"]:
        out.append(f"\nOther errors seen by clients: {r['other_errors']}")
    if r["handed_twice_examples"]:
        out.append(f"\nKeys handed over twice (delivered once), e.g.: {', '.join(r['handed_twice_examples'])}")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
