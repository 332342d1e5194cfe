"""``manage.py hotspots``: print the top hotspots (intel.hotspots) of a message CSV as a Markdown table."""

from __future__ import annotations

from time import perf_counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from intel import hotspots

DEFAULT_DATA = "/work/shared/data/teddy2020/hotspot_messages.csv"


class Command(BaseCommand):
    help = "Top hotspots (topic x place x time clusters) of a CSV with id, subject, time, text, likes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", default=DEFAULT_DATA, help="CSV path (default: %(default)s)")
        parser.add_argument("--top", type=int, default=10, help="hotspots to print (default: %(default)s)")
        parser.add_argument("--window-days", type=int, default=hotspots.DEFAULT_WINDOW_DAYS,
                            help="growth window in days (default: %(default)s)")
        parser.add_argument("--min-size", type=int, default=hotspots.DEFAULT_MIN_SIZE,
                            help="smallest cluster reported (default: %(default)s)")

    def handle(self, *args: Any, data: str, top: int, window_days: int, min_size: int, **options: Any) -> None:
        if window_days <= 0 or top <= 0:
            raise CommandError("--top and --window-days must be positive")
        t0 = perf_counter()
        try:
            rows = hotspots.load_csv(data)
        except (FileNotFoundError, KeyError, ValueError) as exc:
            raise CommandError(f"cannot read {data}: {exc}")
        found = hotspots.find_hotspots(rows, window_days=window_days, min_size=min_size)
        self.stdout.write(hotspots.markdown_table(found[:top]))
        self.stderr.write(
            f"hotspots: {len(rows)} messages, {len(found)} clusters of >= {min_size}, {perf_counter() - t0:.1f} s"
        )
