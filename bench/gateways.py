"""A fake SMS/email provider for the durability test (``XINFANG_NOTIFY_GATEWAY=bench.gateways.RecordingGateway``)
that honours the gateway contract of ``notify.gateways.Gateway``: the outbox key is its dedup key.

Two files, one JSON line per entry, each line one ``O_APPEND`` write (concurrent workers never
interleave lines; a killed process leaves a whole line or none):

- ``XINFANG_BENCH_CALLS``: every hand-over the provider gets, repeats included. A key in it twice is
  a message the worker handed over twice (killed after the hand-over, before recording it).
- ``XINFANG_BENCH_DELIVERIES``: what the provider delivered to the phone, once per key. A hand-over
  with a key already delivered is acknowledged and not delivered again, as a provider that dedups
  by client message id does. The check is made under an exclusive ``flock`` on this file, so two
  workers handing over one key at the same moment still deliver it once; the lock dies with a
  killed process.

``XINFANG_BENCH_GATEWAY_DELAY_MS`` (default 0) is the provider's round trip: the call is recorded
and delivered first (the provider has the message) and then the gateway waits before returning,
as a provider's answer takes time to come back. A worker killed in that wait has handed the
message over without having recorded that it did.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by bench.durability before django.setup()
    from notify.models import OutboxMessage


def deliveries_path() -> Path:
    return Path(os.environ.get("XINFANG_BENCH_DELIVERIES", "deliveries.jsonl"))


def calls_path() -> Path:
    default = deliveries_path().with_name("gateway-calls.jsonl")
    return Path(os.environ.get("XINFANG_BENCH_CALLS", str(default)))


def _append(fd: int, entry: Mapping[str, object]) -> None:
    os.write(fd, (json.dumps(entry) + "\n").encode())


class RecordingGateway:
    def __init__(self) -> None:
        # Keys delivered, as far as this instance has read the deliveries file (read on from there).
        self._delivered: set[str] = set()
        self._read_to = 0

    def _delivered_keys(self, fd: int) -> set[str]:
        size = os.fstat(fd).st_size
        os.lseek(fd, self._read_to, os.SEEK_SET)
        chunk = os.read(fd, size - self._read_to)
        whole = chunk[: chunk.rfind(b"\n") + 1]
        self._read_to += len(whole)
        self._delivered.update(json.loads(ln)["key"] for ln in whole.splitlines() if ln.strip())
        return self._delivered

    def send(self, message: OutboxMessage) -> None:
        entry = {"key": message.key, "channel": message.channel, "matter": message.matter_id,
                 "attempt": message.attempts, "pid": os.getpid(), "at": time.time()}
        fd = os.open(calls_path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            _append(fd, entry)
        finally:
            os.close(fd)
        fd = os.open(deliveries_path(), os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if message.key not in self._delivered_keys(fd):
                _append(fd, entry)
        finally:
            os.close(fd)
        delay = float(os.environ.get("XINFANG_BENCH_GATEWAY_DELAY_MS", "0")) / 1000
        if delay > 0:
            time.sleep(delay)


def read_lines(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
