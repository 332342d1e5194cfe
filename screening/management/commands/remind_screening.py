"""Remind units of the screening reports they have not filed (the worker runs it daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from screening.services import remind_missing
from xinfang.commands import command_now


class Command(BaseCommand):
    help = "One reminder per missing screening report and person; running it again sends nothing new."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="ISO date-time to run as (default: now)")

    def handle(self, *args: Any, **opts: Any) -> None:
        now = command_now(opts["now"])
        self.stdout.write(f"{remind_missing(now=now)} reminders")
