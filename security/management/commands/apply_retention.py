from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from security.models import RetentionPolicy
from security.personal_info import apply_retention, retention_candidates
from xinfang.commands import command_now


class Command(BaseCommand):
    help = ("Erase the personal data of petitioners whose matters all closed longer ago than the "
            "retention policy (admin: Retention policy) allows; the matters and statistics stay.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="ISO date-time to act as of (default: the current time)")
        parser.add_argument("--dry-run", action="store_true", help="only count who would be erased")

    def handle(self, *args: Any, **options: Any) -> None:
        now = command_now(options["now"])
        years = RetentionPolicy.current().years_after_closing
        if options["dry_run"]:
            n = retention_candidates(now=now).count()
            self.stdout.write(f"{n} petitioner(s) past the retention period of {years} years")
            return
        n = apply_retention(now=now)
        self.stdout.write(f"{n} petitioner(s) erased (retention {years} years after closing)")
