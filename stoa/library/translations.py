"""Library texts in the interface languages beyond English and French.

A library file is written in English with its French beside it (``translations.fr`` on every item,
``{en, fr}`` terms). The other languages live apart, one file per language and library file:
``<dir>/translations/<lang>/<file>.yaml``, a list of ``{en: <English text>, <lang>: <translation>}``
pairs. Keeping them apart lets a translator work on one language without touching the library,
and keying on the English text (as gettext does) means a moved or re-ordered item keeps its
translation.

``apply`` merges a language's texts into the parsed YAML before schema validation, so the loaded
rows carry ``translations.<lang>`` and ``term[<lang>]`` exactly like French. ``english_texts``
lists what a translation file must cover; ``check`` reports what is missing or stale. No database
here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from stoa.library import strict_yaml

OVERLAY_LANGUAGES = ("nl", "es", "lt", "el", "ro")
MAX_BYTES = 2 * 1024 * 1024


def overlay_path(library_path: Path, lang: str) -> Path:
    return library_path.parent / "translations" / lang / library_path.name


def _translatable(node: Any) -> Iterator[tuple[dict[str, Any], str | None]]:
    """Every place in NODE that carries French: (a mapping with ``translations.fr``, None) or
    (a term ``{en, fr}``, "term"). Walks the document in order."""
    if isinstance(node, dict):
        block = node.get("translations")
        if isinstance(block, dict) and isinstance(block.get("fr"), dict):
            yield node, None
        if "en" in node and "fr" in node:
            yield node, "term"
        for value in node.values():
            yield from _translatable(value)
    elif isinstance(node, list):
        for value in node:
            yield from _translatable(value)


def english_texts(document: Any) -> list[str]:
    """The English texts of DOCUMENT that have a French translation, once each, in file order."""
    seen: dict[str, None] = {}
    for node, shape in _translatable(document):
        if shape == "term":
            if isinstance(node["en"], str):
                seen.setdefault(node["en"])
        else:
            for key in node["translations"]["fr"]:
                if isinstance(node.get(key), str):
                    seen.setdefault(node[key])
    return list(seen)


@dataclass
class Overlay:
    lang: str
    path: Path
    texts: dict[str, str] = field(default_factory=dict)
    data: bytes = b""
    messages: list[str] = field(default_factory=list)


def read_overlay(library_path: Path, lang: str) -> Overlay | None:
    """LANG's translation file for the library at LIBRARY_PATH, or None when there is none."""
    path = overlay_path(library_path, lang)
    if not path.is_file():
        return None
    overlay = Overlay(lang, path)
    where = f"translations/{lang}/{path.name}"
    try:
        overlay.data = path.read_bytes()
        if len(overlay.data) > MAX_BYTES:
            overlay.messages.append(f"{where}: the file is larger than {MAX_BYTES // 1024} KiB")
            return overlay
        raw = strict_yaml.load(overlay.data.decode("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        overlay.messages.append(f"{where}: cannot be read: {exc}")
        return overlay
    if not isinstance(raw, dict) or raw.get("language") != lang or raw.get("source") != path.name:
        overlay.messages.append(f"{where}: expected 'language: {lang}', 'source: {path.name}' and 'texts'")
        return overlay
    for index, entry in enumerate(raw.get("texts") or []):
        if not (isinstance(entry, dict) and set(entry) == {"en", lang}
                and isinstance(entry["en"], str) and isinstance(entry[lang], str | None)):
            overlay.messages.append(f"{where}: texts[{index}]: expected exactly 'en' and '{lang}', both text")
            continue
        if entry["en"] in overlay.texts:
            overlay.messages.append(f"{where}: texts[{index}]: the English text appears twice: {entry['en'][:60]!r}")
            continue
        translated = (entry[lang] or "").strip()
        if translated:  # an empty entry is a text still to translate: English is shown meanwhile
            overlay.texts[entry["en"]] = translated
    return overlay


def apply(document: Any, lang: str, texts: dict[str, str]) -> None:
    """Add LANG's TEXTS to DOCUMENT in place, beside French; untranslated texts are left out."""
    for node, shape in list(_translatable(document)):
        if shape == "term":
            if node["en"] in texts:
                node[lang] = texts[node["en"]]
            continue
        block = {key: texts[node[key]] for key in node["translations"]["fr"]
                 if isinstance(node.get(key), str) and node[key] in texts}
        if block:
            node["translations"][lang] = block


@dataclass
class Coverage:
    missing: list[str]
    stale: list[str]


def coverage(document: Any, overlay: Overlay | None) -> Coverage:
    wanted = english_texts(document)
    have = overlay.texts if overlay else {}
    return Coverage(missing=[text for text in wanted if text not in have],
                    stale=[text for text in have if text not in set(wanted)])


def skeleton(document: Any, lang: str, source: str, overlay: Overlay | None) -> str:
    """The translation file for SOURCE in LANG: every English text, with the translation kept
    where there is one and left empty where there is not; stale texts are dropped."""
    have = overlay.texts if overlay else {}
    body = {"language": lang, "source": source,
            "texts": [{"en": text, lang: have.get(text, "")} for text in english_texts(document)]}
    header = (f"# {source} in '{lang}': each English text of the library file with its translation.\n"
              "# Written by `stoa manage library_translations`; fill the empty values.\n")
    return header + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100)
