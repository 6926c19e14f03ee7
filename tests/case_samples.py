"""Test data for the case-study tests: a finished plan on a rated assessment, with one catalogue measure."""

from __future__ import annotations

from typing import Any

from stoa.cases import services
from stoa.cases.models import CaseStudy
from stoa.plans.models import ActionPlan, ItemStatus, PlannedMeasure, PlanStatus
from tests import factories
from tests.assessment_samples import make_assessment
from tests.catalogue_samples import make_measure

RATINGS = {"VEHICLE": (4, 4), "FIREARMS": (3, 4), "IED": (2, 5)}


def make_finished_plan(org: Any, site_name: str = "Grand-Place", status: str = PlanStatus.FINISHED,
                       ratings: dict[str, tuple[int, int]] | None = None) -> ActionPlan:
    measure = make_measure(with_reference=False)
    site = factories.make_site(org, name=site_name, surroundings=f"Next to the {site_name} town hall")
    assessment = make_assessment(site)
    ratings = RATINGS if ratings is None else ratings
    for scenario in assessment.scenarios.select_related("threat"):
        if scenario.threat.ref_id in ratings:
            scenario.likelihood, scenario.consequence = ratings[scenario.threat.ref_id]
            scenario.save()
    plan = ActionPlan.objects.create(site=site, assessment=assessment, title=f"Protect {site_name}",
                                     status=status, owner_name="Jeanne Martin")
    bollards = PlannedMeasure.objects.create(
        plan=plan, name=f"Bollards at the {site_name} entrances", catalogue_key=measure.urn, capital_eur=50_000,
        yearly_eur=1_000, status=ItemStatus.DONE)
    bollards.scenarios.set(assessment.scenarios.filter(threat__ref_id="VEHICLE"))
    PlannedMeasure.objects.create(plan=plan, name="Guards on market days", capital_eur=0, yearly_eur=20_000,
                                  status=ItemStatus.CANCELLED)
    return plan


def make_case(plan: ActionPlan, user: Any = None, **fields: Any) -> CaseStudy:
    found = services.prefill(plan)
    fields.setdefault("title", found.initial["title"])
    fields.setdefault("outcome", f"Since the bollards, no vehicle reached the {plan.site.name} during markets.")
    fields.setdefault("lessons", f"Ask {plan.organisation.name}'s traffic department early.")
    threats = [t for t in found.threats if t.pk in found.initial["threats"]]
    return services.create_case(found, CaseStudy(**fields), threats, user)
