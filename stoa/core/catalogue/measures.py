"""A catalogue entry reduced to the numbers the rules need.

``effects`` maps a threat type id (or ``ALL``) to the pair (likelihood share removed, consequence
share removed), each 0–1. A named threat type overrides ``ALL`` for that threat type; a threat
type with neither has no effect. Costs are bands in euros ``(low, high)`` for one typical
deployment; the rules use the middle of each band.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ALL = "ALL"
DEFAULT_HORIZON_YEARS = 5
NO_EFFECT = (0.0, 0.0)


@dataclass(frozen=True)
class MeasureSpec:
    key: str  # the caller's id, e.g. a URN or "local:<uuid>"
    effects: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    capital_eur: tuple[int, int] = (0, 0)
    yearly_eur: tuple[int, int] = (0, 0)

    def effect_on(self, threat: str) -> tuple[float, float]:
        """(likelihood, consequence) shares this measure removes for THREAT."""
        if threat in self.effects:
            return self.effects[threat]
        return self.effects.get(ALL, NO_EFFECT)

    def acts_on(self, threat: str) -> bool:
        return any(share > 0 for share in self.effect_on(threat))

    @property
    def capital_mid(self) -> float:
        return (self.capital_eur[0] + self.capital_eur[1]) / 2

    @property
    def yearly_mid(self) -> float:
        return (self.yearly_eur[0] + self.yearly_eur[1]) / 2

    def cost_over(self, years: int = DEFAULT_HORIZON_YEARS) -> float:
        """Middle-of-band cost of owning the measure for YEARS: capital plus YEARS of running."""
        return self.capital_mid + years * self.yearly_mid


def spec_from_data(key: str, data: Mapping[str, Any]) -> MeasureSpec:
    """A ``MeasureSpec`` from a measure's library data (the shape of ``catalogue_schema.Measure``)."""
    effects: dict[str, tuple[float, float]] = {}
    for effect in data.get("effects", []) or []:
        effects[str(effect["threat"])] = (float(effect.get("likelihood", 0) or 0),
                                          float(effect.get("consequence", 0) or 0))
    cost: Mapping[str, Any] = data.get("cost") or {}
    capital = tuple(int(v) for v in cost.get("capital_eur", (0, 0)))
    yearly = tuple(int(v) for v in cost.get("yearly_eur", (0, 0)))
    return MeasureSpec(key, effects, (capital[0], capital[1]), (yearly[0], yearly[1]))
