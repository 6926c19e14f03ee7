"""``stoa sites import|export|list``: public spaces of one organisation, for operators.

The command line runs with the operator's authority over the whole installation, so it names the
organisation explicitly; it uses the same import and export services as the pages and the API.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from stoa.cli.common import CommandError


def register(sub: argparse._SubParsersAction) -> None:
    sites = sub.add_parser("sites", help="public spaces of interest").add_subparsers(dest="action", required=True)

    imp = sites.add_parser("import", help="import sites from a GeoJSON or CSV file (all or nothing)")
    imp.add_argument("file", type=Path, help="a .geojson/.json FeatureCollection or a .csv file, UTF-8")
    imp.add_argument("--org", required=True, help="short name of the organisation that will own the sites")
    imp.add_argument("--user", help="username recorded in the audit trail as the author (a member of --org)")
    imp.set_defaults(handler=import_command)

    exp = sites.add_parser("export", help="write an organisation's sites as GeoJSON or CSV")
    exp.add_argument("--org", required=True, help="organisation short name")
    exp.add_argument("--format", choices=["geojson", "csv"], default="geojson")
    exp.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    exp.set_defaults(handler=export_command)

    lst = sites.add_parser("list", help="list an organisation's sites")
    lst.add_argument("--org", required=True, help="organisation short name")
    lst.set_defaults(handler=list_command)


def _organisation(slug: str) -> Any:
    from stoa.accounts.models import Organisation

    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise CommandError(f"no organisation with the short name {slug!r} (see: stoa org list)")
    return org


def _owned_sites(org: Any) -> Any:
    from stoa.sites.models import Site

    # The operator acts for the whole installation: the organisation's own sites, not shared ones.
    return Site.objects.filter(organisation=org).select_related("category", "organisation")


def import_command(args: argparse.Namespace) -> int:
    from django.contrib.auth import get_user_model

    from stoa.accounts.tenancy import memberships_of
    from stoa.sites.services.imports import ImportRejected, import_sites

    org = _organisation(args.org)
    user = None
    if args.user:
        user = get_user_model().objects.filter(username=args.user).first()
        if user is None or org.pk not in memberships_of(user):
            raise CommandError(f"{args.user!r} is not a member of {args.org}")
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {args.file}: {exc.strerror}") from exc
    try:
        result = import_sites(org, data, args.file.name, user=user)
    except ImportRejected as rejected:
        print(f"stoa sites import: {args.file} refused, nothing imported; "
              f"{len(rejected.problems)} problem(s):", file=sys.stderr)
        for problem in rejected.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(f"imported {result.count} site(s) into {org.slug}")
    return 0


def export_command(args: argparse.Namespace) -> int:
    from stoa.sites.services.exports import export_csv, export_geojson

    sites = _owned_sites(_organisation(args.org))
    if args.format == "csv":
        text = export_csv(sites)
    else:
        text = json.dumps(export_geojson(sites), ensure_ascii=False, indent=1) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise CommandError(f"cannot write {args.output}: {exc.strerror}") from exc
    print(f"wrote {sites.count()} site(s) to {args.output}", file=sys.stderr)
    return 0


def list_command(args: argparse.Namespace) -> int:
    sites = list(_owned_sites(_organisation(args.org)))
    if not sites:
        print(f"{args.org} has no sites yet (stoa sites import FILE --org {args.org})")
        return 0
    print(f"{'NAME':32} {'CATEGORY':16} {'PRIORITY':>8} {'AREA m²':>10}  ID")
    for site in sites:
        area = f"{site.area_m2:,.0f}" if site.area_m2 is not None else "-"
        print(f"{site.name[:32]:32} {site.category.ref_id[:16]:16} {site.priority:>8} {area:>10}  {site.pk}")
    return 0
