"""The gap analysis of one assessment: what to add against each serious scenario, and why.

The ranking is the pure domain's (``stoa.core.catalogue.gaps``); this module gathers its inputs and
explains each proposal:

* **Which scenarios.** The applicable, rated scenarios whose risk level is at least the chosen
  one (by default the matrix's ``high`` level, else its second most severe), optionally only
  those an objective addresses.
* **Which measures.** The organisation's catalogue (``stoa.catalogue.entries``), less the measures
  already present (existing measures linked to a catalogue entry) and less, per scenario, those
  failing a must-have requirement that applies to it. A requirement applies to a scenario when its
  threat types (if any) include the scenario's, and, for a site-specific requirement whose
  objective addresses some scenarios, when the scenario is one of them; a general requirement
  applies to every scenario. Unmet desirable requirements are reported next to the measure.
* **Computed speeds.** For a vehicle scenario whose run-up analysis has been run, barrier
  entries are proposed only where the computed speed exceeds what the existing barriers stop,
  and only those whose rating stops the worst approach left
  (``stoa.engineering.vehicle.barrier_exclusions``).
* **Why.** The scenario and its rating, the measure's effect and its basis, the attack phases it
  acts in (marked when one is the phase the scenario looks at), and the answers that pushed the
  scenario's proposed rating up on the factor the measure lowers (the answers the measure is
  written against first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stoa.assessments.matrix import matrix_of
from stoa.assessments.models import Assessment, Objective, Requirement, RequirementPriority, RequirementScope, Scenario
from stoa.assessments.proposals import current_answers, propose_for, question_objects
from stoa.catalogue.entries import Catalogue, CatalogueEntry, catalogue_for
from stoa.core.catalogue.gaps import Recommendation, ScenarioInput, recommend
from stoa.core.catalogue.measures import DEFAULT_HORIZON_YEARS
from stoa.engineering.models import VEHICLE_THREATS
from stoa.engineering.vehicle import barrier_exclusions
from stoa.library.models import ReferenceObject

DEFAULT_LEVEL = "high"


@dataclass
class Proposal:
    entry: CatalogueEntry
    recommendation: Recommendation
    effect: tuple[float, float]
    basis: str
    phases: list[dict[str, Any]]
    answers: list[dict[str, Any]]
    desirable_unmet: list[Requirement]


@dataclass
class ScenarioGap:
    scenario: Scenario
    level: Any
    level_name: str
    objectives: list[Objective]
    proposals: list[Proposal] = field(default_factory=list)
    excluded: list[tuple[CatalogueEntry, list[Requirement]]] = field(default_factory=list)
    # Barriers left out by the scenario's vehicle run-up analysis, with the reason.
    engineering_excluded: list[tuple[CatalogueEntry, str]] = field(default_factory=list)


@dataclass
class GapReport:
    assessment: Assessment
    level_id: str
    levels: list[Any]
    gaps: list[ScenarioGap]
    present: list[CatalogueEntry]
    horizon_years: int
    only_objectives: bool


def default_level(levels: list[Any]) -> str:
    ids = [level.id for level in levels]
    if DEFAULT_LEVEL in ids:
        return DEFAULT_LEVEL
    return ids[-2] if len(ids) > 1 else ids[-1]


def present_keys(assessment: Assessment, catalogue: Catalogue) -> set[str]:
    return {catalogue.canonical(m.catalogue_key) for m in assessment.existingmeasures.all() if m.catalogue_key}


def applies(requirement: Requirement, scenario: Scenario, objective_scenarios: dict[Any, set[Any]]) -> bool:
    if requirement.threats and scenario.threat.ref_id not in requirement.threats:
        return False
    if requirement.scope == RequirementScope.GENERAL:
        return True
    linked = objective_scenarios.get(requirement.objective_id, set())
    return not linked or scenario.pk in linked


def gap_analysis(assessment: Assessment, *, level_id: str | None = None, only_objectives: bool = False,
                 horizon_years: int = DEFAULT_HORIZON_YEARS, limit: int | None = None) -> GapReport:
    frozen = matrix_of(assessment)
    matrix = frozen.domain()
    levels = list(matrix.levels)
    chosen_level = level_id if level_id and level_id in {lv.id for lv in levels} else default_level(levels)
    threshold = matrix.level(chosen_level).rank
    names = frozen.level_names()
    catalogue = catalogue_for(assessment.organisation)
    present = present_keys(assessment, catalogue)

    objectives = list(assessment.objectives.prefetch_related("scenarios"))
    objective_scenarios = {o.pk: {s.pk for s in o.scenarios.all()} for o in objectives}
    requirements = [r for r in Requirement.objects.filter(assessment=assessment) if r.criterion]
    scenarios = []
    for s in assessment.scenarios.select_related("threat", "attack_phase"):
        if s.not_applicable or not s.rated:
            continue
        level = matrix.cell(s.likelihood, s.consequence)
        linked = [o for o in objectives if s.pk in objective_scenarios[o.pk]]
        if level.rank >= threshold and (linked or not only_objectives):
            scenarios.append((s, level, linked))

    gaps, inputs = [], []
    for s, level, linked in scenarios:
        gap = ScenarioGap(s, level, names.get(level.id, level.name), linked)
        excluded = set(present)
        for entry in catalogue:
            failing = [r for r in requirements if r.priority == RequirementPriority.MUST
                       and applies(r, s, objective_scenarios) and not r.meets(entry.data)]
            if failing and entry.spec.acts_on(s.threat.ref_id):
                gap.excluded.append((entry, failing))
                excluded.add(entry.key)
        if s.threat.ref_id in VEHICLE_THREATS:
            for entry, reason in barrier_exclusions(s, list(catalogue)):
                if entry.key not in excluded:
                    gap.engineering_excluded.append((entry, reason))
                    excluded.add(entry.key)
        gaps.append(gap)
        inputs.append(ScenarioInput(s.pk, s.threat.ref_id, s.likelihood, s.consequence, frozenset(excluded),
                                    max(frozen.likelihood_values), max(frozen.consequence_values)))

    results = recommend(inputs, [e.spec for e in catalogue], horizon_years=horizon_years, limit=limit)
    if gaps:
        _explain(assessment, catalogue, gaps, results, requirements, objective_scenarios)
    return GapReport(assessment, chosen_level, [{"id": lv.id, "name": names.get(lv.id, lv.name)} for lv in levels],
                     gaps, [e for key in sorted(present) if (e := catalogue.get(key))], horizon_years,
                     only_objectives)


def _explain(assessment: Assessment, catalogue: Catalogue, gaps: list[ScenarioGap], results: list[Any],
             requirements: list[Requirement], objective_scenarios: dict[Any, set[Any]]) -> None:
    phases = {p.ref_id: p for p in ReferenceObject.objects.filter(kind="attack_phase")}
    questions = question_objects(assessment)
    labels = {q.ref_id: q.label() for q in questions}
    answers = current_answers(assessment)
    for gap, result in zip(gaps, results, strict=True):
        scenario = gap.scenario
        contributions = [c for c in propose_for(scenario, questions, answers).contributions if c.delta > 0]
        desirable = [r for r in requirements if r.priority == RequirementPriority.DESIRABLE
                     and applies(r, scenario, objective_scenarios)]
        for rec in result.recommendations:
            entry = catalogue.get(rec.measure)
            assert entry is not None
            effect = entry.effect_on(scenario.threat.ref_id)
            written_for = set(entry.data.get("questions", []))
            lowers = {"likelihood": effect[0] > 0, "consequence": effect[1] > 0}
            moved = [c for c in contributions if lowers.get(c.dimension)]
            moved.sort(key=lambda c: (c.question not in written_for, -c.delta))
            gap.proposals.append(Proposal(
                entry, rec, effect, entry.basis_for(scenario.threat.ref_id),
                [{"name": phases[p].label() if p in phases else p,
                  "focus": scenario.attack_phase is not None and scenario.attack_phase.ref_id == p}
                 for p in entry.data.get("phases", [])],
                [{"question": labels.get(c.question, c.question), "answer": c.choice_or_band,
                  "dimension": c.dimension, "delta": c.delta, "answered_by_measure": c.question in written_for}
                 for c in moved[:3]],
                [r for r in desirable if not r.meets(entry.data)]))
