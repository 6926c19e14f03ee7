"""Ranks from scores, with Stoa's documented tie rule (protect-methodology §7.3 default).

Rule: rank 1 is the highest score. Scores are tied when, sorted from highest down, each differs
from the next by no more than ``tolerance`` (float noise must not decide a ranking). Tied
alternatives are separated by the tie-breakers in order, each higher-is-better and tied by the
same tolerance; for TEF evaluations the Performance group score, then the Cost group score
(§7.3: "ties broken by Performance, then Cost"). Alternatives still tied share a rank, and the
next rank skips accordingly ("standard competition ranking": 1, 2, 2, 4). A missing (NaN)
tie-breaker counts as lower than any number, so it never wins a tie.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from stoa.core.mcda.errors import McdaInputError
from stoa.core.mcda.inputs import FloatArray, IntArray, floats, vector

TIE_TOLERANCE = 1e-9
TIE_RULE = ("Rank 1 is the highest score; scores within a billionth of each other are tied, ties are broken by "
            "the tie-breakers in order (for the technology evaluation: the Performance score, then the Cost "
            "score, higher first), and alternatives still tied share the same rank, the next rank being skipped "
            "(1, 2, 2, 4).")


def tie_rule_text() -> str:
    """The tie rule in one sentence, for reports and help texts."""
    return TIE_RULE


def _assign(members: IntArray, keys: list[FloatArray], level: int, first: int, tolerance: float,
            ranks: IntArray) -> None:
    """Give MEMBERS (tied on every key before LEVEL) their ranks, starting at FIRST."""
    if level == len(keys) or members.size == 1:
        ranks[members] = first
        return
    key = keys[level]
    order = members[np.argsort(-key[members], kind="stable")]
    ordered = key[order]
    with np.errstate(invalid="ignore"):  # −inf − −inf (two missing tie-breakers) is NaN: no drop, still tied
        starts = np.flatnonzero(ordered[:-1] - ordered[1:] > tolerance) + 1
    edges = np.concatenate(([0], starts, [order.size]))
    begins, sizes = edges[:-1], np.diff(edges)
    alone = sizes == 1  # the usual case, settled at once; only tied groups go down a level
    ranks[order[begins[alone]]] = first + begins[alone]
    for begin, size in zip(begins[~alone], sizes[~alone], strict=True):
        _assign(order[begin:begin + size], keys, level + 1, first + int(begin), tolerance, ranks)


def rank(scores: ArrayLike, tie_breakers: Sequence[ArrayLike] = (), *, tolerance: float = TIE_TOLERANCE) -> IntArray:
    """The rank of each alternative (1 = best) under ``TIE_RULE``."""
    values = vector(scores, "scores")
    if not (np.isfinite(tolerance) and tolerance >= 0):
        raise McdaInputError("the tie tolerance must be a number of at least 0")
    keys = [values]
    for number_, breaker in enumerate(tie_breakers, start=1):
        array = floats(breaker, "tie-breaker")
        if array.shape != values.shape:
            raise McdaInputError(f"there are {values.size} scores but tie-breaker {number_} has {array.size} values")
        if np.isinf(array).any():
            raise McdaInputError(f"tie-breaker {number_} has an infinite value")
        keys.append(np.where(np.isnan(array), -np.inf, array))
    ranks = np.zeros(values.size, dtype=np.int64)
    _assign(np.arange(values.size), keys, 0, 1, float(tolerance), ranks)
    return ranks
