from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from intel import classifier
from intel.management.commands.train_classifier import train_and_write


def closed_matter_examples(labels: set[str]) -> list[classifier.Example]:
    """(title, content, top-level category) of closed matters whose top level is a known label.
    Imported lazily so the pure classifier never needs the matters app."""
    from matters.lifecycle import State
    from matters.models import Matter

    rows = Matter.objects.filter(state=State.CLOSED, category__isnull=False).values_list(
        "title", "content", "category__path"
    )
    pairs = ((title, content, path.split("/")[0].strip()) for title, content, path in rows.iterator())
    return classifier.examples_from_pairs(p for p in pairs if p[2] in labels)


class Command(BaseCommand):
    help = "Retrain the classifier on the shipped training CSV plus the system's closed, categorised matters."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", default=str(classifier.TRAIN_CSV), help="base training CSV(.gz)")
        parser.add_argument("--out", default=str(classifier.MODEL_PATH), help="model file to write")
        parser.add_argument("--folds", type=int, default=5, help="grouped CV folds; 0 skips CV")

    def handle(self, *args: Any, **options: Any) -> None:
        data = Path(options["data"])
        if not data.is_file():
            raise CommandError(f"training file not found: {data}")
        base = classifier.read_examples(data)
        # Only labels the base set knows: a new top-level category with a handful of matters would
        # be a class the CV cannot evaluate; add it to the training CSV deliberately instead.
        own = closed_matter_examples({e.label for e in base})
        self.stdout.write(f"{len(base)} examples from {data}, {len(own)} from closed matters")
        train_and_write(self, base + own, Path(options["out"]), options["folds"])
