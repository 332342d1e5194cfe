"""Register an application for the Open311 API and print its api_key (shown only this once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from exchange.services import create_open311_client


class Command(BaseCommand):
    help = "Register an Open311 client application and print its api_key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        client, key = create_open311_client(options["name"], now=timezone.now())
        self.stdout.write(f"{client.name}: api_key {key}")
