"""Run the automatic escalation once (the worker runs it every few minutes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from supervision.services import run_escalation
from xinfang.commands import command_now


class Command(BaseCommand):
    help = "Due soon → handler told; overdue → head told and a reminder; overdue > N days → a supervision order."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="ISO date-time to run as (default: now)")

    def handle(self, *args: Any, **opts: Any) -> None:
        now = command_now(opts["now"])
        r = run_escalation(now=now)
        self.stdout.write(f"{r.told} inbox items, {r.reminders} reminders, {r.supervisions} supervision orders, "
                          f"{r.escalated} orders escalated")
