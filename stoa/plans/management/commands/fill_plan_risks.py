"""``stoa manage fill_plan_risks``: compute the stored risk figures of every plan left empty.

The city overview fills them on its first read anyway; after an upgrade that adds them, or a
library load that empties them all, running this first spares that read the seconds it takes.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from stoa.plans.models import ActionPlan
from stoa.plans.risk import fill


class Command(BaseCommand):
    help = "Compute the stored risk score of every action plan whose figures are empty."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Plans filled: {fill(ActionPlan.objects.all())}.")
