"""``stoa manage run_report_jobs``: build the queued reports, for installations that run a worker."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stoa.reports.jobs import run_queued


class Command(BaseCommand):
    help = "Build the queued report jobs (oldest first) and print how each ended."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=None, help="at most this many jobs per round")
        parser.add_argument("--loop", type=float, default=0, metavar="SECONDS",
                            help="keep running, looking for new jobs every SECONDS (0: one round, then stop)")

    def handle(self, *args: Any, limit: int | None = None, loop: float = 0, **options: Any) -> None:
        while True:
            jobs = run_queued(limit)
            for job in jobs:
                line = f"{job.pk} {job.kind} {job.status}" + (f": {job.error}" if job.error else "")
                self.stdout.write(line)
            if not loop:
                self.stdout.write(f"{len(jobs)} report job(s) run.")
                return
            time.sleep(loop)
