from typing import Any

from django.core.management.base import BaseCommand

from matters.services import close_lapsed_matters
from xinfang.commands import command_now


class Command(BaseCommand):
    help = "Close matters whose review or re-review window has lapsed (办结). Safe to run repeatedly."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", help="ISO datetime to act as of (default: the current time)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = command_now(options["now"])
        closed = close_lapsed_matters(now=now)
        self.stdout.write(f"Closed {closed} matter(s) whose review window lapsed.")
