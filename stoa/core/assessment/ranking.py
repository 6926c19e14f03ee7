"""Ranked vulnerabilities: the rated scenarios of an assessment, most urgent first.

The order is Stoa's documented default, because PRoTECT gives no rule (research notes,
protect-methodology.md §7.3 "Vulnerability priority" and §7.5 U5):

1. risk level, most severe first (the level's rank in the assessment's matrix);
2. then consequence, highest first: of two equal risks, the one that would hurt more comes first;
3. then likelihood, highest first;
4. then the threat types' reference order (``threat_order``), so the list is stable.

Scenarios marked not applicable and scenarios not yet fully rated are left out: they are not
vulnerabilities, and the consistency checks report the unrated ones.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from stoa.core.assessment.matrix import Level, RiskMatrix


@dataclass(frozen=True)
class ScenarioRisk:
    threat: str  # threat ref_id
    threat_order: int  # position of the threat type in the reference list
    likelihood: int | None
    consequence: int | None
    not_applicable: bool = False
    key: Hashable = None  # the caller's own id (e.g. a database pk), handed back untouched


@dataclass(frozen=True)
class RankedScenario:
    position: int  # 1 = most urgent
    scenario: ScenarioRisk
    level: Level


def rank(scenarios: Iterable[ScenarioRisk], matrix: RiskMatrix) -> list[RankedScenario]:
    """The applicable, fully rated SCENARIOS in ranking order; ValueError for a rating off MATRIX."""
    rated = [
        (scenario, matrix.cell(scenario.likelihood, scenario.consequence))
        for scenario in scenarios
        if not scenario.not_applicable and scenario.likelihood is not None
        and scenario.consequence is not None
    ]
    rated.sort(key=lambda pair: (-pair[1].rank, -(pair[0].consequence or 0),
                                 -(pair[0].likelihood or 0), pair[0].threat_order, pair[0].threat))
    return [RankedScenario(position, scenario, level)
            for position, (scenario, level) in enumerate(rated, start=1)]
