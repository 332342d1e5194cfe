from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.texts import build_rows, write_rows


class Command(BaseCommand):
    help = "Rebuild fixtures/demo_texts.csv from the shared data sets (teddy2020, haikou12345); seeded."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--shared",
            default=str(Path(settings.BASE_DIR).parent / "shared" / "data"),
            help="the shared data folder (default: ../shared/data)",
        )
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "fixtures" / "demo_texts.csv"))

    def handle(self, *args: Any, **options: Any) -> None:
        shared = Path(options["shared"])
        if not (shared / "teddy2020").is_dir() or not (shared / "haikou12345").is_dir():
            raise CommandError(f"{shared} does not hold teddy2020/ and haikou12345/.")
        rows = build_rows(shared)
        out = Path(options["out"])
        write_rows(rows, out)
        self.stdout.write(f"Wrote {len(rows)} texts to {out} ({out.stat().st_size / 1e6:.2f} MB).")
