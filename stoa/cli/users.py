"""``stoa user create --org ORG --role ROLE USERNAME`` (password read from standard input)."""

from __future__ import annotations

import argparse
import sys

from stoa.cli.common import CommandError


def register(sub: argparse._SubParsersAction) -> None:
    user = sub.add_parser("user", help="people").add_subparsers(dest="action", required=True)
    create = user.add_parser("create", help="create a user (or add a membership) with a role in an organisation; "
                             "the password is read from standard input")
    create.add_argument("username")
    create.add_argument("--org", required=True, help="organisation slug")
    create.add_argument("--role", required=True,
                        choices=["admin", "security_officer", "assessor", "police_liaison", "viewer"])
    create.add_argument("--email", default="")
    create.set_defaults(handler=create_user)


def create_user(args: argparse.Namespace) -> int:
    from stoa.accounts import services

    password = sys.stdin.readline().rstrip("\n")
    try:
        user, created = services.create_member(args.username, password, args.org, args.role, email=args.email)
    except services.AccountError as exc:
        raise CommandError(str(exc)) from exc
    verb = "created user" if created else "added membership for existing user"
    print(f"{verb} {user.get_username()} as {args.role} in {args.org}")
    return 0
