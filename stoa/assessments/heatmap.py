"""The heat map's rows: one per likelihood (most likely first), one cell per consequence, each cell
with its risk level and the scenarios placed there. Shared by the results, the report and what-ifs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from stoa.assessments.matrix import FrozenMatrix


def heat_rows(frozen: FrozenMatrix, placed: Iterable[tuple[tuple[int, int], Any]]) -> list[dict[str, Any]]:
    """PLACED: ((likelihood, consequence), scenario) pairs; a scenario may appear once per pair."""
    matrix = frozen.domain()
    names = frozen.level_names()
    by_cell: dict[tuple[int, int], list[Any]] = {}
    for cell, scenario in placed:
        by_cell.setdefault(cell, []).append(scenario)
    rows = []
    for likelihood in sorted(frozen.likelihood_steps, key=lambda step: -step["value"]):
        cells = []
        for consequence in frozen.consequence_steps:
            level = matrix.cell(likelihood["value"], consequence["value"])
            cells.append({"level": level, "level_name": names.get(level.id, level.name), "consequence": consequence,
                          "threats": by_cell.get((likelihood["value"], consequence["value"]), [])})
        rows.append({"likelihood": likelihood, "cells": cells})
    return rows
