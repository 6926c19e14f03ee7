"""Turning an optimisation run's chosen candidates into action-plan items.

Each chosen candidate's measures go into the plan of its public space for the assessment the run
used (the newest plan that is not finished; a draft plan is made when there is none). A measure
whose catalogue entry is already in that plan is skipped, so adding a run twice adds nothing.
Costs are the catalogue bands' middles; the horizon follows the deployment time
(``stoa.plans.rules.horizon_for``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from stoa.assessments.models import Assessment
from stoa.catalogue.entries import catalogue_for
from stoa.plans.models import ActionPlan, ItemSource, OptimisationRun, PlannedMeasure, PlanStatus
from stoa.plans.rules import horizon_for


def plan_for(assessment: Assessment, user: Any = None) -> ActionPlan:
    plan = (ActionPlan.objects.filter(assessment=assessment).exclude(status=PlanStatus.FINISHED)
            .order_by("-created_at").first())
    if plan is None:
        plan = ActionPlan(site=assessment.site, assessment=assessment,
                          title=_("Action plan: %(site)s") % {"site": assessment.site.name},
                          created_by=user if getattr(user, "is_authenticated", False) else None)
        plan.full_clean(exclude=["organisation"])
        plan.save()
    return plan


@transaction.atomic
def add_to_plans(run: OptimisationRun, user: Any = None) -> list[PlannedMeasure]:
    """The chosen candidates' measures as plan items (see the module doc); the new items."""
    catalogue = catalogue_for(run.organisation)
    added: list[PlannedMeasure] = []
    for option in run.result.get("options", []):
        if not option["chosen"]:
            continue
        assessment = Assessment.objects.filter(pk=option["assessment_id"], organisation=run.organisation).first()
        if assessment is None:
            continue  # deleted since the run
        plan = plan_for(assessment, user)
        have = set(plan.plannedmeasures.exclude(catalogue_key="").values_list("catalogue_key", flat=True))
        rated = [s for s in assessment.scenarios.select_related("threat") if s.rated and not s.not_applicable]
        for key in option["measures"]:
            entry = catalogue.get(key)
            if entry is None or entry.key in have:
                continue
            item = PlannedMeasure(plan=plan, name=entry.name, catalogue_key=entry.key, source=ItemSource.OPTIMISER,
                                  source_ref=str(run.pk), capital_eur=round(entry.spec.capital_mid),
                                  yearly_eur=round(entry.spec.yearly_mid), horizon=horizon_for(entry.data))
            item.save()
            item.scenarios.set([s for s in rated if entry.spec.acts_on(s.threat.ref_id)])
            have.add(entry.key)
            added.append(item)
    return added
