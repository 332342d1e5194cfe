from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from intel import classifier


class Command(BaseCommand):
    help = "Classify a CSV (columns id, subject, text) into OUT.csv with label and confidence added."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input")
        parser.add_argument("output")
        parser.add_argument("--model", default=str(classifier.MODEL_PATH))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            n = classifier.classify_csv(
                options["input"], options["output"], options["model"], progress=self.stderr.write
            )
        except (FileNotFoundError, ValueError) as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"{n} row(s) written to {options['output']}")
