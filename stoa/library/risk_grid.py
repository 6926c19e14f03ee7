"""Checks on a risk matrix grid, kept apart from the schema so they read as plain rules.

``grid[l - 1][c - 1]`` is the level id for likelihood ``l`` and consequence ``c``. Levels are
listed from the least to the most severe. No Django here.
"""

from __future__ import annotations

from typing import Any

MAX_REPORTED = 8  # enough to see the pattern of a mistake without flooding the terminal


def grid_problems(grid: list[list[Any]], rows: int, columns: int, level_ids: list[str]) -> list[str]:
    """Every way GRID fails to fit a ROWS × COLUMNS scale pair and the defined LEVEL_IDS."""
    problems: list[str] = []
    if len(grid) != rows:
        problems.append(f"the grid has {len(grid)} rows but the likelihood scale has {rows} levels")
    for r, row in enumerate(grid):
        if len(row) != columns:
            problems.append(f"grid[{r}] has {len(row)} cells but the consequence scale has {columns} levels")
        for c, cell in enumerate(row):
            if cell not in level_ids:
                problems.append(f"grid[{r}][{c}] is {cell!r}, which is not a defined level "
                                f"(defined: {', '.join(level_ids)})")
    if not problems:
        problems.extend(_monotonic_problems(grid, level_ids))
    if len(problems) > MAX_REPORTED:
        problems = [*problems[:MAX_REPORTED], f"and {len(problems) - MAX_REPORTED} more"]
    return problems


def _monotonic_problems(grid: list[list[str]], level_ids: list[str]) -> list[str]:
    """Risk may not fall when likelihood or consequence rises: that would be a typing error."""
    rank = {level: i for i, level in enumerate(level_ids)}
    problems = []
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if r and rank[cell] < rank[grid[r - 1][c]]:
                problems.append(f"grid[{r}][{c}] is {cell!r}, less severe than {grid[r - 1][c]!r} "
                                f"at the lower likelihood grid[{r - 1}][{c}]")
            if c and rank[cell] < rank[row[c - 1]]:
                problems.append(f"grid[{r}][{c}] is {cell!r}, less severe than {row[c - 1]!r} "
                                f"at the lower consequence grid[{r}][{c - 1}]")
    return problems


def level_for(grid: list[list[str]], likelihood: int, consequence: int) -> str:
    """The level id for a (1-based) likelihood and consequence."""
    if likelihood < 1 or consequence < 1:
        raise ValueError("likelihood and consequence start at 1")
    return grid[likelihood - 1][consequence - 1]
