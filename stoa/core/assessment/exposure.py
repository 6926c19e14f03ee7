"""Exposure per threat type: the number drawn on an assessment's radar chart.

Stoa's documented default, because the EU VAT publishes no such measure (research notes,
protect-methodology.md §7.5, where the method leaves the presentation of results open):

* the exposure of a rated, applicable threat type is the **rank of its risk level** in the
  assessment's own matrix: 1 for the least severe level up to n, the number of levels (4 on the
  shipped 5 × 5 matrix: low 1, medium 2, high 3, very high 4);
* a threat type set aside as not applicable, or not rated yet, has exposure 0, and says which of
  the two it is, so a page never presents a missing rating as "no exposure";
* the scale's maximum is n.

Using the level rather than likelihood × consequence keeps the radar faithful to the matrix the
city chose (its grid need not be a product) and to the heat map beside it: two threat types in
the same level have the same exposure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from stoa.core.assessment.matrix import Level, RiskMatrix
from stoa.core.assessment.ranking import ScenarioRisk

RATED, NOT_APPLICABLE, UNRATED = "rated", "not_applicable", "unrated"


@dataclass(frozen=True)
class Exposure:
    threat: str  # threat ref_id
    value: int  # 0 .. maximum
    status: str  # RATED, NOT_APPLICABLE or UNRATED
    level: Level | None = None  # the risk level when rated


def exposure_scale(matrix: RiskMatrix) -> int:
    """The largest exposure MATRIX can give: its number of risk levels."""
    return len(matrix.levels)


def exposures(scenarios: Iterable[ScenarioRisk], matrix: RiskMatrix) -> list[Exposure]:
    """The exposure of each of SCENARIOS, in the order given; ValueError for a rating off MATRIX."""
    result = []
    for scenario in scenarios:
        if scenario.not_applicable:
            result.append(Exposure(scenario.threat, 0, NOT_APPLICABLE))
        elif scenario.likelihood is None or scenario.consequence is None:
            result.append(Exposure(scenario.threat, 0, UNRATED))
        else:
            level = matrix.cell(scenario.likelihood, scenario.consequence)
            result.append(Exposure(scenario.threat, level.rank, RATED, level))
    return result
