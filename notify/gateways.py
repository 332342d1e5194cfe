"""Where outbox messages go. A deployment names its SMS/email gateway class in
``XINFANG_NOTIFY_GATEWAY``; the demo's writes each message as a JSON line to a file, and
``EmailGateway`` sends email through Django's mail backend (SMTP in production)."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import OutboxMessage

# A gateway returns or raises within this many seconds: the worker's lease on a message
# (notify.services.LEASE) is chosen well above it.
GATEWAY_TIMEOUT = 30


class Gateway(Protocol):
    def send(self, message: OutboxMessage) -> None:
        """Hand ``message`` to the provider; return once the provider has accepted it, raise if not.

        The contract that makes delivery exactly once: ``message.key`` is the provider's
        idempotency key, and the same message always comes with the same key. The worker records a
        hand-over only after it returns, so a worker killed between the two sends the message again
        after its lease runs out; the provider must treat a second hand-over with a key it has
        already accepted as accepted, without delivering it again. Pass the key as the provider's
        client-side message id or dedup key (an SMS platform's client message id or request id; for
        email the ``Message-ID``, ``message_id`` below). Where a provider limits that field's length
        or alphabet, derive the id from the key one-to-one (``message_id`` is an example), never from
        the time or a counter. A provider with no such key cannot be made exactly once from this
        side: a crash in that window then sends the message twice, and the gateway should say so.

        Return or raise within GATEWAY_TIMEOUT seconds (set the client's timeouts), so that a hand-over
        never outlives the worker's lease on the message.
        """


def message_id(message: OutboxMessage) -> str:
    """The email ``Message-ID`` for an outbox key: the key with every character outside
    [A-Za-z0-9-_] percent-encoded (so two keys never share an id, and ``:`` or ``+`` in a key do not
    break RFC 5322's dot-atom), at the sending domain."""
    local = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else
                    "".join(f"%{b:02X}" for b in ch.encode()) for ch in message.key)
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "localhost"
    return f"<{local}@{domain}>"


class FileGateway:
    """Appends each message to ``NOTIFY_FILE``: what the demo 'sends'. Honours the key as a provider
    would: a key already in the file is accepted and not written again."""

    def __init__(self) -> None:
        self._seen: set[str] = set()
        self._read_to = 0

    def _keys_in(self, fd: int) -> set[str]:
        # Only what was appended since the last look is read: the file grows for as long as the demo runs.
        size = os.fstat(fd).st_size
        if size < self._read_to:
            self._seen, self._read_to = set(), 0
        os.lseek(fd, self._read_to, os.SEEK_SET)
        chunk = os.read(fd, size - self._read_to)
        whole = chunk[: chunk.rfind(b"\n") + 1]
        self._read_to += len(whole)
        for line in whole.splitlines():
            try:
                self._seen.add(json.loads(line)["key"])
            except (ValueError, KeyError, TypeError):
                continue
        return self._seen

    def send(self, message: OutboxMessage) -> None:
        path = Path(settings.NOTIFY_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = {"key": message.key, "channel": message.channel, "to": message.recipient, "body": message.body}
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            # Two workers holding the same key (a lease that ran out under a slow one) check and
            # append one after the other.
            fcntl.flock(fd, fcntl.LOCK_EX)
            if message.key in self._keys_in(fd):
                return
            os.write(fd, (json.dumps(line, ensure_ascii=False) + "\n").encode())
        finally:
            os.close(fd)


class EmailGateway:
    """Email through Django's mail backend (``EMAIL_*`` settings; SMTP unless configured otherwise),
    with ``Message-ID`` set from the key so the receiving side can drop a repeat. SMS goes to
    ``sms_gateway``; a deployment with an SMS provider subclasses this and names its own."""

    sms_gateway: type[Gateway] = FileGateway

    def __init__(self) -> None:
        self.sms = self.sms_gateway()

    def send(self, message: OutboxMessage) -> None:
        if message.channel != "email":
            self.sms.send(message)
            return
        connection = get_connection(timeout=GATEWAY_TIMEOUT)
        EmailMessage(subject=_("Notice from the petition office"), body=message.body, to=[message.recipient],
                     connection=connection, headers={"Message-ID": message_id(message)}).send()


def configured_gateway() -> Gateway:
    gateway: Gateway = import_string(settings.NOTIFY_GATEWAY)()
    return gateway
