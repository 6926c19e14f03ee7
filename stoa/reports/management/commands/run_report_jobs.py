"""``stoa manage run_report_jobs``: build the queued reports, for installations that run a worker."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stoa.reports.jobs import fail_stale, run_queued


class Command(BaseCommand):
    help = "Build the queued report jobs (oldest first) and print how each ended."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=None, help="at most this many jobs per round")
        parser.add_argument("--loop", type=float, default=0, metavar="SECONDS",
                            help="keep running, looking for new jobs every SECONDS (0: one round, then stop)")
        parser.add_argument("--stale-after", type=float, default=30, metavar="MINUTES",
                            help="first end as failed the jobs running for longer than this (their process died)")

    def handle(self, *args: Any, limit: int | None = None, loop: float = 0, stale_after: float = 30,
               **options: Any) -> None:
        while True:
            stale = fail_stale(stale_after)
            if stale:
                self.stdout.write(f"{stale} interrupted report job(s) marked failed.")
            jobs = run_queued(limit)
            for job in jobs:
                line = f"{job.pk} {job.kind} {job.status}" + (f": {job.error}" if job.error else "")
                self.stdout.write(line)
            if not loop:
                self.stdout.write(f"{len(jobs)} report job(s) run.")
                return
            time.sleep(loop)
