"""Scoring alternatives on several criteria: weighted sum (Stoa's default), TOPSIS and PROMETHEE II.

All three take a decision matrix (alternatives × criteria, finite numbers), one weight per
criterion (normalised here, so 40/30/30 and 0.4/0.3/0.3 are the same) and one benefit flag per
criterion (True when higher is better). Higher output is always better.

* ``weighted_sum``: each column scaled to 0–1, then Σ wⱼ·rⱼ, so scores are in 0–1 (× 100 for the
  0–100 figure of protect-methodology §7.3). With ``bounds`` the scale is the criterion's own (Stoa
  passes (1, 5) for its 1–5 scores), so a score does not depend on which other alternatives are
  compared; without, it is min–max over the alternatives, and a column where every alternative has
  the same value gives each of them 1 (no one is worse than the best on it; the ranking is
  unaffected).
* ``topsis``: closeness to the ideal (Hwang & Yoon 1981), in 0–1. Vector normalisation is the
  textbook one; "minmax" uses the same scaling as the weighted sum. When every alternative is the
  same on every weighted criterion, ideal and anti-ideal coincide and each alternative gets 0.5.
* ``promethee_ii``: net outranking flow (Brans & Vincke 1985), in −1..1; see ``promethee``.

The scalings are also exposed (``minmax_normalised``, ``topsis_distances``) because the
sensitivity analysis reuses them: scores are linear in the weights for the weighted sum and
PROMETHEE II, and TOPSIS's squared distances are linear in the squared weights.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from stoa.core.mcda.errors import McdaInputError
from stoa.core.mcda.inputs import BoolArray, FloatArray, floats, number, problem
from stoa.core.mcda.promethee import criterion_flows

BOUNDS_TOLERANCE = 1e-9  # relative to the scale's width: float noise on a mean of 5s is still 5
NORMALIZATIONS = ("vector", "minmax")


def scale_bounds(bounds: ArrayLike, criteria: int) -> FloatArray:
    """BOUNDS as a criteria × 2 array of (lowest, highest), from one pair or one pair per criterion."""
    array = floats(bounds, "bounds")
    if array.shape == (2,):
        array = np.tile(array, (criteria, 1))
    if array.shape != (criteria, 2):
        raise McdaInputError(f"bounds must be one pair (lowest, highest) or one pair per criterion ({criteria})")
    for position, (lo, hi) in enumerate(array, start=1):
        if not (np.isfinite(lo) and np.isfinite(hi)):
            raise McdaInputError(f"the scale of criterion {position} has a missing or infinite bound")
        if not lo < hi:
            raise McdaInputError(f"the scale of criterion {position} is empty: its lowest value ({number(lo)}) "
                                 f"must be below its highest ({number(hi)})")
    return array


def minmax_normalised(values: FloatArray, benefit: BoolArray, bounds: ArrayLike | None = None) -> FloatArray:
    """Each column of VALUES on 0–1, 1 the best: (x − lo)/(hi − lo), reversed for cost criteria.

    lo and hi come from BOUNDS when given (values outside refused), else from the column itself; a
    constant column gives 1 to every alternative.
    """
    if bounds is None:
        lo, hi = values.min(axis=0), values.max(axis=0)
    else:
        scale = scale_bounds(bounds, values.shape[1])
        lo, hi = scale[:, 0], scale[:, 1]
        slack = BOUNDS_TOLERANCE * (hi - lo)
        outside = (values < lo - slack) | (values > hi + slack)
        if outside.any():
            row, column = (int(i) for i in np.argwhere(outside)[0])
            raise McdaInputError(f"alternative {row + 1} scores {number(values[row, column])} on criterion "
                                 f"{column + 1}, outside its scale {number(lo[column])}–{number(hi[column])}")
        values = np.clip(values, lo, hi)
    width = hi - lo
    flat = width == 0
    safe = np.where(flat, 1.0, width)
    scaled = np.where(benefit, (values - lo) / safe, (hi - values) / safe)
    return np.where(flat, 1.0, scaled)


def weighted_sum(matrix: ArrayLike, weights: ArrayLike, benefit: ArrayLike, *,
                 bounds: ArrayLike | None = None) -> FloatArray:
    """Weighted sum of the 0–1 scaled criteria: one score in 0–1 per alternative."""
    values, w, flags = problem(matrix, weights, benefit)
    return minmax_normalised(values, flags, bounds) @ w


def topsis_distances(matrix: ArrayLike, benefit: ArrayLike,
                     normalization: str = "vector") -> tuple[FloatArray, FloatArray]:
    """The squared unweighted gaps (to the ideal, to the anti-ideal), alternatives × criteria.

    With weights w ≥ 0 the weighted ideal is w times the unweighted one, so the squared distances
    are D⁺² = Σⱼ wⱼ²·gap⁺ᵢⱼ and D⁻² = Σⱼ wⱼ²·gap⁻ᵢⱼ: linear in the squared weights.
    """
    values = np.asarray(matrix, dtype=float)
    flags = np.asarray(benefit, dtype=bool)
    if normalization == "vector":
        norms = np.sqrt((values ** 2).sum(axis=0))
        r = values / np.where(norms == 0, 1.0, norms)  # an all-zero column stays 0 and counts for nothing
        best = np.where(flags, r.max(axis=0), r.min(axis=0))
        worst = np.where(flags, r.min(axis=0), r.max(axis=0))
    elif normalization == "minmax":
        r = minmax_normalised(values, flags)  # already oriented: 1 is best on every criterion
        best, worst = r.max(axis=0), r.min(axis=0)
    else:
        raise McdaInputError(f"unknown normalization {normalization!r} (known: {', '.join(NORMALIZATIONS)})")
    return (r - best) ** 2, (r - worst) ** 2


def closeness(to_ideal: FloatArray, to_anti_ideal: FloatArray) -> FloatArray:
    """D⁻ / (D⁺ + D⁻) from the two distances, 0.5 where both are 0 (ideal and anti-ideal coincide)."""
    total = to_ideal + to_anti_ideal
    return np.divide(to_anti_ideal, total, out=np.full_like(total, 0.5), where=total > 0)


def topsis(matrix: ArrayLike, weights: ArrayLike, benefit: ArrayLike, normalization: str = "vector") -> FloatArray:
    """TOPSIS closeness coefficient of each alternative, in 0–1 (1 = the ideal itself)."""
    values, w, flags = problem(matrix, weights, benefit)
    gap_best, gap_worst = topsis_distances(values, flags, normalization)
    squared = w ** 2
    return closeness(np.sqrt(gap_best @ squared), np.sqrt(gap_worst @ squared))


def promethee_ii(matrix: ArrayLike, weights: ArrayLike, benefit: ArrayLike, preference: str | list[str] = "usual",
                 q: ArrayLike | None = None, p: ArrayLike | None = None, *, s: ArrayLike | None = None) -> FloatArray:
    """PROMETHEE II net flow φ = φ⁺ − φ⁻ of each alternative, in −1..1.

    PREFERENCE names the preference function (one for all criteria or one per criterion); Q, P
    and S are its thresholds in the criterion's own unit, one number or one per criterion. See
    ``stoa.core.mcda.promethee`` for the functions and the thresholds each needs.
    """
    values, w, flags = problem(matrix, weights, benefit)
    return criterion_flows(values, flags, preference, q=q, p=p, s=s) @ w


METHODS: Mapping[str, Callable[..., FloatArray]] = {
    "weighted_sum": weighted_sum,
    "topsis": topsis,
    "promethee_ii": promethee_ii,
}


def method_named(method: str) -> Callable[..., FloatArray]:
    """The scoring function called METHOD, or an McdaInputError listing the known ones."""
    try:
        return METHODS[method]
    except (KeyError, TypeError):
        raise McdaInputError(f"unknown method {method!r} (known: {', '.join(sorted(METHODS))})") from None


def score(method: str, matrix: ArrayLike, weights: ArrayLike, benefit: ArrayLike, **options: Any) -> FloatArray:
    """Scores of the alternatives by METHOD (a key of ``METHODS``) with its OPTIONS."""
    function = method_named(method)
    check_options(method, options)
    return function(matrix, weights, benefit, **options)


def method_options(method: str) -> tuple[str, ...]:
    """The names of the options METHOD takes beyond matrix, weights and benefit."""
    parameters = list(inspect.signature(method_named(method)).parameters)
    return tuple(parameters[3:])


def check_options(method: str, options: Mapping[str, Any]) -> None:
    """Refuse an option METHOD does not take, naming the ones it does."""
    known = method_options(method)
    for name in options:
        if name not in known:
            raise McdaInputError(f"the {method} method has no option {name!r} (its options: {', '.join(known)})")
