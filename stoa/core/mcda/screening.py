"""Knock-outs: alternatives that fail a must-have threshold are set aside before scoring.

An alternative is knocked out when any criterion's value is below that criterion's minimum or
above its maximum (protect-methodology §7.3: must-have requirements act as knock-outs). A NaN
threshold, or none given, means the criterion has no such limit. A missing (NaN) value never
knocks out by itself: whether an incomplete evaluation may be scored is the caller's decision.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from stoa.core.mcda.errors import McdaInputError
from stoa.core.mcda.inputs import BoolArray, FloatArray, decision_matrix, number, per_criterion


def _limits(values: FloatArray, minimum: ArrayLike | None, maximum: ArrayLike | None) -> tuple[FloatArray, FloatArray]:
    criteria = values.shape[1]
    low = np.full(criteria, np.nan) if minimum is None else per_criterion(minimum, criteria, "the minimum")
    high = np.full(criteria, np.nan) if maximum is None else per_criterion(maximum, criteria, "the maximum")
    if np.isinf(low).any() or np.isinf(high).any():
        raise McdaInputError("a threshold cannot be infinite (leave it empty for no limit)")
    for j in np.flatnonzero(low > high):
        raise McdaInputError(f"criterion {j + 1} has a minimum ({number(low[j])}) "
                             f"above its maximum ({number(high[j])})")
    return low, high


def failures(matrix: ArrayLike, minimum: ArrayLike | None = None, maximum: ArrayLike | None = None) -> BoolArray:
    """Alternatives × criteria: True where the value breaks that criterion's minimum or maximum."""
    values = decision_matrix(matrix, allow_nan=True)
    low, high = _limits(values, minimum, maximum)
    with np.errstate(invalid="ignore"):
        failed: BoolArray = (values < low) | (values > high)  # comparisons with NaN are False: no limit, no value
    return failed


def knock_outs(matrix: ArrayLike, minimum: ArrayLike | None = None, maximum: ArrayLike | None = None) -> BoolArray:
    """True for each alternative knocked out by some criterion's minimum or maximum."""
    return np.asarray(failures(matrix, minimum, maximum).any(axis=1), dtype=bool)


def knock_out_reasons(matrix: ArrayLike, minimum: ArrayLike | None = None,
                      maximum: ArrayLike | None = None) -> list[list[int]]:
    """For each alternative, the (0-based) criteria it fails; an empty list when it passes."""
    return [np.flatnonzero(row).tolist() for row in failures(matrix, minimum, maximum)]
