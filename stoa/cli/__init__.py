"""The ``stoa`` operator command. Each sub-command lives in its own module with a ``register``.

Run ``stoa --help`` for the list. Logic lives in importable service functions, so tests call
the same code the command line runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from stoa.cli import backup, demo, library, manage, orgs, setup, sites, users
from stoa.cli.common import CommandError

COMMANDS = (setup, orgs, users, library, sites, demo, backup, manage)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stoa", description="Operate a Stoa installation.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stoa.settings")
    import django

    django.setup()


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["manage"]:
        return manage.passthrough(args_list[1:])
    parser = build_parser()
    args = parser.parse_args(args_list)
    setup_django()
    from django.core.exceptions import ValidationError

    try:
        result = args.handler(args)
    except (CommandError, ValidationError) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        print(f"stoa {args.command}: error: {message}", file=sys.stderr)
        return 1
    return int(result or 0)
