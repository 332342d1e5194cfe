from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from intel import classifier


class Command(BaseCommand):
    help = "Train the level-1 category classifier from a labelled CSV, print a CV report, write the model."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data", default=str(classifier.TRAIN_CSV), help="CSV(.gz) with subject,text,label"
        )
        parser.add_argument("--out", default=str(classifier.MODEL_PATH), help="model file to write")
        parser.add_argument("--folds", type=int, default=5, help="grouped CV folds; 0 skips CV")

    def handle(self, *args: Any, **options: Any) -> None:
        data = Path(options["data"])
        if not data.is_file():
            raise CommandError(f"training file not found: {data}")
        try:
            examples = classifier.read_examples(data)
        except ValueError as exc:
            raise CommandError(str(exc))
        train_and_write(self, examples, Path(options["out"]), options["folds"])


def train_and_write(cmd: BaseCommand, examples: list[classifier.Example], out: Path, folds: int) -> None:
    """Shared with retrain_classifier: train, print the report, write the model."""
    if len({e.label for e in examples}) < 2:
        raise CommandError("need examples of at least two labels")
    model, report = classifier.train(examples, folds=folds, log=lambda s: cmd.stderr.write(s))
    cmd.stdout.write(classifier.format_report(report))
    size = classifier.save_model(model, out)
    cmd.stdout.write(f"model: {out} ({size / 1e6:.1f} MB), labels: {', '.join(model.labels)}")
