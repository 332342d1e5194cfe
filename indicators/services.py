"""The one thing this app changes: the event log, when a report leaves the system as a file."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from audit.services import record_event
from org.models import User


def record_export(report: str, fmt: str, *, actor: User, now: datetime, params: dict[str, Any]) -> None:
    """Exporting is an event, like every view of data that leaves."""
    with transaction.atomic():
        record_event(f"export_{report}", actor=actor, at=now, after={"format": fmt, **params})
