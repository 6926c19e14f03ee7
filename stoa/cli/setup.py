"""``stoa setup``: bring an installation to a usable state; safe to run again at any time.

Steps: apply migrations, load (or upgrade) the shipped content libraries, load the demo city
when the database has no organisation yet, and create an administrator when there is none.
Existing data is never changed. New passwords are printed once and stored only as hashes.
"""

from __future__ import annotations

import argparse
from typing import Any

from stoa.cli.common import CommandError

ADMIN_USERNAME = "admin"


def register(sub: argparse._SubParsersAction) -> None:
    setup = sub.add_parser(
        "setup",
        help="migrate, load the shipped libraries, the demo city (empty database only) and an administrator",
        description="Prepare the database: apply migrations, load the shipped content libraries, load the "
        "fictional demo city if there is no organisation yet, and create an administrator if there is none. "
        "Running it again keeps existing data.",
    )
    setup.add_argument("--no-demo", action="store_true", help="do not load the demo city, even on an empty database")
    setup.set_defaults(handler=run_setup)


def run_setup(args: argparse.Namespace) -> int:
    from stoa.demo.loader import DemoError
    from stoa.library.loader import LibraryError

    migrated = migrate()
    print(f"Database: {migrated} migration(s) applied." if migrated else "Database: already up to date.")
    try:
        load_libraries()
        password = load_demo_if_empty(skip=args.no_demo)
    except (DemoError, LibraryError) as exc:
        raise CommandError(str(exc)) from exc
    create_admin_if_missing(password)
    return 0


def migrate() -> int:
    """Apply pending migrations; return how many were applied."""
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    call_command("migrate", interactive=False, verbosity=0)
    return len(pending)


def load_libraries() -> None:
    from stoa.library.loader import load_files, shipped_files

    outcomes = load_files(shipped_files())
    changed = [o for o in outcomes if o.status != "unchanged"]
    print(f"Content libraries: {len(outcomes)} shipped, {len(changed)} loaded or upgraded.")
    for outcome in changed:
        print(f"  {outcome.summary()}")


def load_demo_if_empty(skip: bool = False) -> str | None:
    """Load the demo city on a database without organisations; return the new demo password, if any."""
    from stoa.accounts.models import Organisation
    from stoa.cli.demo import print_demo_result
    from stoa.demo.loader import load_demo

    if Organisation.objects.exists():
        print("Organisations exist already: the demo city was not loaded (`stoa demo` adds it).")
        return None
    if skip:
        print("Demo city skipped (--no-demo).")
        return None
    result = load_demo()
    print_demo_result(result)
    return result.password


def create_admin_if_missing(password: str | None = None) -> Any:
    """Create a superuser ``admin`` when none exists, member (administrator) of the demo municipality.

    PASSWORD is reused when the demo city was loaded in the same run, so a new installation has one
    password to note; otherwise a new random one is generated. Either way it is printed once.
    """
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from stoa.accounts.models import Membership, Organisation
    from stoa.demo.loader import generate_password, read_demo_file

    User = get_user_model()
    if User.objects.filter(is_superuser=True).exists():
        print("Administrator: one exists already, none created.")
        return None
    if User.objects.filter(username=ADMIN_USERNAME).exists():
        print(f"Administrator: none created, because the user name {ADMIN_USERNAME!r} is taken; "
              "create one with: stoa manage createsuperuser")
        return None
    password = password or generate_password()
    demo_org = Organisation.objects.filter(slug=read_demo_file().owner.slug).first()
    with transaction.atomic():
        user = User.objects.create_superuser(ADMIN_USERNAME, email="", password=password)
        if demo_org is not None:
            Membership.objects.create(user=user, organisation=demo_org, role="admin")
    where = f", administrator of {demo_org.name}" if demo_org else ""
    print(f"Administrator created: user name {ADMIN_USERNAME}, password {password} "
          f"(shown only now{where}; Django admin at /django-admin/).")
    return user
