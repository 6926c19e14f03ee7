"""A risk matrix: the risk level of a (likelihood, consequence) pair.

The data is a ``risk_matrix`` library object (``stoa/library/content/risk-matrix.yaml``):
``likelihood`` and ``consequence`` scales whose values run 1, 2, ... n; ``levels`` listed from the
least to the most severe; ``grid[likelihood - 1][consequence - 1]`` naming a level id.

Stoa's shipped default is 5 × 5 with risk = likelihood × consequence banded 1–4 low, 5–9 medium,
10–16 high, 20–25 very high, a documented default because the EU VAT's scale is not public
(research notes, protect-methodology.md §7.3 "VA risk combination" and §7.5 U3). Nothing here
assumes that default: any matrix of the same shape works, which is how a city loads its own.

A level's ``rank`` is its position in ``levels``, 1 for the least severe.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Level:
    id: str
    name: str
    colour: str
    rank: int  # 1 = least severe
    translations: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class RiskMatrix:
    likelihood_levels: int  # the scale runs 1 .. likelihood_levels
    consequence_levels: int
    levels: tuple[Level, ...]
    grid: tuple[tuple[str, ...], ...]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RiskMatrix:
        """Build from a risk_matrix object's data dict; ValueError says what does not fit."""
        rows = _scale_size(data.get("likelihood"), "likelihood")
        columns = _scale_size(data.get("consequence"), "consequence")
        raw_levels = data.get("levels")
        if not isinstance(raw_levels, list) or not raw_levels:
            raise ValueError("risk matrix: levels must be a non-empty list")
        levels = tuple(_level(raw, rank) for rank, raw in enumerate(raw_levels, start=1))
        ids = [level.id for level in levels]
        if len(set(ids)) != len(ids):
            raise ValueError("risk matrix: level ids must be unique")
        grid = data.get("grid")
        if not isinstance(grid, list) or len(grid) != rows:
            raise ValueError(f"risk matrix: the grid needs {rows} rows, one per likelihood value")
        for r, row in enumerate(grid):
            if not isinstance(row, list) or len(row) != columns:
                raise ValueError(f"risk matrix: grid row {r + 1} needs {columns} cells")
            unknown = [cell for cell in row if cell not in ids]
            if unknown:
                raise ValueError(f"risk matrix: grid row {r + 1} names undefined levels {unknown}")
        return cls(rows, columns, levels, tuple(tuple(row) for row in grid))

    def level(self, level_id: str) -> Level:
        for level in self.levels:
            if level.id == level_id:
                return level
        raise ValueError(f"no risk level {level_id!r} in this matrix")

    def cell(self, likelihood: int, consequence: int) -> Level:
        """The level at (LIKELIHOOD, CONSEQUENCE); ValueError for a value outside either scale."""
        _check_value(likelihood, self.likelihood_levels, "likelihood")
        _check_value(consequence, self.consequence_levels, "consequence")
        return self.level(self.grid[likelihood - 1][consequence - 1])


def _scale_size(scale: Any, name: str) -> int:
    if not isinstance(scale, list) or len(scale) < 2:
        raise ValueError(f"risk matrix: the {name} scale must list at least two values")
    values = [item.get("value") if isinstance(item, Mapping) else None for item in scale]
    if values != list(range(1, len(scale) + 1)):
        raise ValueError(f"risk matrix: the {name} scale values must run 1, 2, ... {len(scale)} in order")
    return len(scale)


def _level(raw: Any, rank: int) -> Level:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str) or not raw["id"]:
        raise ValueError(f"risk matrix: level {rank} needs an id")
    return Level(raw["id"], str(raw.get("name", raw["id"])), str(raw.get("colour", "")), rank,
                 dict(raw.get("translations") or {}))


def _check_value(value: Any, size: int, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= size:
        raise ValueError(f"{name} must be a whole number from 1 to {size}, not {value!r}")
