"""Import work orders from a file: ``manage.py import_workorders FILE --mapping haikou12345``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from exchange.models import ImportMode, ImportStatus
from exchange.services import import_file
from matters.errors import DomainError
from org.models import Unit

SHOWN_PROBLEMS = 50


class Command(BaseCommand):
    help = "Import work orders (CSV in UTF-8 or GB18030, .xlsx, .json) as matters, through a column mapping."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--mapping", required=True, help="a mapping name, e.g. haikou12345")
        parser.add_argument("--dry-run", action="store_true", help="check every row and report; write nothing")
        parser.add_argument("--skip-bad-rows", action="store_true", help="import the good rows even if some are bad")
        parser.add_argument("--encoding", default="auto", help="auto (UTF-8, else GB18030), utf-8 or gb18030")
        parser.add_argument("--unit", type=int, help="id of the unit to import under (default: the top unit)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        root = Unit.objects.filter(pk=options["unit"]).first() if options["unit"] else None
        if options["unit"] and root is None:
            raise CommandError(f"no unit with id {options['unit']}")
        try:
            run = import_file(path.read_bytes(), path.name, options["mapping"], actor=None, now=timezone.now(),
                              mode=ImportMode.SKIP_BAD_ROWS if options["skip_bad_rows"] else ImportMode.ALL_OR_NOTHING,
                              dry_run=options["dry_run"], encoding=options["encoding"], root=root, progress=self._progress)
        except DomainError as err:
            raise CommandError(" ".join([err.message, *[f"{k}: {v}" for k, v in err.fields.items()]])) from None
        if run.file_problem:
            raise CommandError(f"{path.name}: refused: {run.file_problem}")
        for p in run.problems[:SHOWN_PROBLEMS]:
            kind = "warning" if p.get("warning") else "rejected"
            self.stdout.write(f"{kind}: row {p['row']}, column {p['column']}, value {p['value']!r}: {p['reason']}")
        if len(run.problems) > SHOWN_PROBLEMS:
            self.stdout.write(f"... and {len(run.problems) - SHOWN_PROBLEMS} more problems")
        verdict = {ImportStatus.CHECKED: "dry run, nothing written", ImportStatus.REFUSED:
                   "refused: bad rows and all-or-nothing (use --skip-bad-rows), nothing written",
                   ImportStatus.DONE: "imported"}.get(ImportStatus(run.status), run.status)
        self.stdout.write(f"read {run.rows_read}, imported {run.rows_imported}, already present {run.rows_present}, "
                          f"rejected {run.rows_rejected} ({verdict})")
        if run.status == ImportStatus.REFUSED:
            raise CommandError("nothing imported")

    def _progress(self, done: int, total: int) -> None:
        if sys.stderr.isatty() or total >= 10_000 or done == total:
            width = 30
            filled = width * done // max(total, 1)
            self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="\n" if done == total else "")
            self.stderr.flush()
