from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo import seed
from demo.organisation import DEMO_PASSWORD, format_accounts_table


class Command(BaseCommand):
    help = (
        "Load the demo: a city's units and areas, the taxonomy, demo accounts (password "
        f"{DEMO_PASSWORD}) and petition matters in every state, all through the services. "
        "Does nothing if the demo is already loaded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--matters",
            type=int,
            default=seed.DEFAULT_MATTERS,
            help=f"how many matters (default {seed.DEFAULT_MATTERS})",
        )
        parser.add_argument("--seed", type=int, default=seed.SEED, help="random seed (default: fixed)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["matters"] < 0:
            raise CommandError("--matters must be 0 or more.")
        if seed.demo_loaded():
            self.stdout.write("Demo data already loaded.")
            self.stdout.write(format_accounts_table())
            return
        result = seed.load_demo(matters=options["matters"], seed=options["seed"], say=self.stdout.write)
        if result is not None:
            for line in result.lines():
                self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo accounts:"))
        self.stdout.write(format_accounts_table())
