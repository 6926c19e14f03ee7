"""Reading a library file: bytes → YAML → schema, with messages that point into the file.

Every message starts with the file's name, then the object (index and URN) and the field, and
ends with the line, e.g. ``threat-types.yaml: objects[3] (urn:stoa:threat-type:ied):
translations.fr.name: field required (line 42)``. Indexes count from 0, like the YAML list.
No database here: ``stoa.library.loader`` writes what this module accepts.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from stoa.library import translations
from stoa.library.schema import Issue, LibraryFile, check
from stoa.library.strict_yaml import StrictLoader, refuse_aliases

MAX_BYTES = 2 * 1024 * 1024  # libraries are small text files; anything bigger is a mistake


@dataclass
class ParsedFile:
    path: Path
    text: str = ""
    sha256: str = ""
    translations_sha256: str = ""  # of the files in translations/<lang>/, "" when there are none
    raw: Any = None
    model: LibraryFile | None = None
    messages: list[str] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return self.path.name


# Parsed files by the bytes they were read from: reading and validating the larger libraries takes
# a good part of a second, and one process (a test run, ``stoa setup``) reads the same ones often.
_CACHE: OrderedDict[bytes, ParsedFile] = OrderedDict()
_CACHE_SIZE = 32


def _fingerprint(path: Path) -> bytes | None:
    """SHA-256 over the library file and its translation files' paths and bytes; None if unreadable."""
    digest = hashlib.sha256()
    for part in [path, *(translations.overlay_path(path, lang) for lang in translations.OVERLAY_LANGUAGES)]:
        try:
            data = part.read_bytes()
        except FileNotFoundError:
            data = None
        except OSError:
            return None
        digest.update(str(part.resolve()).encode() + (b"\0" + data if data is not None else b"\1"))
    return digest.digest()


def read(path: str | Path) -> ParsedFile:
    """Read and validate the library file at PATH; ``messages`` lists every problem found.

    The result may be shared with other callers that read the same bytes: treat it as read-only."""
    key = _fingerprint(Path(path))
    if key is not None and key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    parsed = _read(Path(path))
    if key is not None:
        _CACHE[key] = parsed
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return parsed


def _read(path: Path) -> ParsedFile:
    parsed = ParsedFile(path)
    name = parsed.filename
    try:
        data = parsed.path.read_bytes()
    except OSError as exc:
        parsed.messages.append(f"{name}: cannot read the file: {exc.strerror or exc}")
        return parsed
    if len(data) > MAX_BYTES:
        parsed.messages.append(f"{name}: the file is larger than {MAX_BYTES // 1024} KiB")
        return parsed
    parsed.sha256 = hashlib.sha256(data).hexdigest()
    try:
        parsed.text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        parsed.messages.append(f"{name}: the file is not UTF-8 text (byte {exc.start})")
        return parsed
    loader = StrictLoader(parsed.text)
    try:
        node = loader.get_single_node()
        if node is not None:
            refuse_aliases(node)
        parsed.raw = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        parsed.messages.append(f"{name}: {_yaml_error(exc)}")
        return parsed
    finally:
        loader.dispose()
    if not isinstance(parsed.raw, dict):
        parsed.messages.append(f"{name}: expected a mapping with the library header and 'objects' (line 1)")
        return parsed
    # Translations have their own fingerprint: a new or corrected language refreshes the loaded
    # texts in place, while the version number stays tied to what the library says.
    digest, found = hashlib.sha256(), False
    for lang in translations.OVERLAY_LANGUAGES:
        overlay = translations.read_overlay(parsed.path, lang)
        if overlay is None:
            continue
        parsed.messages.extend(f"{name}: {message}" for message in overlay.messages)
        translations.apply(parsed.raw, lang, overlay.texts)
        digest.update(lang.encode() + b"\0" + overlay.data)
        found = True
    parsed.translations_sha256 = digest.hexdigest() if found else ""
    if parsed.messages:
        return parsed
    parsed.model, issues = check(parsed.raw)
    parsed.messages.extend(format_issue(name, issue, parsed.raw, node) for issue in issues)
    return parsed


def format_issue(filename: str, issue: Issue, raw: Any, root: Any) -> str:
    loc = issue.loc
    parts = [filename]
    if len(loc) >= 2 and loc[0] == "objects" and isinstance(loc[1], int):
        obj = raw["objects"][loc[1]] if loc[1] < len(raw.get("objects") or []) else None
        urn = obj.get("urn") if isinstance(obj, dict) else None
        parts.append(f"objects[{loc[1]}]" + (f" ({urn})" if isinstance(urn, str) else ""))
        loc = loc[2:]
    path = _path(loc)
    if path:
        parts.append(path)
    line = _line_of(root, issue.loc)
    return ": ".join([*parts, issue.message]) + (f" (line {line})" if line else "")


def _path(loc: tuple[str | int, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_of(node: Any, loc: tuple[str | int, ...]) -> int | None:
    """The line of the deepest YAML node along LOC (for a missing field: its parent's line)."""
    if node is None:
        return None
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((value for key, value in node.value if getattr(key, "value", None) == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node = child
    return node.start_mark.line + 1


def _yaml_error(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return f"YAML syntax error{where}: {problem}"
