"""Value functions: a measured quantity (metres, seconds, euros...) onto Stoa's 1–5 value scale.

Linear between two anchors the municipality sets: the worst acceptable quantity scores 1, the
best worth paying for scores 5, anything beyond either is clipped. For a cost-like quantity
(price, response time) the worst anchor is simply the higher number. A missing quantity (NaN)
stays missing rather than being given a value nobody measured.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from stoa.core.mcda.errors import McdaInputError
from stoa.core.mcda.inputs import FloatArray, floats, number


def linear_value(x: ArrayLike, worst: ArrayLike, best: ArrayLike, *, low: float = 1.0, high: float = 5.0) -> FloatArray:
    """X mapped linearly so WORST → LOW and BEST → HIGH, clipped to LOW..HIGH (any shapes that broadcast)."""
    quantity = floats(x, "measured quantities")
    w, b = floats(worst, "worst anchors"), floats(best, "best anchors")
    if not (np.isfinite(w).all() and np.isfinite(b).all()):
        raise McdaInputError("the worst and best anchors must be numbers")
    if np.isinf(quantity).any():
        raise McdaInputError("a measured quantity cannot be infinite")
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise McdaInputError(f"the value scale's low end ({number(low)}) must be below its high end ({number(high)})")
    try:
        w, b, quantity = np.broadcast_arrays(w, b, quantity)
    except ValueError:
        raise McdaInputError("the quantities and the anchors do not have matching sizes") from None
    same = w == b
    if same.any():
        both = number(w[same].flat[0])
        raise McdaInputError(f"the worst and best anchors must differ (both are {both})")
    share = (quantity - w) / (b - w)
    return np.clip(low + share * (high - low), low, high)
