from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from matters.personal_data import new_key_file_text


class Command(BaseCommand):
    help = "Create the personal-data key file for a local installation if it does not exist."

    def handle(self, *args: Any, **options: Any) -> None:
        path = settings.XINFANG_KEY_FILE
        if path.exists():
            self.stdout.write(f"Keys already present in {path}.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new_key_file_text())
        path.chmod(0o600)
        self.stdout.write(self.style.SUCCESS(f"Generated personal-data keys in {path}. Back this file up: without it the data cannot be read."))
