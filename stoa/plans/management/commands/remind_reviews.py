"""``stoa manage remind_reviews [--days 14]``: mail the plan reviews due and the overdue items."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stoa.plans.reminders import send_reminders


class Command(BaseCommand):
    help = "Mail reminders of action-plan reviews due within --days (or past) and of overdue items, once each."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=14, help="Remind of reviews due within this many days.")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders(days=options["days"])
        self.stdout.write(f"Review reminders sent: {sent.reviews}; overdue notices sent: {sent.overdue}.")
