"""City-wide budget optimisation: the candidates from each public space, solved by ``stoa.core.portfolio``.

**Which public spaces.** Every site of the organisation, each with its latest assessment that has
rated scenarios (the record the city acts on: the latest by date among those of the organisation).

**Which candidates** (``mode``):

* ``whatif`` (default): every saved what-if option of those assessments is one candidate: its
  measures together (costs added, effects combined per scenario by the usual rule
  1 − Π(1 − eᵢ)). The options of one assessment are alternatives for one place, so at most one
  per site is chosen (an exclusive group).
* ``catalogue``: the gap analysis's proposals (``stoa.catalogue.gaps``: the serious scenarios,
  measures not already there, must-have requirements and the vehicle run-up respected), the best
  ``CATALOGUE_PER_SCENARIO`` per scenario, each one candidate at its site with its effect on every
  rated scenario there; the overlap of several measures on one scenario is handled exactly.

Costs are the middles of the catalogue's bands. The scenario risk is the team's rating L × C,
with the matrix's lowest level as the floor of a residual. The result (chosen set, the greedy
choice for comparison, the explanations and the cost–risk curve) is kept on an
``OptimisationRun`` with its inputs, so it can be read again and turned into plan items.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from stoa.accounts.models import Organisation
from stoa.assessments.matrix import matrix_of
from stoa.assessments.models import Assessment
from stoa.catalogue.entries import Catalogue, catalogue_for
from stoa.catalogue.gaps import gap_analysis, present_keys
from stoa.catalogue.models import WhatIfOption
from stoa.core import portfolio
from stoa.core.catalogue.combination import combine
from stoa.plans.models import OptimisationRun

MODES = ("whatif", "catalogue")
PARETO_POINTS = 10
CATALOGUE_PER_SCENARIO = 5  # the gap analysis's best proposals per serious scenario
# HiGHS stops after this long on a page or API call; the run then says it is not proven optimal and
# gives the gap. Overlap-heavy sets (many measures on one scenario) can take HiGHS a while to prove.
TIME_LIMIT_S = 20.0
PARETO_TIME_LIMIT_S = 2.0  # per point of the curve


class OptimisationError(ValueError):
    """Nothing to optimise, or inputs the optimiser refuses (the message says which)."""


@dataclass(frozen=True)
class Candidate:
    key: str
    label: str
    site_id: str
    site_name: str
    assessment_id: str
    measures: tuple[str, ...]  # catalogue keys
    capital_eur: float
    yearly_eur: float
    effects: dict[Hashable, tuple[float, float]]  # scenario id → (likelihood share, consequence share)


def latest_rated(organisation: Organisation) -> list[Assessment]:
    """Per site of ORGANISATION, its latest assessment with at least one rated scenario."""
    chosen: dict[Any, Assessment] = {}
    assessments = (Assessment.objects.filter(organisation=organisation).select_related("site")
                   .order_by("site_id", "-date", "-created_at").prefetch_related("scenarios__threat"))
    for assessment in assessments:
        if assessment.site_id in chosen:
            continue
        if any(s.rated and not s.not_applicable for s in assessment.scenarios.all()):
            chosen[assessment.site_id] = assessment
    return sorted(chosen.values(), key=lambda a: a.site.name)


def _rated(assessment: Assessment) -> list[Any]:
    return [s for s in assessment.scenarios.all() if s.rated and not s.not_applicable]


def _effects(entries: list[Any], scenarios: list[Any]) -> dict[Hashable, tuple[float, float]]:
    effects: dict[Hashable, tuple[float, float]] = {}
    for scenario in scenarios:
        shares = [e.effect_on(scenario.threat.ref_id) for e in entries if e.spec.acts_on(scenario.threat.ref_id)]
        if shares:
            effects[str(scenario.pk)] = (combine(s[0] for s in shares), combine(s[1] for s in shares))
    return effects


def candidates(organisation: Organisation, mode: str, site_ids: set[str] | None = None,
               catalogue: Catalogue | None = None) -> tuple[list[Candidate], dict[Hashable, portfolio.Scenario]]:
    if mode not in MODES:
        raise OptimisationError(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")
    catalogue = catalogue or catalogue_for(organisation)
    found: list[Candidate] = []
    scenarios: dict[Hashable, portfolio.Scenario] = {}
    for assessment in latest_rated(organisation):
        if site_ids is not None and str(assessment.site_id) not in site_ids:
            continue
        rated = _rated(assessment)
        lowest = min(matrix_of(assessment).likelihood_values)
        for s in rated:
            scenarios[str(s.pk)] = portfolio.Scenario(str(s.pk), float(s.likelihood), float(s.consequence),
                                                      site=str(assessment.site_id), lowest=float(lowest))
        present = present_keys(assessment, catalogue)
        site = assessment.site
        if mode == "whatif":
            for option in WhatIfOption.objects.filter(assessment=assessment).order_by("created_at"):
                entries = [e for k in option.measures if (e := catalogue.get(k)) is not None and e.key not in present]
                if not entries:
                    continue
                found.append(Candidate(f"whatif:{option.pk}", option.name, str(site.pk), site.name,
                                       str(assessment.pk), tuple(e.key for e in entries),
                                       sum(e.spec.capital_mid for e in entries),
                                       sum(e.spec.yearly_mid for e in entries), _effects(entries, rated)))
        else:

            proposed = dict.fromkeys(p.entry.key for gap in gap_analysis(assessment, limit=CATALOGUE_PER_SCENARIO).gaps
                                     for p in gap.proposals)
            for key in proposed:
                entry = catalogue.get(key)
                effects = _effects([entry], rated) if entry is not None else {}
                if entry is not None and effects:
                    found.append(Candidate(f"measure:{site.pk}:{entry.key}", entry.name, str(site.pk), site.name,
                                           str(assessment.pk), (entry.key,), entry.spec.capital_mid,
                                           entry.spec.yearly_mid, effects))
    return found, scenarios


def _options(found: list[Candidate]) -> list[portfolio.Option]:
    return [portfolio.Option(c.key, c.capital_eur, c.yearly_eur, c.effects, site=c.site_id) for c in found]


def _exclusive(found: list[Candidate], mode: str) -> list[tuple[str, ...]]:
    if mode != "whatif":
        return []
    groups: dict[str, list[str]] = {}
    for c in found:
        groups.setdefault(c.site_id, []).append(c.key)
    return [tuple(keys) for keys in groups.values() if len(keys) > 1]


def _result_json(result: portfolio.PortfolioResult) -> dict[str, Any]:
    return {"chosen": list(result.chosen), "capital_eur": result.capital_eur, "yearly_eur": result.yearly_eur,
            "risk_before": result.risk_before, "risk_after": result.risk_after, "risk_removed": result.risk_removed,
            "status": result.status, "optimal": result.optimal, "gap": result.gap,
            "solve_time_s": round(result.solve_time_s, 4)}


def _named(text: str, by_key: dict[str, Candidate]) -> str:
    """The explanation with each candidate's key replaced by its place and name."""
    for key in sorted(by_key, key=len, reverse=True):
        if key in text:
            c = by_key[key]
            text = text.replace(key, f"“{c.label}” ({c.site_name})")
    return text


@transaction.atomic
def run_optimisation(organisation: Organisation, *, name: str, budget_eur: int, yearly_budget_eur: int | None,
                     mode: str = "whatif", site_ids: set[str] | None = None, user: Any = None) -> OptimisationRun:
    """Solve, compare with the greedy choice, trace the cost–risk curve and keep it all."""
    found, scenarios = candidates(organisation, mode, site_ids)
    if not found:
        raise OptimisationError(
            "no candidate: save what-if options on your assessments first" if mode == "whatif"
            else "no catalogue measure acts on a rated scenario of the chosen public spaces")
    options = _options(found)
    exclusive = _exclusive(found, mode)
    started = time.perf_counter()
    try:
        best = portfolio.optimise(options, budget_eur, yearly_budget=yearly_budget_eur, scenarios=scenarios,
                                  exclusive=exclusive, time_limit_s=TIME_LIMIT_S)
        simple = portfolio.greedy(options, budget_eur, yearly_budget=yearly_budget_eur, scenarios=scenarios,
                                  exclusive=exclusive)
        curve = portfolio.pareto(options, yearly_budget=yearly_budget_eur, scenarios=scenarios, exclusive=exclusive,
                                 points=PARETO_POINTS, time_limit_s=PARETO_TIME_LIMIT_S)
    except portfolio.PortfolioInputError as exc:
        raise OptimisationError(str(exc)) from exc
    by_key = {c.key: c for c in found}
    explanations = []
    for key, why in best.per_option.items():
        c = by_key[str(key)]
        explanations.append({"key": c.key, "label": c.label, "site": c.site_name, "site_id": c.site_id,
                             "assessment_id": c.assessment_id, "measures": list(c.measures),
                             "capital_eur": c.capital_eur, "yearly_eur": c.yearly_eur, "chosen": why.chosen,
                             "reason": why.reason, "text": _named(why.text, by_key),
                             "related": [by_key[str(k)].label for k in why.related if str(k) in by_key],
                             "benefit_alone": why.benefit_alone, "benefit_marginal": why.benefit_marginal})
    result = {
        "optimal": _result_json(best), "greedy": _result_json(simple), "options": explanations,
        "pareto": [{"budget": p.budget, "risk_after": p.risk_after, "chosen": len(p.chosen)} for p in curve],
        "candidates": len(found), "scenarios": len(scenarios), "elapsed_s": round(time.perf_counter() - started, 3),
    }
    inputs = {"mode": mode, "site_ids": sorted(site_ids) if site_ids is not None else None,
              "exclusive": [list(g) for g in exclusive],
              "candidates": [{"key": c.key, "capital_eur": c.capital_eur, "yearly_eur": c.yearly_eur,
                              "effects": {str(k): list(v) for k, v in c.effects.items()}} for c in found],
              "scenarios": {str(k): [s.likelihood, s.consequence] for k, s in scenarios.items()}}
    return OptimisationRun.objects.create(organisation=organisation, name=name, budget_eur=budget_eur,
                                          yearly_budget_eur=yearly_budget_eur, inputs=inputs, result=result,
                                          created_by=user if getattr(user, "is_authenticated", False) else None)
