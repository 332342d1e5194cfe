from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from security.keys import Progress, encrypted_columns, rotate_model


class Command(BaseCommand):
    help = ("Re-encrypt every encrypted personal-data field with the first key of XINFANG_DATA_KEYS. "
            "Put the new key first (keep the old ones after it), restart the servers, run this, then "
            "drop the old keys. Idempotent: values already under the first key are left alone.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        total = 0

        def report(p: Progress) -> None:
            self.stdout.write(f"{p.model}: {p.seen}/{p.total} rows, {p.rewritten} values re-encrypted")

        for model, columns in encrypted_columns():
            total += rotate_model(model, columns, now=now, batch_size=options["batch_size"], report=report)
        self.stdout.write(self.style.SUCCESS(f"done: {total} values re-encrypted with the first key"))
