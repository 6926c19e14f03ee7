"""How much a ranking depends on the weights: one weight moved, break-even, rank acceptability.

* ``reweight`` gives one criterion a new share and keeps the others in proportion, the usual
  one-at-a-time sensitivity move (if all the others were 0 they share the rest equally).
* ``break_even`` is the weight of one criterion at which the runner-up catches up with the leader.
  It looks only at those two; a third alternative may overtake either earlier, which the rank
  acceptability shows.
* ``rank_acceptability`` (SMAA's rank acceptability indices, Lahdelma & Salminen 2001) draws
  weights at random around the chosen ones and counts how often each alternative lands at each
  rank.

Weight draws. The weights are drawn from a Dirichlet distribution with α = concentration × w, so
their mean is exactly the chosen w. The default concentration is 20 × the number of criteria,
which with equal weights makes each α = 20 and each weight vary by about ±22 % of its value
(coefficient of variation √((1 − w)/(w(κ + 1)))): "we are sure of the weights to about a fifth".
A larger concentration narrows the spread, and the ranking tends to the deterministic one.
A criterion weighted 0 stays at 0 in every draw: it was excluded, not merely judged unimportant.

Speed. The weighted sum and PROMETHEE II are linear in the weights (score = W · Cᵀ with C the
scaled matrix or the per-criterion net flows) and TOPSIS's squared distances are linear in the
squared weights, so a chunk of draws is scored by matrix products; each chunk is ranked with one
sort per draw and counted with one ``bincount``. Ties (scores within ``TIE_TOLERANCE``) share the
better rank, as in ``ranking.rank``; they are looked for with a sort of the values and only rows
that have one are ranked the slow way.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from stoa.core.mcda.errors import McdaInputError
from stoa.core.mcda.inputs import BoolArray, FloatArray, IntArray, normalised, number, problem, vector
from stoa.core.mcda.methods import check_options, closeness, method_named, minmax_normalised, topsis_distances
from stoa.core.mcda.promethee import criterion_flows
from stoa.core.mcda.ranking import TIE_TOLERANCE

DEFAULT_CONCENTRATION_PER_CRITERION = 20.0
MAX_THREADS = 4
CHUNK_CELLS = 1_000_000  # draws × alternatives scored at once (8 MB a copy); measured fastest here
GRID_POINTS = 1001  # for methods not linear in the weights: look for a crossing every 0.001 ...
BISECTIONS = 60  # ... then narrow it down to float precision

Scorer = Callable[[FloatArray], FloatArray]  # weights (draws × criteria) → scores (draws × alternatives)


def _criterion(criterion: int, criteria: int) -> int:
    try:
        index = operator.index(criterion)
    except TypeError:
        raise McdaInputError("the criterion must be given by its position (0 for the first)") from None
    if not 0 <= index < criteria:
        raise McdaInputError(f"there is no criterion at position {index}: "
                             f"there are {criteria} criteria (0 to {criteria - 1})")
    return index


def _share(new_weight: float) -> float:
    try:
        share = float(new_weight)
    except (TypeError, ValueError):
        raise McdaInputError("the new weight must be a number between 0 and 1") from None
    if not 0.0 <= share <= 1.0:
        raise McdaInputError(f"the new weight must be between 0 and 1 (got {number(share)})")
    return share


def _others(w: FloatArray, c: int) -> FloatArray:
    """The direction the other criteria move in: their weights in proportion, summing to 1."""
    rest = w.copy()
    rest[c] = 0.0
    total = rest.sum()
    if total > 0:
        return rest / total
    rest[:] = 1.0 / (w.size - 1)
    rest[c] = 0.0
    return rest


def reweight(weights: ArrayLike, criterion: int, new_weight: float) -> FloatArray:
    """WEIGHTS with CRITERION (0-based) set to NEW_WEIGHT and the others scaled to fill the rest."""
    w = normalised(vector(weights, "weights", allow_nan=True), "weight")
    c = _criterion(criterion, w.size)
    t = _share(new_weight)
    if w.size == 1:
        if t != 1.0:
            raise McdaInputError("with a single criterion its weight is always 1")
        return np.ones(1)
    result = (1.0 - t) * _others(w, c)
    result[c] = t
    return result


def _times(draws: FloatArray, by_criterion: FloatArray) -> FloatArray:
    """DRAWS (draws × criteria) times BY_CRITERION (criteria × alternatives).

    einsum's plain loop rather than BLAS: with a dozen criteria it is about as fast, and it does not
    start threads that slow everything down when the machine is busy (measured 5× on two CPUs).
    """
    return np.einsum("dc,ca->da", draws, by_criterion)


def _scorer(method: str, values: FloatArray, flags: BoolArray,
            options: Mapping[str, Any]) -> tuple[Scorer, FloatArray | None]:
    """Scores for many weight vectors at once, and the matrix C when scores are W · Cᵀ."""
    method_named(method)
    check_options(method, options)
    if method == "topsis":
        gaps = topsis_distances(values, flags, options.get("normalization", "vector"))
        to_best, to_worst = (np.ascontiguousarray(gap.T) for gap in gaps)  # criteria × alternatives

        def topsis_scores(w: FloatArray) -> FloatArray:
            squared = w ** 2
            return closeness(np.sqrt(_times(squared, to_best)), np.sqrt(_times(squared, to_worst)))

        return topsis_scores, None
    if method == "weighted_sum":
        linear = minmax_normalised(values, flags, options.get("bounds"))
    elif method == "promethee_ii":
        linear = criterion_flows(values, flags, options.get("preference", "usual"),
                                 q=options.get("q"), p=options.get("p"), s=options.get("s"))
    else:  # a method added to METHODS must say here how to score many weight vectors at once
        raise NotImplementedError(method)
    by_criterion = np.ascontiguousarray(linear.T)
    return (lambda w: _times(w, by_criterion)), linear


def break_even(matrix: ArrayLike, weights: ArrayLike, benefit: ArrayLike, criterion: int,
               method: str = "weighted_sum", **options: Any) -> float | None:
    """The weight of CRITERION (others rescaled as in ``reweight``) at which the top two swap.

    The top two are the alternatives now ranked first and second (the earlier one first when
    tied, in which case the current weight is returned). Exact for the weighted sum and
    PROMETHEE II, whose scores are linear in that weight; for TOPSIS a crossing is looked for
    every 0.001 and narrowed by bisection, and the one nearest the current weight is returned.
    None when no weight from 0 to 1 puts the second ahead (only bringing them level at 0 or 1, where
    the tie rule keeps the leader, is no swap), or when they are level at every weight.
    """
    values, w, flags = problem(matrix, weights, benefit)
    scores_of, linear = _scorer(method, values, flags, options)
    c = _criterion(criterion, w.size)
    if values.shape[0] < 2 or w.size < 2:
        return None
    direction = _others(w, c)
    current = scores_of(w[None, :])[0]
    first, second = (int(a) for a in np.argsort(-current, kind="stable")[:2])
    if current[first] - current[second] <= 0:
        return float(w[c])
    if linear is not None:
        # gap(t) = t·Δc + (1 − t)·Δo: the leader's lead on the criterion and on the others combined.
        lead = linear[first] - linear[second]
        on_criterion, on_others = float(lead[c]), float(lead @ direction)
        if on_criterion == on_others:
            return None
        t = on_others / (on_others - on_criterion)
        # Level at t = 0 or 1 without the second getting ahead beyond it is no swap: the tie rule keeps the leader.
        swaps = on_criterion < 0 or on_others < 0
        return t if swaps and 0.0 <= t <= 1.0 else None

    def gap(t: FloatArray) -> FloatArray:
        moved = t[:, None] * np.eye(w.size)[c] + (1.0 - t[:, None]) * direction
        s = scores_of(moved)
        return s[:, first] - s[:, second]

    grid = np.union1d(np.linspace(0.0, 1.0, GRID_POINTS), [w[c]])
    g = gap(grid)
    level = np.flatnonzero(g == 0)
    crossing = np.flatnonzero(np.sign(g[:-1]) * np.sign(g[1:]) < 0)
    candidates = [float(grid[k]) for k in level]
    for k in crossing:
        lo, hi, g_lo = float(grid[k]), float(grid[k + 1]), float(g[k])
        for _ in range(BISECTIONS):
            mid = 0.5 * (lo + hi)
            g_mid = float(gap(np.array([mid]))[0])
            if g_mid == 0:
                lo = hi = mid
                break
            if (g_mid > 0) == (g_lo > 0):
                lo, g_lo = mid, g_mid
            else:
                hi = mid
        candidates.append(0.5 * (lo + hi))
    if not candidates:
        return None
    return min(candidates, key=lambda t: abs(t - float(w[c])))


def weight_draws(weights: ArrayLike, samples: int = 10_000, seed: int | None = 0,
                 concentration: float | None = None) -> FloatArray:
    """SAMPLES weight vectors (samples × criteria) drawn around WEIGHTS as the module describes."""
    w = normalised(vector(weights, "weights", allow_nan=True), "weight")
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer) or samples < 1:
        raise McdaInputError("the number of samples must be a whole number of at least 1")
    kappa = DEFAULT_CONCENTRATION_PER_CRITERION * w.size if concentration is None else float(concentration)
    if not (np.isfinite(kappa) and kappa > 0):
        raise McdaInputError("the concentration must be a positive number")
    positive = w > 0
    draws = np.zeros((int(samples), w.size))
    if positive.sum() == 1:
        draws[:, positive] = 1.0
    else:
        draws[:, positive] = np.random.default_rng(seed).dirichlet(kappa * w[positive], size=int(samples))
    return draws


def rank_counts(scores: FloatArray, tolerance: float = TIE_TOLERANCE) -> IntArray:
    """How often each alternative got each rank over the rows of SCORES (draws × alternatives)."""
    n = scores.shape[1]
    order = np.argsort(scores, axis=1)  # worst to best, per draw
    ordered = np.sort(scores, axis=1)  # the same scores, sorted without a slower gather
    index = order * n  # becomes alternative × n + rank − 1, counted by one bincount
    index += np.arange(n - 1, -1, -1)  # without ties the k-th worst has rank n − k
    tied = ordered[:, 1:] - ordered[:, :-1] <= tolerance  # k-th and (k + 1)-th worst are level
    with_ties = tied.any(axis=1)
    if with_ties.any():
        # A tied alternative takes the best rank of its group (competition ranking): the rank of
        # the group's last member in ascending order, found by a running minimum from the right.
        ends = np.ones((int(with_ties.sum()), n), dtype=bool)
        ends[:, :-1] = ~tied[with_ties]
        last = np.where(ends, np.arange(n), n)[:, ::-1]
        last = np.minimum.accumulate(last, axis=1)[:, ::-1]
        index[with_ties] = order[with_ties] * n + (n - 1 - last)
    return np.bincount(index.ravel(), minlength=n * n).reshape(n, n)


def rank_acceptability(matrix: ArrayLike, weights: ArrayLike, benefit: ArrayLike, method: str = "weighted_sum",
                       samples: int = 10_000, seed: int | None = 0, concentration: float | None = None,
                       **options: Any) -> FloatArray:
    """Alternatives × ranks: the share of weight draws in which each alternative got each rank.

    Each row sums to 1. The same SEED gives the same result; the draws are those of
    ``weight_draws(weights, samples, seed, concentration)``.
    """
    values, w, flags = problem(matrix, weights, benefit)
    scores_of, _ = _scorer(method, values, flags, options)
    draws = weight_draws(w, samples, seed, concentration)
    n = values.shape[0]
    chunk = max(1, CHUNK_CELLS // n)
    starts = range(0, draws.shape[0], chunk)

    def counted(start: int) -> IntArray:
        return rank_counts(scores_of(draws[start:start + chunk]))

    # numpy's sorts release the GIL, so chunks sort side by side on the machine's cores; the counts
    # are whole numbers summed in any order, so the result does not depend on the threads.
    workers = max(1, min(len(starts), os.cpu_count() or 1, MAX_THREADS))
    if workers == 1:
        parts = [counted(start) for start in starts]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(counted, starts))
    return np.sum(parts, axis=0) / draws.shape[0]
