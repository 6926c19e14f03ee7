"""Criterion weights from what a municipality can actually say about importance.

Four ways in, all ending in weights that sum to 1:

* ``direct_weights``: points per criterion (any non-negative numbers, e.g. out of 100);
* ``rank_order_centroid``: only an order of importance (Barron & Barrett 1996), for a team that
  agrees which criterion matters most but not by how much;
* ``swing_weights``: the most important swing from worst to best gets 100, the others 0–100
  relative to it;
* ``ahp_weights``: Saaty's pairwise comparisons, with the consistency ratio that tells whether the
  judgements hang together, and ``ahp_most_inconsistent`` to point at the judgement to revisit.

Reciprocity rule for AHP. People type 1/3 as 0.333 or 0.33, so a[j][i] × a[i][j] may differ from 1
by up to ``RECIPROCAL_TOLERANCE`` (1 %): three decimals always pass, two decimals pass for 1/2,
1/3, 1/4, 1/5 and 1/9 (0.14 for 1/7 is 2 % off and is refused). Within that tolerance the
judgement above the diagonal counts as entered and the one below is replaced by its exact
reciprocal, so the eigenvector is that of a truly reciprocal matrix.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from stoa.core.mcda.errors import McdaInputError
from stoa.core.mcda.inputs import FloatArray, floats, normalised, number, vector

AHP_CONSISTENCY_LIMIT = 0.10
# Saaty's judgement scale: 1 (equal) to 9 (extreme) and the reciprocals for the other direction.
SAATY_SCALE: tuple[float, ...] = tuple([1 / v for v in range(9, 1, -1)] + [float(v) for v in range(1, 10)])
# Saaty's random consistency index RI for n = 1..15 (Saaty 1980; the 11–15 values from his later
# tables). CR = CI / RI; it is 0 for n ≤ 2, where every reciprocal matrix is consistent.
SAATY_RANDOM_INDEX: tuple[float, ...] = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48,
                                         1.56, 1.57, 1.59)
RECIPROCAL_TOLERANCE = 1e-2
DIAGONAL_TOLERANCE = 1e-9


def direct_weights(points: ArrayLike) -> FloatArray:
    """Non-negative POINTS (one per criterion, any unit) scaled to sum 1."""
    return normalised(vector(points, "points", allow_nan=True), "weight")


def rank_order_centroid(ranks: ArrayLike) -> FloatArray:
    """Rank-order-centroid weights from RANKS (1 = most important).

    The weight of the k-th of n positions is (1/n) Σ_{j=k..n} 1/j: 0.611, 0.278, 0.111 for three
    criteria. Only the order of the ranks matters, so "1, 1, 3" and "1, 1, 2" mean the same; tied
    criteria share equally the weights of the positions they occupy together.
    """
    values = vector(ranks, "ranks", allow_nan=True)
    n = values.size
    for position, rank in enumerate(values, start=1):
        if not (math.isfinite(rank) and rank == int(rank) and rank >= 1):
            raise McdaInputError(f"a rank must be a whole number from 1 (criterion {position} has {number(rank)})")
        if rank > n:
            raise McdaInputError(f"criterion {position} has rank {int(rank)} but there are only {n} criteria")
    centroid = np.cumsum(1.0 / np.arange(n, 0, -1))[::-1] / n  # position k's weight, k = 1..n
    order = np.argsort(values, kind="stable")
    by_position = values[order]
    weights = np.empty(n)
    start = 0
    while start < n:
        stop = start
        while stop + 1 < n and by_position[stop + 1] == by_position[start]:
            stop += 1
        weights[order[start:stop + 1]] = centroid[start:stop + 1].mean()
        start = stop + 1
    return weights


def swing_weights(swing_points: ArrayLike) -> FloatArray:
    """Weights from swing points: 100 for the swing that matters most, 0–100 for the others.

    The points are only compared with each other, so they are divided by their sum; the top swing
    need not be exactly 100 (80, 40 gives the same as 100, 50), but at least one must be above 0.
    """
    values = vector(swing_points, "swing points", allow_nan=True)
    outside = (values < 0) | (values > 100)
    if outside.any():
        position = int(np.flatnonzero(outside)[0])
        raise McdaInputError(f"a swing is rated from 0 to 100 "
                             f"(criterion {position + 1} has {number(values[position])})")
    if not np.nanmax(values) > 0:
        raise McdaInputError("at least one swing must be worth more than 0 points")
    return normalised(values, "swing")


def _fraction(value: float) -> str:
    """VALUE as a person writes a judgement: 3, or 1/3 for the reciprocal of a whole number."""
    if value < 1 and abs(1 / value - round(1 / value)) < 1e-9:
        return f"1/{round(1 / value)}"
    return number(value)


def comparison_matrix(pairwise: ArrayLike) -> FloatArray:
    """The checked pairwise comparison matrix, made exactly reciprocal from its upper triangle."""
    a = floats(pairwise, "comparisons")
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        shape = f"{a.shape[0]} rows and {a.shape[1]} columns" if a.ndim == 2 else "not a table"
        raise McdaInputError(f"the comparison matrix must be square: it has {shape}")
    n = a.shape[0]
    if n == 0:
        raise McdaInputError("the comparison matrix is empty")
    if n > len(SAATY_RANDOM_INDEX):
        limit = len(SAATY_RANDOM_INDEX)
        raise McdaInputError(f"AHP compares at most {limit} criteria at once (Saaty's random index "
                             f"is tabulated up to {limit}); this matrix has {n}")
    for i, j in np.argwhere(~np.isfinite(a)):
        raise McdaInputError(f"a comparison is missing or not a number: a[{i + 1}][{j + 1}]")
    for i, j in np.argwhere(a <= 0):
        raise McdaInputError(f"a comparison cannot be zero or negative: a[{i + 1}][{j + 1}] = {number(a[i, j])}")
    for i in range(n):
        if abs(a[i, i] - 1.0) > DIAGONAL_TOLERANCE:
            raise McdaInputError(f"a criterion compared with itself must be 1: a[{i + 1}][{i + 1}] = {number(a[i, i])}")
    for i, j in zip(*np.triu_indices(n, 1), strict=True):
        if abs(a[i, j] * a[j, i] - 1.0) > RECIPROCAL_TOLERANCE + 1e-12:  # 0.33 × 3 is 1 % off, give or take float noise
            raise McdaInputError(f"the comparison matrix is not reciprocal: a[{i + 1}][{j + 1}] = {_fraction(a[i, j])} "
                                 f"but a[{j + 1}][{i + 1}] = {_fraction(a[j, i])} (should be {_fraction(1 / a[i, j])})")
    reciprocal = a.copy()
    below = np.tril_indices(n, -1)
    reciprocal[below] = 1.0 / a.T[below]
    return reciprocal


def _principal(a: FloatArray) -> tuple[FloatArray, float]:
    """The principal (Perron) eigenvector of positive A, summing to 1, and its eigenvalue."""
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    return w / w.sum(), float(values[k].real)


def ahp_weights(pairwise: ArrayLike) -> tuple[FloatArray, float]:
    """Saaty's AHP: (weights, consistency ratio) of a reciprocal pairwise comparison matrix.

    a[i][j] says how much more important criterion i is than j, on ``SAATY_SCALE``. The weights are
    the principal eigenvector normalised to sum 1; CR = CI / RI with CI = (λmax − n)/(n − 1) and
    Saaty's random index RI. A CR above ``AHP_CONSISTENCY_LIMIT`` (0.10) means the judgements should
    be revisited (see ``ahp_most_inconsistent``).
    """
    a = comparison_matrix(pairwise)
    n = a.shape[0]
    weights, lambda_max = _principal(a)
    if n <= 2:
        return weights, 0.0
    ci = (lambda_max - n) / (n - 1)
    return weights, max(0.0, ci / SAATY_RANDOM_INDEX[n - 1])  # λmax ≥ n in theory; clamp float noise


def ahp_most_inconsistent(pairwise: ArrayLike, weights: ArrayLike | None = None) -> tuple[int, int, float, float]:
    """The judgement furthest from what the weights imply: (i, j, a_ij, w_i / w_j), 0-based, i < j.

    "Furthest" is the largest |log(a_ij · w_j / w_i)|, so judging 3 where the weights say 1/3 counts
    as much as 1/3 where they say 3. WEIGHTS default to the AHP weights of the matrix.
    """
    a = comparison_matrix(pairwise)
    n = a.shape[0]
    if n < 2:
        raise McdaInputError("at least two criteria are needed to find an inconsistent judgement")
    w = ahp_weights(a)[0] if weights is None else floats(weights, "weights")
    if w.shape != (n,):
        raise McdaInputError(f"matrix has {n} criteria but {w.size} weights")
    if not (np.isfinite(w).all() and (w > 0).all()):
        raise McdaInputError("each weight must be a positive number to compare it with the judgements")
    i, j = np.triu_indices(n, 1)
    gap = np.abs(np.log(a[i, j] * w[j] / w[i]))
    k = int(np.argmax(gap))  # the first of equal gaps, reading the matrix row by row
    return int(i[k]), int(j[k]), float(a[i[k], j[k]]), float(w[i[k]] / w[j[k]])
