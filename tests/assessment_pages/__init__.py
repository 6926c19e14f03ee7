"""Assessment pages added by later parts of the workflow, one module per area.

Each module defines ``PAGES`` (a list of ``Page``), optionally ``POST_DATA`` (page name → function of
the world giving the form data) and ``extend_world(world) -> dict`` (extra objects its pages need).
tests/test_assessments_pages_access.py runs every page × role × organisation case for all of them.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[dict[str, Any]], str]
    action: str
    ok: int = 200
    method: str = "get"
    org_level: bool = False
    data: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.name


def _areas() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{m.name}") for m in pkgutil.iter_modules(__path__)]


AREAS: list[ModuleType] = _areas()
