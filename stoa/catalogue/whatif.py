"""What-if: the residual rating of every scenario once an option's measures are added.

The combination rule is the pure domain's (``stoa.core.catalogue.combination``: overlapping
measures combine as 1 − Π(1 − eᵢ) per factor, the residual never leaves the matrix and never
exceeds the current rating). The current rating is the team's (which already accounts for the
measures in place), so only the option's candidate measures are combined on top of it. A
candidate already present at the site is left out, and so is a key no longer in the catalogue;
both are reported. Costs add the bands of the candidates, and their middles over the horizon.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stoa.assessments.heatmap import heat_rows
from stoa.assessments.matrix import matrix_of
from stoa.assessments.models import Assessment, Scenario
from stoa.catalogue.entries import Catalogue, CatalogueEntry, catalogue_for
from stoa.catalogue.gaps import present_keys
from stoa.core.catalogue.combination import Residual, residual
from stoa.core.catalogue.measures import DEFAULT_HORIZON_YEARS


@dataclass
class ScenarioOutcome:
    scenario: Scenario
    current_level: Any
    residual: Residual | None  # None: not rated or not applicable
    residual_level: Any
    measures: list[CatalogueEntry]  # the candidates acting on this scenario
    current_name: str = ""
    residual_name: str = ""

    @property
    def lowered(self) -> bool:
        return self.residual is not None and self.residual_level.rank < self.current_level.rank

    @property
    def current_score(self) -> int:
        return (self.scenario.likelihood or 0) * (self.scenario.consequence or 0)


@dataclass
class Outcome:
    assessment: Assessment
    chosen: list[CatalogueEntry]
    already_present: list[CatalogueEntry]
    unknown: list[str]
    scenarios: list[ScenarioOutcome]
    capital_eur: tuple[int, int]
    yearly_eur: tuple[int, int]
    horizon_years: int
    cost_over_horizon: float
    level_names: dict[str, str] = field(default_factory=dict)

    @property
    def current_total(self) -> float:
        return float(sum(s.current_score for s in self.scenarios if s.residual is not None))

    @property
    def residual_total(self) -> float:
        return sum(s.residual.score for s in self.scenarios if s.residual is not None)

    @property
    def lowered_count(self) -> int:
        return sum(1 for s in self.scenarios if s.lowered)


def evaluate(assessment: Assessment, keys: list[str], catalogue: Catalogue | None = None,
             horizon_years: int = DEFAULT_HORIZON_YEARS, scenarios: list[Scenario] | None = None,
             present: set[str] | None = None) -> Outcome:
    """The outcome of adding the measures KEYS to ASSESSMENT's site. CATALOGUE, SCENARIOS and PRESENT
    may be given when several options of one assessment are evaluated, so they are read once."""
    catalogue = catalogue or catalogue_for(assessment.organisation)
    if present is None:
        present = present_keys(assessment, catalogue)
    if scenarios is None:
        scenarios = list(assessment.scenarios.select_related("threat"))
    chosen, already, unknown = [], [], []
    for key in keys:
        entry = catalogue.get(key)
        if entry is None:
            unknown.append(key)
        elif entry.key in present:
            already.append(entry)
        elif entry not in chosen:
            chosen.append(entry)
    frozen = matrix_of(assessment)
    matrix = frozen.domain()
    l_max, c_max = max(frozen.likelihood_values), max(frozen.consequence_values)
    names = frozen.level_names()
    outcomes = []
    for s in scenarios:
        if s.not_applicable or s.likelihood is None or s.consequence is None:
            outcomes.append(ScenarioOutcome(s, None, None, None, []))
            continue
        acting = [e for e in chosen if e.spec.acts_on(s.threat.ref_id)]
        after = residual(s.likelihood, s.consequence, [e.effect_on(s.threat.ref_id) for e in acting], l_max, c_max)
        now, then = matrix.cell(s.likelihood, s.consequence), matrix.cell(after.likelihood, after.consequence)
        outcomes.append(ScenarioOutcome(s, now, after, then, acting, names.get(now.id, now.name),
                                        names.get(then.id, then.name)))
    capital = (sum(e.spec.capital_eur[0] for e in chosen), sum(e.spec.capital_eur[1] for e in chosen))
    yearly = (sum(e.spec.yearly_eur[0] for e in chosen), sum(e.spec.yearly_eur[1] for e in chosen))
    return Outcome(assessment, chosen, already, unknown, outcomes, capital, yearly, horizon_years,
                   sum(e.spec.cost_over(horizon_years) for e in chosen), frozen.level_names())


def outcome_heat_rows(outcome: Outcome, which: str) -> list[dict[str, Any]]:
    """Heat-map rows placing each rated scenario at its ``current`` or ``residual`` rating."""
    placed: list[tuple[tuple[int, int], Any]] = []
    for o in outcome.scenarios:
        if o.residual is None:
            continue
        cell = ((o.scenario.likelihood or 0, o.scenario.consequence or 0) if which == "current"
                else (o.residual.likelihood, o.residual.consequence))
        placed.append((cell, o.scenario))
    return heat_rows(matrix_of(outcome.assessment), placed)
