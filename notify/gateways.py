"""Where outbox messages go. A deployment names its SMS/email gateway class in
``XINFANG_NOTIFY_GATEWAY``; the demo's writes each message as a JSON line to a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from .models import OutboxMessage


class Gateway(Protocol):
    def send(self, message: OutboxMessage) -> None:
        """Deliver or raise. ``message.key`` lets a gateway drop a repeat after a crash."""


class FileGateway:
    """Appends each message to ``NOTIFY_FILE``: what the demo 'sends'."""

    def send(self, message: OutboxMessage) -> None:
        path = Path(settings.NOTIFY_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = {"key": message.key, "channel": message.channel, "to": message.recipient, "body": message.body}
        with path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")


def configured_gateway() -> Gateway:
    gateway: Gateway = import_string(settings.NOTIFY_GATEWAY)()
    return gateway
