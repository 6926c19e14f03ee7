"""Test data for the action plans: one assessed public space with two rated scenarios, two small
catalogue measures of our own (fast: no shipped catalogue), a what-if option and a plan."""

from __future__ import annotations

import datetime
from typing import Any

from stoa.assessments.models import Scenario
from stoa.catalogue.models import WhatIfOption
from stoa.evaluation.models import Alternative, AlternativeKind, DecisionRecord, EvaluationStatus
from stoa.plans.models import ActionPlan, PlannedMeasure
from tests import factories
from tests.assessment_samples import make_assessment
from tests.catalogue_samples import make_measure
from tests.evaluation_samples import make_evaluation

BOLLARDS = "urn:stoa:measure:test-bollards"
GUARDS = "urn:stoa:measure:test-guards"


def make_measures() -> None:
    make_measure(with_reference=False)  # VEHICLE, 40–60 k€ capital, 500–1,500 €/year, 30–90 days
    make_measure("TEST_GUARDS", "Test guards", with_reference=False, deploy_days=[200, 800],
                 effects=[{"threat": "FIREARMS", "likelihood": 0.3, "consequence": 0.2,
                           "basis": {"en": "Guards.", "fr": "Gardes."}}],
                 cost={"capital_eur": [1000, 3000], "yearly_eur": [20000, 40000],
                       "basis": {"en": "a team", "fr": "une équipe"}})


def make_plan_world(org: Any, name: str = "Market Square") -> dict[str, Any]:
    make_measures()
    site = factories.make_site(org, name=name)
    assessment = make_assessment(site)
    Scenario.objects.filter(assessment=assessment, threat__ref_id="VEHICLE").update(likelihood=4, consequence=5)
    Scenario.objects.filter(assessment=assessment, threat__ref_id="FIREARMS").update(likelihood=3, consequence=4)
    option = WhatIfOption.objects.create(assessment=assessment, name="Barriers and guards", measures=[BOLLARDS, GUARDS])
    plan = ActionPlan.objects.create(site=site, assessment=assessment, title=f"Plan for {name}")
    item = PlannedMeasure.objects.create(plan=plan, name="Signage", owner="Works", start=datetime.date(2026, 1, 1),
                                         end=datetime.date(2026, 6, 30), progress=50)
    return {"site": site, "assessment": assessment, "option": option, "plan": plan, "item": item}


def make_decision(assessment: Any, key: str = BOLLARDS, name: str = "Test bollards") -> DecisionRecord:
    """A frozen evaluation on the VEHICLE scenario that chose the catalogue measure KEY."""
    evaluation = make_evaluation(assessment)
    chosen = Alternative.objects.create(evaluation=evaluation, name=name, kind=AlternativeKind.CATALOGUE,
                                        catalogue_key=key)
    record = DecisionRecord.objects.create(evaluation=evaluation, organisation_id=evaluation.organisation_id,
                                           chosen=chosen, rationale="Best for the money.", sha256="0" * 64)
    type(evaluation).objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.FROZEN)
    return DecisionRecord.objects.get(pk=record.pk)
