from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from security.throttle import lift_lockouts_for


class Command(BaseCommand):
    help = "Lift the lockouts in force for a username or an IP address (after too many failed logins)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("value", help="a username or an IP address")
        parser.add_argument("--reason", default="", help="recorded in the event log")

    def handle(self, *args: Any, **options: Any) -> None:
        n = lift_lockouts_for(options["value"], actor=None, now=timezone.now(), reason=options["reason"])
        self.stdout.write(f"{n} lockout(s) lifted for {options['value']}")
