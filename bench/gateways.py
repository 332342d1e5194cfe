"""A fake SMS/email gateway for the durability test (``XINFANG_NOTIFY_GATEWAY=bench.gateways.RecordingGateway``).

It records every call it gets, one JSON line per call in ``XINFANG_BENCH_DELIVERIES``, written with
a single ``O_APPEND`` write (so concurrent workers never interleave lines, and a killed process
leaves either a whole line or none). It does **not** drop repeats of a key: a repeat in the file
is a message the worker handed over twice, which is what the durability test looks for.

``XINFANG_BENCH_GATEWAY_DELAY_MS`` (default 0) is the round trip of a real provider: the call is
recorded first (the provider has the message) and then the gateway waits before returning, as a
provider's answer takes time to come back. A worker killed in that wait has handed the message
over without having committed that it did.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by bench.durability before django.setup()
    from notify.models import OutboxMessage


def deliveries_path() -> Path:
    return Path(os.environ.get("XINFANG_BENCH_DELIVERIES", "deliveries.jsonl"))


class RecordingGateway:
    def send(self, message: OutboxMessage) -> None:
        line = json.dumps({"key": message.key, "channel": message.channel, "matter": message.matter_id,
                           "attempt": message.attempts, "pid": os.getpid(), "at": time.time()}) + "\n"
        fd = os.open(deliveries_path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)
        delay = float(os.environ.get("XINFANG_BENCH_GATEWAY_DELAY_MS", "0")) / 1000
        if delay > 0:
            time.sleep(delay)


def read_deliveries(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
