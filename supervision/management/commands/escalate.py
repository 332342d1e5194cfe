"""Run the automatic escalation once (the worker runs it every few minutes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from supervision.services import run_escalation


class Command(BaseCommand):
    help = "Due soon → handler told; overdue → head told and a reminder; overdue > N days → a supervision order."

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
        r = run_escalation(now=now)
        self.stdout.write(f"{r.told} inbox items, {r.reminders} reminders, {r.supervisions} supervision orders, "
                          f"{r.escalated} orders escalated")
