"""``stoa org create``."""

from __future__ import annotations

import argparse

from stoa.cli.common import CommandError


def register(sub: argparse._SubParsersAction) -> None:
    org = sub.add_parser("org", help="organisations").add_subparsers(dest="action", required=True)
    create = org.add_parser("create", help="create an organisation")
    create.add_argument("slug", help="short name used on the command line, e.g. valmont")
    create.add_argument("--name", required=True, help="full name, e.g. 'City of Valmont'")
    create.add_argument("--kind", required=True,
                        choices=["region", "municipality", "police", "venue_operator", "event_organiser", "vendor"])
    create.add_argument("--parent", help="slug of the region this organisation belongs to")
    create.set_defaults(handler=create_org)
    lst = org.add_parser("list", help="list organisations")
    lst.set_defaults(handler=list_orgs)


def create_org(args: argparse.Namespace) -> int:
    from stoa.accounts import services

    try:
        org = services.create_organisation(args.slug, args.name, args.kind, parent_slug=args.parent)
    except services.AccountError as exc:
        raise CommandError(str(exc)) from exc
    print(f"created organisation {org.slug} ({org.get_kind_display()}) id={org.pk}")
    return 0


def list_orgs(args: argparse.Namespace) -> int:
    from stoa.accounts.models import Organisation

    for org in Organisation.objects.select_related("parent"):
        parent = f" in {org.parent.slug}" if org.parent else ""
        print(f"{org.slug:24} {org.kind:16} {org.name}{parent}")
    return 0
