"""The background worker: delivers the outbox, runs the automatic escalation (due-soon and
overdue notices, reminders, supervision orders), reminds missing screening reports and closes matters whose review window lapsed. ``--once`` runs one round (for cron or tests)."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from indicators.services import refresh_tallies
from matters.services import close_lapsed_matters
from notify.services import LEASE, deliver_pending
from screening.services import remind_missing
from supervision.services import run_escalation


class Command(BaseCommand):
    help = "Deliver the outbox and run the periodic jobs, every --interval seconds (or --once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--interval", type=float, default=10.0)
        parser.add_argument("--lease", type=float, default=LEASE.total_seconds(),
                            help="seconds a claimed outbox message is this worker's before another may resend it")
        parser.add_argument("--jobs-every", type=float, default=600.0, help="seconds between due-state and closing scans")

    def handle(self, *args: Any, **opts: Any) -> None:
        last_jobs = 0.0
        while True:
            now = timezone.now()
            sent, failed = deliver_pending(now=now, lease=timedelta(seconds=opts["lease"]))
            if sent or failed:
                self.stdout.write(f"{timezone.localtime(now):%H:%M:%S} outbox: {sent} sent, {failed} failed")
            if time.monotonic() - last_jobs >= opts["jobs_every"] or opts["once"]:
                r = run_escalation(now=now)
                closed = close_lapsed_matters(now=now)
                # Idempotent: each missing screening report is reminded once, however often this runs.
                reminded = remind_missing(now=now)
                refresh_tallies(now)  # finished months the indicators read from tallies; see indicators.tallies
                last_jobs = time.monotonic()
                self.stdout.write(f"{timezone.localtime(now):%H:%M:%S} jobs: {r.told} inbox items, {r.reminders} reminders, "
                                  f"{r.supervisions} supervision orders, {r.escalated} escalated, {closed} matters closed, "
                                  f"{reminded} screening reminders")
            if opts["once"]:
                return
            time.sleep(opts["interval"])
