"""``manage.py index_duplicates``: build the duplicate-detection index (intel.duplicates) for every
existing matter, in batches by id, with progress on stderr. Matters already indexed with the same
text are left alone, so it can be run again (or interrupted and resumed); ``--rebuild`` empties
the index first (after a change of the signature scheme)."""

from __future__ import annotations

from time import perf_counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from intel import duplicates
from intel.models import DuplicateBand, DuplicateSignature
from matters.models import Matter


class Command(BaseCommand):
    help = "Build the MinHash LSH duplicate index for all existing matters."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=2000, help="matters per transaction (default: %(default)s)")
        parser.add_argument("--rebuild", action="store_true", help="empty the index first")

    def handle(self, *args: Any, batch_size: int, rebuild: bool, **options: Any) -> None:
        if batch_size <= 0:
            batch_size = 2000
        if rebuild:
            with transaction.atomic():
                DuplicateBand.objects.all().delete()
                DuplicateSignature.objects.all().delete()
            self.stderr.write("index_duplicates: index emptied")
        total = Matter.objects.count()
        done, last = 0, 0
        t0 = perf_counter()
        while True:
            rows = list(Matter.objects.filter(pk__gt=last).order_by("pk")
                        .values_list("pk", "title", "content")[:batch_size])
            if not rows:
                break
            duplicates.index_matters(rows)
            done += len(rows)
            last = rows[-1][0]
            rate = done / max(perf_counter() - t0, 1e-9)
            self.stderr.write(f"index_duplicates: {done:,} / {total:,} matters ({rate:,.0f}/s)")
        self.stdout.write(f"indexed {done:,} matters in {perf_counter() - t0:.1f} s")
