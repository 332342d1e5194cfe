from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.selectors import verify_chain


class Command(BaseCommand):
    help = "Check the hash chain of the event log and name the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if report.intact:
            self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} events checked."))
            return
        raise CommandError(
            f"Audit chain broken at event #{report.first_broken_seq}: {report.problem} "
            f"({report.checked} events before it are intact)."
        )
