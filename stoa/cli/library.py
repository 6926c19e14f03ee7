"""``stoa library list|validate|load|remove``: the operator's handle on content libraries.

The logic lives in ``stoa.library.loader``; this module parses arguments and prints results.
Problems go to standard error, one per line, and the exit code is 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from stoa.cli.common import CommandError


def register(sub: argparse._SubParsersAction) -> None:
    library = sub.add_parser("library", help="content libraries (threat types, PSOI categories, risk matrix...)")
    actions = library.add_subparsers(dest="action", required=True)

    lst = actions.add_parser("list", help="list loaded libraries")
    lst.set_defaults(handler=list_libraries)

    validate = actions.add_parser("validate", help="check library files without loading them")
    validate.add_argument("files", nargs="+", metavar="FILE", help="YAML library file")
    validate.set_defaults(handler=validate_files)

    load = actions.add_parser(
        "load", help="load or upgrade library files (all shipped libraries when no FILE is given)",
        description="All files are validated first and loaded in one transaction: on any error nothing is written.",
    )
    load.add_argument("files", nargs="*", metavar="FILE", help="YAML library file")
    load.add_argument("--allow-downgrade", action="store_true",
                      help="accept a file whose version is lower than the loaded one")
    load.set_defaults(handler=load_libraries)

    remove = actions.add_parser("remove", help="remove a library that nothing uses")
    remove.add_argument("urn", metavar="URN", help="e.g. urn:stoa:library:threat-types")
    remove.set_defaults(handler=remove_library)


def _fail(messages: list[str], summary: str) -> CommandError:
    for message in messages:
        print(message, file=sys.stderr)
    return CommandError(summary)


def list_libraries(args: argparse.Namespace) -> int:
    from django.db.models import Count

    from stoa.library.loader import library_in_use
    from stoa.library.models import Library

    libraries = Library.objects.annotate(count=Count("objects_set"))
    if not libraries:
        print("no libraries loaded; run: stoa library load")
        return 0
    print(f"{'URN':44} {'VERSION':>7} {'OBJECTS':>7}  IN USE")
    for lib in libraries:
        in_use = "yes" if library_in_use(lib) else "no"
        print(f"{lib.urn:44} {lib.version:>7} {lib.count:>7}  {in_use}")  # type: ignore[attr-defined]
    return 0


def validate_files(args: argparse.Namespace) -> int:
    from stoa.library import yamlfile

    messages: list[str] = []
    for path in args.files:
        parsed = yamlfile.read(path)
        if parsed.messages:
            messages.extend(parsed.messages)
        elif parsed.model is not None:
            print(f"{parsed.filename}: valid ({parsed.model.urn} v{parsed.model.version}, "
                  f"{len(parsed.model.objects)} objects)")
    if messages:
        raise _fail(messages, f"{len(messages)} problem(s) found")
    return 0


def load_libraries(args: argparse.Namespace) -> int:
    from stoa.library import loader

    files = args.files or loader.shipped_files()
    try:
        outcomes = loader.load_files(files, allow_downgrade=args.allow_downgrade)
    except loader.LibraryError as exc:
        raise _fail(exc.messages, "nothing was loaded") from exc
    for path, outcome in zip(files, outcomes, strict=True):
        print(f"{Path(path).name}: {outcome.summary()}")
    return 0


def remove_library(args: argparse.Namespace) -> int:
    from stoa.library import loader

    try:
        count = loader.remove_library(args.urn)
    except loader.LibraryError as exc:
        raise _fail(exc.messages, "nothing was removed") from exc
    print(f"removed {args.urn} and its {count} objects")
    return 0
