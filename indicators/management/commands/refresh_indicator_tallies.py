"""Tally the finished months and days the indicators read from the tallies (the worker does it every round)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from indicators.services import HORIZON, refresh_tallies


class Command(BaseCommand):
    help = "Recompute the indicator tallies of finished months and days that are missing or stale."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months", type=int, default=HORIZON, help="finished months back to keep tallied (default: %(default)s)")

    def handle(self, *args: Any, **opts: Any) -> None:
        months = refresh_tallies(timezone.now(), horizon=opts["months"])
        self.stdout.write(f"tallied {len(months)} months" + (f": {', '.join(f'{m:%Y-%m}' for m in months)}" if months else ""))
