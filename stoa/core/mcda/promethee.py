"""PROMETHEE preference functions and the per-criterion net flows of PROMETHEE II.

For two alternatives a, b and a criterion j, d = gⱼ(a) − gⱼ(b) (reversed for a cost criterion) and
the preference function P(d) in 0–1 says how strongly a is preferred to b on j (Brans & Vincke
1985; Brans & Mareschal 2005, the six "generalised criteria"):

=========== ========== ===========================================================================
name        thresholds P(d)
=========== ========== ===========================================================================
usual       none       1 if d > 0, else 0
ushape      q          1 if d > q, else 0 (quasi-criterion)
vshape      p          d/p for 0 < d ≤ p, 1 above p, 0 for d ≤ 0
level       q ≤ p      0 up to q, 1/2 for q < d ≤ p, 1 above p
linear      q ≤ p      0 up to q, (d − q)/(p − q) for q < d ≤ p, 1 above p
gaussian    s > 0      1 − exp(−d² / 2s²) for d > 0, else 0
=========== ========== ===========================================================================

Thresholds are in the criterion's own unit (points on a 1–5 scale, euros...). The net flow of a on
j is φⱼ(a) = Σ_b [P(a, b) − P(b, a)] / (n − 1) (0 when there is a single alternative), and the
net flow is Σⱼ wⱼ·φⱼ(a): linear in the weights, which the sensitivity analysis relies on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from stoa.core.mcda.errors import McdaInputError
from stoa.core.mcda.inputs import BoolArray, FloatArray, number, per_criterion

# Which thresholds each function needs.
PREFERENCE_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "usual": (),
    "ushape": ("q",),
    "vshape": ("p",),
    "level": ("q", "p"),
    "linear": ("q", "p"),
    "gaussian": ("s",),
}
THRESHOLD_NAMES = {"q": "q (the indifference threshold)", "p": "p (the preference threshold)",
                   "s": "s (the Gaussian spread)"}
BLOCK_CELLS = 4_000_000  # pairwise differences held at once (32 MB), so 10,000 alternatives fit


def _preference(name: str, q: float, p: float, s: float) -> Callable[[FloatArray], FloatArray]:
    """The function P(d) called NAME with its thresholds (already checked)."""
    if name == "usual":
        return lambda d: (d > 0).astype(float)
    if name == "ushape":
        return lambda d: (d > q).astype(float)
    if name == "vshape":
        return lambda d: np.clip(d / p, 0.0, 1.0)
    if name == "level":
        return lambda d: np.where(d > p, 1.0, np.where(d > q, 0.5, 0.0))
    if name == "linear":
        if p == q:  # no band between indifference and strict preference: a step at q
            return lambda d: (d > q).astype(float)
        return lambda d: np.clip((d - q) / (p - q), 0.0, 1.0)
    return lambda d: np.where(d > 0, -np.expm1(-(d ** 2) / (2 * s * s)), 0.0)


def _names(preference: str | Sequence[str], criteria: int) -> list[str]:
    names = [preference] * criteria if isinstance(preference, str) else list(preference)
    if len(names) != criteria:
        raise McdaInputError(f"there must be one preference function, or one per criterion ({criteria})")
    for name in names:
        if name not in PREFERENCE_FUNCTIONS:
            raise McdaInputError(f"unknown preference function {name!r} "
                                 f"(known: {', '.join(PREFERENCE_FUNCTIONS)})")
    return names


def _thresholds(names: list[str], given: dict[str, ArrayLike | None], criteria: int) -> dict[str, FloatArray]:
    """The per-criterion thresholds, checked against what each criterion's function needs."""
    values: dict[str, FloatArray] = {}
    for key, raw in given.items():
        values[key] = np.full(criteria, np.nan) if raw is None else per_criterion(raw, criteria, key)
    for j, name in enumerate(names):
        for key in PREFERENCE_FUNCTIONS[name]:
            value = values[key][j]
            if given[key] is None or np.isnan(value):
                raise McdaInputError(f"the {name} preference function needs {THRESHOLD_NAMES[key]} "
                                     f"(missing for criterion {j + 1})")
            if not np.isfinite(value) or value < 0:
                raise McdaInputError(f"{key} must be a number of at least 0 (criterion {j + 1} has {number(value)})")
        if name == "vshape" and not values["p"][j] > 0:
            raise McdaInputError(f"the vshape preference function needs p above 0 (criterion {j + 1})")
        if name == "gaussian" and not values["s"][j] > 0:
            raise McdaInputError(f"the gaussian preference function needs s above 0 (criterion {j + 1})")
        if name in ("level", "linear") and values["q"][j] > values["p"][j]:
            raise McdaInputError(f"q must not exceed p (criterion {j + 1} has q = {number(values['q'][j])}, "
                                 f"p = {number(values['p'][j])})")
    return values


def criterion_flows(values: FloatArray, benefit: BoolArray, preference: str | Sequence[str] = "usual", *,
                    q: ArrayLike | None = None, p: ArrayLike | None = None,
                    s: ArrayLike | None = None) -> FloatArray:
    """φⱼ(a) for every alternative a and criterion j (alternatives × criteria), unweighted.

    VALUES and BENEFIT must already be checked (``inputs.problem``). Pairwise differences are
    taken a block of rows at a time so memory stays bounded for large sets of alternatives.
    """
    n, criteria = values.shape
    names = _names(preference, criteria)
    thresholds = _thresholds(names, {"q": q, "p": p, "s": s}, criteria)
    flows = np.zeros((n, criteria))
    if n < 2:
        return flows
    block = max(1, BLOCK_CELLS // n)
    for j, name in enumerate(names):
        prefer = _preference(name, thresholds["q"][j], thresholds["p"][j], thresholds["s"][j])
        column = values[:, j] if benefit[j] else -values[:, j]
        for start in range(0, n, block):
            # P(a, b) for a in the block and every b: a's row sum is how much it is preferred, each
            # b's column sum how much it is preferred to b. One evaluation of P serves both.
            preferred = prefer(column[start:start + block, None] - column[None, :])
            flows[start:start + block, j] += preferred.sum(axis=1)
            flows[:, j] -= preferred.sum(axis=0)
    return flows / (n - 1)
