"""``stoa demo``: load the fictional demo city Valmont-sur-Lys (idempotent)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from stoa.cli.common import CommandError

if TYPE_CHECKING:
    from stoa.demo.loader import DemoResult


def register(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser(
        "demo",
        help="load the fictional demo city (three organisations, nine public spaces, a user per role)",
        description="Load the fictional demo city Valmont-sur-Lys. The demo users share one random password, "
        "printed once when the city is first loaded. Running it again changes nothing.",
    )
    demo.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from stoa.demo.loader import DemoError, load_demo
    from stoa.library.loader import LibraryError, load_shipped

    try:
        load_shipped()  # the demo's spaces need the shipped PSOI categories
        result = load_demo()
    except (DemoError, LibraryError) as exc:
        raise CommandError(str(exc)) from exc
    print_demo_result(result)
    return 0


def print_demo_result(result: DemoResult) -> None:
    """Say what happened; on first load, list the logins and show the shared password once."""
    if not result.created:
        print(f"The demo city {result.city} is already loaded ({result.site_count} public spaces): nothing changed.")
        print("Its password was shown when it was first loaded; to set a new one: "
              "stoa manage changepassword valmont.admin")
        return
    orgs = ", ".join(org.name for org in result.organisations)
    print(f"Loaded the demo city {result.city} (fictional): {len(result.organisations)} organisations ({orgs}), "
          f"{result.site_count} public spaces, {result.assessment_count} vulnerability assessments, "
          f"{len(result.logins)} users.")
    print()
    print(f"Demo logins. They all use this password, shown only now, so note it: {result.password}")
    width = max(len(login.username) for login in result.logins)
    role_width = max(len(login.role) for login in result.logins)
    for login in result.logins:
        print(f"  {login.username:{width}}  {login.role:{role_width}}  {login.organisation}")
