"""``stoa backup FILE [--organisation SLUG]`` and ``stoa restore FILE [--force]``.

The archive format and the rules for restoring are described in ``stoa.backup`` and the README.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from stoa.cli.common import CommandError


def register(sub: argparse._SubParsersAction) -> None:
    backup = sub.add_parser(
        "backup", help="write a consistent, checksummed backup of the installation or one organisation",
        description="Write every row and stored file of the installation (or of one organisation and what "
        "it refers to) to a zip archive with a manifest of versions, counts and SHA-256 checksums. "
        "Sessions and login-throttling records are left out.")
    backup.add_argument("file", type=Path, help="the archive to write (replaced if it exists)")
    backup.add_argument("--organisation", metavar="SLUG", help="back up only this organisation (its short name)")
    backup.set_defaults(handler=run_backup)
    restore = sub.add_parser(
        "restore", help="restore a backup into an empty installation (all or nothing)",
        description="Check the archive completely, then load it in one transaction. Refuses a damaged "
        "archive, another format version, a backup from a newer database schema, and a non-empty "
        "installation unless --force is given.")
    restore.add_argument("file", type=Path, help="the archive written by `stoa backup`")
    restore.add_argument("--force", action="store_true",
                         help="restore into a non-empty installation: an installation backup replaces all "
                         "data; an organisation backup replaces that organisation's data only")
    restore.set_defaults(handler=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    from stoa.backup.archive import BackupError
    from stoa.backup.create import make_backup

    try:
        result = make_backup(args.file, args.organisation)
    except (BackupError, OSError) as exc:
        raise CommandError(str(exc)) from exc
    rows = sum(result.counts.values())
    print(f"Backup of {result.scope}: {rows} row(s) in {sum(1 for n in result.counts.values() if n)} "
          f"table(s), {result.files} file(s), written to {result.path}.")
    for name in result.missing_files:
        print(f"  warning: stored file {name} is missing and was not archived")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from stoa.backup.archive import BackupError
    from stoa.backup.restore import restore_backup

    try:
        result = restore_backup(args.file, force=args.force)
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    kept = sum(result.kept.values())
    print(f"Restored {result.scope}: {sum(result.created.values())} row(s) created"
          + (f", {kept} existing row(s) kept" if kept else "") + f", {result.files} file(s) written.")
    return 0
