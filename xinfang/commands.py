"""What the management commands share: reading ``--now``."""

from __future__ import annotations

from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone


def command_now(value: str | None) -> datetime:
    """The moment a command acts as of: ``--now`` (ISO date-time; without an offset, Shanghai time), else now."""
    if not value:
        return timezone.now()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as err:
        raise CommandError(f"--now: {err} (e.g. 2026-11-25T01:00:00+08:00)") from err
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
