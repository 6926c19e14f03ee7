"""An expert panel's scores: summary per cell, agreement between raters, and stage carry-over.

* ``summarise_panel``: experts × alternatives × criteria, NaN where an expert gave no score
  (protect-methodology §7.3: no score when information is missing), summarised per alternative
  and criterion: mean (the criterion score), and the spread kept beside it.
* ``kendall_w``: Kendall's coefficient of concordance between raters, 0 (no agreement) to 1
  (identical rankings), to show whether the panel's mean means something.
* ``carry_over``: the evaluation stages RFI → demonstration → table-top (§2.2); a later stage's
  score replaces an earlier one where it exists, the rest carries over (§7.3 default).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from stoa.core.mcda.errors import McdaInputError
from stoa.core.mcda.inputs import FloatArray, IntArray, floats

CARRY_OVER_RULE = ("A later stage's score (demonstration after RFI, table-top after demonstration) replaces the "
                   "earlier score for the criteria it covers; every other score carries over from the latest stage "
                   "that has one.")


@dataclass(frozen=True)
class PanelSummary:
    """Per alternative × criterion: NaN mean, min and max where nobody scored (count 0)."""

    mean: FloatArray
    std: FloatArray  # population standard deviation: 0 for a single score
    min: FloatArray
    max: FloatArray
    count: IntArray


def summarise_panel(scores: ArrayLike) -> PanelSummary:
    """Summary of SCORES (experts × alternatives × criteria, NaN = not scored)."""
    values = floats(scores, "scores")
    if values.ndim != 3:
        raise McdaInputError("the panel's scores must be a table of experts × alternatives × criteria")
    if values.shape[0] == 0:
        raise McdaInputError("the panel has no experts")
    if np.isinf(values).any():
        raise McdaInputError("a score cannot be infinite")
    present = ~np.isnan(values)
    count = present.sum(axis=0)
    some = count > 0
    # Computed by hand rather than with nanmean & co., which warn on every empty cell.
    mean = np.where(some, np.where(present, values, 0.0).sum(axis=0) / np.maximum(count, 1), np.nan)
    spread = np.where(present, (values - mean) ** 2, 0.0).sum(axis=0) / np.maximum(count, 1)
    std = np.where(some, np.sqrt(spread), np.nan)
    low = np.where(some, np.where(present, values, np.inf).min(axis=0), np.nan)
    high = np.where(some, np.where(present, values, -np.inf).max(axis=0), np.nan)
    return PanelSummary(mean, std, low, high, count.astype(np.int64))


def kendall_w(scores_by_rater: ArrayLike) -> float:
    """Kendall's W for m raters (rows) × n items (columns), with the correction for ties.

    Each rater's scores are turned into ranks (ties get the average rank), so scores and ranks
    give the same W. Items some rater left missing (NaN) are dropped. W = 12 S / (m²(n³ − n) −
    m Σ T), S the sum of squared deviations of the items' rank sums from their mean and T = Σ(t³ − t)
    over each rater's groups of t tied items. NaN when fewer than 2 raters or 2 items remain, or
    when every rater tied every item (nothing to agree on).
    """
    values = floats(scores_by_rater, "scores")
    if values.ndim != 2:
        raise McdaInputError("the scores must be a table of raters (rows) × items (columns)")
    if np.isinf(values).any():
        raise McdaInputError("a score cannot be infinite")
    values = values[:, ~np.isnan(values).any(axis=0)]
    m, n = values.shape
    if m < 2 or n < 2:
        return float("nan")
    sums = np.zeros(n)
    ties = 0.0
    for row in values:
        _, group, sizes = np.unique(row, return_inverse=True, return_counts=True)
        below = np.cumsum(sizes) - sizes  # items ranked before each group of equal scores
        sums += (below + (sizes + 1) / 2)[group]  # the group's average rank
        ties += float((sizes ** 3 - sizes).sum())
    s = float(((sums - sums.mean()) ** 2).sum())
    denominator = m * m * (n ** 3 - n) - m * ties
    return 12.0 * s / denominator if denominator > 0 else float("nan")


def carry_over(*stages: ArrayLike) -> FloatArray:
    """The scores in force after STAGES (earliest first, each alternatives × criteria, NaN = not scored)."""
    if not stages:
        raise McdaInputError("at least one evaluation stage is needed")
    arrays = [floats(stage, "stage scores") for stage in stages]
    shape = arrays[0].shape
    if len(shape) != 2:
        raise McdaInputError("each stage's scores must be a table of alternatives × criteria")
    for number_, array in enumerate(arrays, start=1):
        if array.shape != shape:
            size = " × ".join(str(side) for side in array.shape)
            raise McdaInputError(f"stage {number_} has {size} scores but stage 1 has {shape[0]} × {shape[1]}")
        if np.isinf(array).any():
            raise McdaInputError(f"stage {number_} has an infinite score")
    result = arrays[0].copy()
    for later in arrays[1:]:
        present = ~np.isnan(later)
        result[present] = later[present]
    return result
