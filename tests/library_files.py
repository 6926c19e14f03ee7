"""Helpers for library tests: write variants of the shipped files and snapshot the tables."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from stoa.library.loader import CONTENT_DIR
from stoa.library.models import Library, ReferenceObject

# libyaml when PyYAML has it: the pure-Python parser takes seconds on the larger shipped files.
LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def shipped(name: str) -> dict[str, Any]:
    """The parsed content of the shipped file NAME (e.g. "threat-types.yaml")."""
    return yaml.load((CONTENT_DIR / name).read_text(encoding="utf-8"), Loader=LOADER)


def variant(tmp_path: Path, name: str, change: Callable[[dict[str, Any]], Any] | None = None,
            filename: str | None = None) -> Path:
    """Write the shipped file NAME, changed by CHANGE, to TMP_PATH; return its path."""
    data = shipped(name)
    if change is not None:
        change(data)
    path = tmp_path / (filename or name)
    path.write_text(yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def snapshot() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every row of both library tables, to prove that a refused operation wrote nothing."""
    libraries = list(Library.objects.order_by("pk").values_list("pk", "urn", "version", "sha256", "loaded_at"))
    objects = list(ReferenceObject.objects.order_by("pk").values_list(
        "pk", "library_id", "urn", "kind", "ref_id", "order", "name", "description", "translations", "data"))
    return libraries, objects
