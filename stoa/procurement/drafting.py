"""Drafting a request for information from an assessment (road-map steps 3 → 4).

The city chooses vulnerabilities (the assessment's scenarios, rated ones first, most severe
first, by the assessment's own ranking rule). The draft then takes:

* the threat types of those scenarios;
* the requirements of every objective addressing them, copied as RFI requirements (must-have or
  desirable, with their measurable condition), so the RFI can be reworded for the market without
  touching the assessment;
* a problem statement in neutral words, from the kind of place and the threat types only. The
  scenario narratives and the site's weaknesses never go into it: vendors must not learn them;
* an evaluation of its own, with a copy of the chosen criteria set, for the first chosen
  vulnerability; every submitted answer becomes one of its alternatives (``services.submit``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stoa.assessments.matrix import matrix_of
from stoa.assessments.models import Assessment, Requirement, RequirementPriority, Scenario
from stoa.core.assessment.ranking import ScenarioRisk, rank
from stoa.evaluation.models import Evaluation
from stoa.evaluation.sources import CriteriaSource
from stoa.procurement.models import Rfi, RfiRequirement


@dataclass(frozen=True)
class Vulnerability:
    scenario: Scenario
    level_name: str  # empty while the scenario is not rated
    position: int | None  # 1 = most urgent; None when not rated

    @property
    def label(self) -> str:
        threat = self.scenario.threat.label()
        if self.position is None:
            return _("%(threat)s (not rated yet)") % {"threat": threat}
        return _("%(threat)s — risk %(level)s") % {"threat": threat, "level": self.level_name}


def vulnerabilities(assessment: Assessment) -> list[Vulnerability]:
    """The applicable scenarios of ASSESSMENT: rated ones in ranking order, then the unrated ones."""
    frozen = matrix_of(assessment)
    names = frozen.level_names()
    scenarios = [s for s in assessment.scenarios.select_related("threat") if not s.not_applicable]
    ranked = rank([ScenarioRisk(s.threat.ref_id, s.threat.order, s.likelihood, s.consequence, s.not_applicable,
                                key=s.pk) for s in scenarios], frozen.domain())
    by_pk = {s.pk: s for s in scenarios}
    result = [Vulnerability(by_pk[r.scenario.key], names.get(r.level.id, r.level.name), r.position) for r in ranked]
    seen = {v.scenario.pk for v in result}
    return result + [Vulnerability(s, "", None) for s in scenarios if s.pk not in seen]


def _joined(labels: list[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return _("%(first)s and %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def problem_statement(assessment: Assessment, scenarios: list[Scenario]) -> str:
    """A neutral statement of the problem: the kind of place and the threat types, nothing site-specific."""
    category = assessment.site.category.label() if assessment.site.category_id else _("public space")
    threats = _joined([s.threat.label().lower() for s in scenarios])
    return _("We are looking for solutions that help protect a public space of the kind “%(category)s” against "
             "%(threats)s. The space is open to the public and in everyday use: solutions must fit its normal use, "
             "its look and its accessibility. The requirements say what a solution must and should do; the "
             "evaluation criteria say how the answers are compared.") % {"category": category, "threats": threats}


def next_reference(assessment: Assessment) -> str:
    """RFI-<year>-<n>, numbering the organisation's RFIs."""
    count = Rfi.objects.filter(organisation_id=assessment.organisation_id).count()
    return f"RFI-{timezone.localdate():%Y}-{count + 1:03d}"


def copied_requirements(assessment: Assessment, scenarios: list[Scenario]) -> list[Requirement]:
    """The requirements of the objectives addressing SCENARIOS, must-haves first, each once."""
    found = (Requirement.objects.filter(assessment=assessment, objective__scenarios__in=scenarios)
             .select_related("objective").order_by("objective__created_at", "created_at").distinct())
    requirements = list(found)
    return sorted(requirements, key=lambda r: r.priority != RequirementPriority.MUST)


def draft_rfi(rfi: Rfi, scenarios: list[Scenario], source: CriteriaSource, user: Any) -> Rfi:
    """Save RFI (validated, not yet saved) with its threats, requirements and a new evaluation.

    SCENARIOS are in the order they were offered (most severe first); the evaluation is for the first."""
    assessment = rfi.assessment
    with transaction.atomic():
        evaluation = Evaluation(
            assessment=assessment, organisation_id=assessment.organisation_id, scenario=scenarios[0],
            title=rfi.title[:200], purpose=_("Answers to %(reference)s") % {"reference": rfi.reference or rfi.title},
            criteria=copy.deepcopy(source.data), criteria_source=source.key, created_by=user)
        evaluation.clean()
        evaluation.save()
        rfi.evaluation = evaluation
        rfi.criteria = evaluation.criteria
        rfi.threats = [s.threat.ref_id for s in scenarios]
        if not rfi.problem.strip():
            rfi.problem = problem_statement(assessment, scenarios)
        rfi.created_by = user
        rfi.save()
        rfi.scenarios.set(scenarios)
        for order, r in enumerate(copied_requirements(assessment, scenarios), start=1):  # one by one: audited
            RfiRequirement.objects.create(rfi=rfi, text=r.text, priority=r.priority, criterion=r.criterion,
                                          limit=r.limit, order=order)
    return rfi
