"""Combining overlapping measures, and the residual rating they leave. Stoa's documented rule.

1. **Overlap.** Measures are taken as independent layers: on one factor (likelihood or
   consequence) of one scenario, shares e₁, e₂, ... combine as 1 − Π(1 − eᵢ) (research notes,
   quant-methods.md §4.2). Two measures of 0.5 remove 0.75, never more than all of it. Shares are
   clamped to 0–1 and multiplied in sorted order, so the result is bit-for-bit the same whatever
   order the measures were picked in.
2. **Residual value.** A rating is read as proportional to what it stands for: the residual of a
   value v on a factor with combined share r is v × (1 − r), but never below the matrix's lowest
   value (1). It is never above v, because r ≥ 0.
3. **Residual rating.** The residual value is rounded half up (2.5 → 3) to a whole value of the
   matrix's scale, so it can be placed on the heat map; a tiny tolerance stops float noise from
   deciding the rounding.
4. **Risk score.** For ranking, risk is the product likelihood × consequence of the (unrounded)
   values; the reduction a measure brings is the current product minus the residual product.

Consequences, checked by property tests: adding a measure never raises a residual value or
rating; the order of measures does not matter; a measure without effect on a threat type leaves
that scenario unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

ROUNDING_TOLERANCE = 1e-9
LOWEST_VALUE = 1


def remaining(shares: Iterable[float]) -> float:
    """The share left by several independent measures: Π(1 − eᵢ), in sorted order."""
    left = 1.0
    for share in sorted(min(1.0, max(0.0, float(s))) for s in shares):
        left *= 1.0 - share
    return left


def combine(shares: Iterable[float]) -> float:
    """The share removed by several independent measures: 1 − Π(1 − eᵢ)."""
    return 1.0 - remaining(shares)


def residual_value(value: float, left: float, lowest: int = LOWEST_VALUE) -> float:
    """VALUE once only the share LEFT of it remains, floored at the scale's LOWEST value."""
    return max(float(lowest), float(value) * min(1.0, max(0.0, left)))


def to_scale(value: float, highest: int, lowest: int = LOWEST_VALUE) -> int:
    """Round half up to a whole value of the scale LOWEST..HIGHEST."""
    return int(min(highest, max(lowest, math.floor(value + 0.5 + ROUNDING_TOLERANCE))))


@dataclass(frozen=True)
class Residual:
    likelihood: int  # whole values on the matrix, for the heat map
    consequence: int
    likelihood_value: float  # unrounded, for the risk score
    consequence_value: float
    likelihood_share: float  # combined share removed on each factor
    consequence_share: float

    @property
    def score(self) -> float:
        return self.likelihood_value * self.consequence_value


def residual(likelihood: int, consequence: int, effects: Iterable[tuple[float, float]],
             likelihood_max: int = 5, consequence_max: int = 5) -> Residual:
    """The residual rating of a scenario rated (LIKELIHOOD, CONSEQUENCE) once measures with
    EFFECTS (pairs of likelihood and consequence shares, for this scenario's threat) are added."""
    pairs = list(effects)
    left_l = remaining(p[0] for p in pairs)
    left_c = remaining(p[1] for p in pairs)
    value_l = residual_value(likelihood, left_l)
    value_c = residual_value(consequence, left_c)
    return Residual(min(likelihood, to_scale(value_l, likelihood_max)),
                    min(consequence, to_scale(value_c, consequence_max)),
                    value_l, value_c, 1.0 - left_l, 1.0 - left_c)
