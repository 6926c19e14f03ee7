"""Write or check the translation files of the shipped libraries for one language.

``stoa manage library_translations --lang nl`` writes ``content/translations/nl/<file>.yaml`` for
every shipped library: every English text, keeping the translations already there and leaving new
texts empty. ``--check`` writes nothing and fails when a text is missing or a stale one remains.
"""

from __future__ import annotations

from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser

from stoa.library import translations
from stoa.library.loader import shipped_files


class Command(BaseCommand):
    help = "Write (or with --check, verify) the translation files of the shipped libraries for one language."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lang", required=True, choices=translations.OVERLAY_LANGUAGES)
        parser.add_argument("--check", action="store_true", help="report missing and stale texts; write nothing")

    def handle(self, *args: Any, lang: str, check: bool, **options: Any) -> None:
        problems = 0
        for path in shipped_files():
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
            overlay = translations.read_overlay(path, lang)
            if overlay and overlay.messages:
                raise CommandError("\n".join(overlay.messages))
            found = translations.coverage(document, overlay)
            if check:
                problems += len(found.missing) + len(found.stale)
                self.stdout.write(f"{path.name}: {len(found.missing)} missing, {len(found.stale)} stale")
                for text in found.missing[:5]:
                    self.stdout.write(f"  missing: {text[:80]!r}")
                continue
            target = translations.overlay_path(path, lang)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(translations.skeleton(document, lang, path.name, overlay), encoding="utf-8")
            self.stdout.write(f"{target}: {len(found.missing)} to translate, {len(found.stale)} stale dropped")
        if check and problems:
            raise CommandError(f"{problems} texts missing or stale in '{lang}'")
