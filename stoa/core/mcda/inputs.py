"""Checking and shaping the inputs shared by the methods: decision matrix, weights, benefit flags.

Every public function of the package goes through these, so a bad input is refused with the same
message wherever it comes in, and the computations can assume clean float arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from stoa.core.mcda.errors import McdaInputError

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
BoolArray = np.ndarray[Any, np.dtype[np.bool_]]
IntArray = np.ndarray[Any, np.dtype[np.int64]]


def number(value: float) -> str:
    """VALUE as a person would write it: 3 rather than 3.0, 0.333 rather than 0.33333333."""
    return f"{float(value):.4g}"


def floats(values: ArrayLike, what: str) -> FloatArray:
    """VALUES as a float array, or an McdaInputError naming WHAT when they are not numbers."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise McdaInputError(f"the {what} must be numbers") from None
    return array


def vector(values: ArrayLike, what: str, *, allow_nan: bool = False) -> FloatArray:
    """A non-empty 1-D float array of finite numbers (NaN allowed when ALLOW_NAN)."""
    array = floats(values, what)
    if array.ndim != 1:
        raise McdaInputError(f"the {what} must be a list of numbers, not a table")
    if array.size == 0:
        raise McdaInputError(f"the {what} are empty")
    bad = np.isinf(array) if allow_nan else ~np.isfinite(array)
    if bad.any():
        position = int(np.flatnonzero(bad)[0]) + 1
        raise McdaInputError(f"the {what} contain a missing or infinite value (number {position})")
    return array


def decision_matrix(matrix: ArrayLike, *, allow_nan: bool = False) -> FloatArray:
    """The alternatives × criteria matrix as floats: at least one of each, every value finite."""
    array = floats(matrix, "decision matrix values")
    if array.ndim != 2:
        raise McdaInputError("the decision matrix must be a table of alternatives (rows) × criteria (columns)")
    if array.shape[0] == 0:
        raise McdaInputError("the decision matrix has no alternatives")
    if array.shape[1] == 0:
        raise McdaInputError("the decision matrix has no criteria")
    bad = np.isinf(array) if allow_nan else ~np.isfinite(array)
    if bad.any():
        row, column = (int(i) + 1 for i in np.argwhere(bad)[0])
        raise McdaInputError("the decision matrix has a missing or infinite value: "
                             f"alternative {row}, criterion {column}")
    return array


def weights_for(weights: ArrayLike, criteria: int) -> FloatArray:
    """WEIGHTS normalised to sum 1: one per criterion, none negative or missing, sum above 0."""
    array = floats(weights, "weights")
    if array.ndim != 1:
        raise McdaInputError("the weights must be a list of numbers, one per criterion")
    if array.size != criteria:
        raise McdaInputError(f"matrix has {criteria} criteria but {array.size} weights")
    return normalised(array, "weight")


def normalised(array: FloatArray, what: str) -> FloatArray:
    """Non-negative finite ARRAY (one WHAT per criterion) divided by its sum; McdaInputError otherwise."""
    missing = ~np.isfinite(array)
    if missing.any():
        raise McdaInputError(f"a {what} is missing or not a number (criterion {int(np.flatnonzero(missing)[0]) + 1})")
    negative = array < 0
    if negative.any():
        position = int(np.flatnonzero(negative)[0])
        raise McdaInputError(f"a {what} cannot be negative (criterion {position + 1} has {number(array[position])})")
    total = float(array.sum())
    if not total > 0:
        raise McdaInputError(f"the {what}s must sum to a positive number")
    return array / total


def benefit_for(benefit: ArrayLike, criteria: int) -> BoolArray:
    """One flag per criterion, True when higher is better; 1/0 are accepted for True/False."""
    array = np.asarray(benefit)
    if array.ndim != 1:
        raise McdaInputError("the benefit flags must be a list, one True or False per criterion")
    if array.size != criteria:
        raise McdaInputError(f"matrix has {criteria} criteria but {array.size} benefit flags")
    if array.dtype == np.bool_:
        return array.astype(bool)
    try:
        numeric = array.astype(float)
    except (TypeError, ValueError):
        numeric = np.full(array.shape, np.nan)
    if not np.isin(numeric, (0.0, 1.0)).all():
        raise McdaInputError("each benefit flag must be True (higher is better) or False (lower is better)")
    return numeric == 1.0


def per_criterion(value: float | Sequence[float] | ArrayLike, criteria: int, what: str) -> FloatArray:
    """VALUE repeated for every criterion when it is one number, else checked to have one per criterion."""
    array = floats(value, what)
    if array.ndim == 0:
        return np.full(criteria, float(array))
    if array.ndim != 1 or array.size != criteria:
        raise McdaInputError(f"{what} must be one number, or one per criterion ({criteria})")
    return array


def problem(matrix: ArrayLike, weights: ArrayLike, benefit: ArrayLike) -> tuple[FloatArray, FloatArray, BoolArray]:
    """The checked (matrix, normalised weights, benefit flags) of a decision problem."""
    values = decision_matrix(matrix)
    criteria = values.shape[1]
    return values, weights_for(weights, criteria), benefit_for(benefit, criteria)
