from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from matters.services import close_lapsed_matters


class Command(BaseCommand):
    help = "Close matters whose review or re-review window has lapsed (办结). Safe to run repeatedly."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", help="ISO datetime to act as of (default: the current time)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_datetime(options["now"]) if options["now"] else timezone.now()
        if now is None:
            raise SystemExit("--now must be an ISO datetime, e.g. 2026-11-25T01:00:00+08:00")
        closed = close_lapsed_matters(now=now)
        self.stdout.write(f"Closed {closed} matter(s) whose review window lapsed.")
