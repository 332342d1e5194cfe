"""Remind units of the screening reports they have not filed (the worker runs it daily)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from screening.services import remind_missing


class Command(BaseCommand):
    help = "One reminder per missing screening report and person; running it again sends nothing new."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="ISO date-time to run as (default: now)")

    def handle(self, *args: Any, **opts: Any) -> None:
        now = timezone.now()
        if opts["now"]:
            try:
                now = datetime.fromisoformat(opts["now"])
            except ValueError as err:
                raise CommandError(f"--now: {err}") from err
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        self.stdout.write(f"{remind_missing(now=now)} reminders")
