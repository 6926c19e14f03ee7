"""``stoa manage ...``: Django's management commands, unchanged."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence


def register(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("manage", help="run a Django management command (e.g. stoa manage migrate)", add_help=False)


def passthrough(argv: Sequence[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stoa.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["stoa manage", *argv])
    return 0
