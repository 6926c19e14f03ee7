"""What an import reads and reports: records read from a file, and the problems found in it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One fault in an import file: where (``feature 3``, ``row 5``, ``file``), which field, what."""

    location: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}, {self.field}: {self.message}"


class ImportRejected(Exception):
    """The file was refused as a whole; ``problems`` lists every fault found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


@dataclass
class Record:
    """One site as read from the file, not yet checked."""

    location: str
    values: dict[str, Any]
    geometry: Any = None
    geometry_field: str = "geometry"  # what the file calls the location, for messages
    kinds: tuple[str, ...] = ("Polygon", "Point")
    from_csv: bool = False
