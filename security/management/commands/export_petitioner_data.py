from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from org.models import User
from security.personal_info import export_personal_data


class Command(BaseCommand):
    help = ("Write everything held about a petitioner (found by phone or ID number) to a JSON file, "
            "for a request under the Personal Information Protection Law. Each export is an event.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--phone", default="")
        parser.add_argument("--id-number", default="")
        parser.add_argument("--out", required=True, help="the JSON file to write")
        parser.add_argument("--actor", default="", help="username of the staff member handling the request")
        parser.add_argument("--reason", default="", help="e.g. the request's reference number")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["phone"] and not options["id_number"]:
            raise CommandError("give --phone or --id-number")
        actor = None
        if options["actor"]:
            actor = User.objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(f"no user {options['actor']!r}")
        data = export_personal_data(phone=options["phone"], id_number=options["id_number"], actor=actor,
                                    now=timezone.now(), reason=options["reason"])
        Path(options["out"]).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        n = len(data["petitioners"])
        self.stdout.write(f"{n} petitioner(s), {sum(len(p['matters']) for p in data['petitioners'])} matter(s) "
                          f"written to {options['out']}")
