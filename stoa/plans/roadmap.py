"""The guided road map: where each public space stands in the method's six steps, and what to do next.

The steps are those of the PRoTECT road map (choose PSOIs → identify vulnerabilities →
objectives and requirements → gather solutions → evaluate → implement and review). Each step's
state is read from the records, never ticked by hand (rules in ``STEP_RULES`` order):

1. **Public space**: done when the site has an outline and at least one crowd figure (time
   slot or event), which its priority needs.
2. **Vulnerabilities**: the latest assessment; done when signed off, started while a draft or
   submitted.
3. **Objectives and requirements**: done when that assessment has an objective with a
   requirement; started with an objective alone.
4. **Solutions gathered**: done when a what-if option is saved or an RFI was drafted from the
   assessment.
5. **Evaluation**: done when an evaluation of the assessment has a decision record; started
   when an evaluation exists.
6. **Implementation and review**: done when an adopted or finished plan exists and its next
   review is not past; started with a draft plan; a review date in the past is flagged.

The next action is the first step not done, with a link to where it is done.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stoa.accounts.models import Organisation
from stoa.assessments.models import Assessment, Objective, Requirement, Status
from stoa.catalogue.models import WhatIfOption
from stoa.evaluation.models import DecisionRecord, Evaluation
from stoa.plans.models import ActionPlan, PlanStatus
from stoa.procurement.models import Rfi
from stoa.sites.models import CrowdSlot, Site, SiteEvent

STEPS = (gettext_lazy("Public space"), gettext_lazy("Vulnerabilities"), gettext_lazy("Objectives and requirements"),
         gettext_lazy("Solutions gathered"), gettext_lazy("Evaluation"), gettext_lazy("Implementation and review"))
DONE, STARTED, TODO = "done", "started", "todo"


@dataclass
class Step:
    number: int
    name: str
    state: str
    note: str = ""


@dataclass
class SiteRoad:
    site: Site
    steps: list[Step] = field(default_factory=list)
    next_action: str = ""
    next_url: str = ""

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.steps if s.state == DONE)


def _latest(assessments: list[Assessment]) -> Assessment | None:
    return max(assessments, key=lambda a: (a.date, a.created_at)) if assessments else None


@dataclass
class AssessmentFacts:
    """What the road map reads about one assessment, loaded for every site at once by ``city_road``."""

    objectives: int = 0
    objectives_with_requirements: int = 0
    gathered: bool = False  # a what-if option saved or an RFI drafted
    evaluations: int = 0
    decided: bool = False


def road_for(site: Site, assessments: list[Assessment], plans: list[ActionPlan], today: datetime.date,
             has_crowd: bool, facts: dict[Any, AssessmentFacts]) -> SiteRoad:
    """SITE's road; HAS_CROWD and FACTS (by assessment id) come from ``city_road``'s bulk queries."""
    road = SiteRoad(site)
    # (label, view name, arguments): only the next action's link is reversed (``_finish``).
    actions: list[tuple[str, tuple[str, list[Any]]]] = []
    road.steps.append(Step(1, str(STEPS[0]), DONE if site.boundary and has_crowd else STARTED,
                           "" if has_crowd else _("no crowd figure yet")))
    actions.append((_("Add the crowd figures of the public space"), ("sites:detail", [site.pk])))
    latest = _latest(assessments)
    if latest is None:
        road.steps += [Step(n + 1, str(STEPS[n]), TODO) for n in range(1, 6)]
        actions.append((_("Start a vulnerability assessment"), ("assessments:create", [site.pk])))
        return _finish(road, actions)
    signed = latest.status == Status.SIGNED_OFF
    road.steps.append(Step(2, str(STEPS[1]), DONE if signed else STARTED, latest.get_status_display()))
    actions.append((_("Finish and sign off the assessment"), ("assessments:detail", [latest.pk])))
    known = facts.get(latest.pk, AssessmentFacts())
    road.steps.append(Step(3, str(STEPS[2]), DONE if known.objectives_with_requirements
                           else STARTED if known.objectives else TODO))
    actions.append((_("Set objectives and requirements"), ("assessments:objectives", [latest.pk])))
    road.steps.append(Step(4, str(STEPS[3]), DONE if known.gathered else TODO))
    actions.append((_("Look for solutions in the gap analysis"), ("catalogue:gaps", [latest.pk])))
    road.steps.append(Step(5, str(STEPS[4]), DONE if known.decided else STARTED if known.evaluations else TODO))
    actions.append((_("Evaluate the candidate solutions"), ("evaluation:create", [])))
    live = [p for p in plans if p.status in (PlanStatus.ADOPTED, PlanStatus.FINISHED)]
    overdue = [p for p in plans if p.next_review and p.next_review < today and p.status != PlanStatus.FINISHED]
    state = DONE if live and not overdue else STARTED if plans else TODO
    note = (_("review overdue since %(date)s") % {"date": overdue[0].next_review}) if overdue else ""
    road.steps.append(Step(6, str(STEPS[5]), state, note))
    target = plans[0] if plans else None
    actions.append((_("Review the action plan") if overdue else _("Make and adopt an action plan"),
                    ("plans:optimise", []) if target is None else ("plans:detail", [target.pk])))
    return _finish(road, actions)


def _finish(road: SiteRoad, actions: list[tuple[str, tuple[str, list[Any]]]]) -> SiteRoad:
    for step, (label, (name, args)) in zip(road.steps, actions, strict=False):
        if step.state != DONE:
            road.next_action, road.next_url = label, reverse(name, args=args)
            break
    return road


def assessment_facts(assessment_ids: list[Any]) -> dict[Any, AssessmentFacts]:
    """The road map's facts about each of ASSESSMENT_IDS, in a fixed number of queries."""
    facts = {pk: AssessmentFacts() for pk in assessment_ids}
    objectives = (Objective.objects.filter(assessment_id__in=assessment_ids)
                  .annotate(with_requirements=Exists(Requirement.objects.filter(objective=OuterRef("pk"))))
                  .values("assessment_id", "with_requirements"))
    for row in objectives:
        found = facts[row["assessment_id"]]
        found.objectives += 1
        found.objectives_with_requirements += bool(row["with_requirements"])
    gathered = {*WhatIfOption.objects.filter(assessment_id__in=assessment_ids).values_list("assessment_id", flat=True),
                *Rfi.objects.filter(assessment_id__in=assessment_ids).values_list("assessment_id", flat=True)}
    for pk in gathered:
        facts[pk].gathered = True
    evaluations = (Evaluation.objects.filter(assessment_id__in=assessment_ids)
                   .annotate(decided=Exists(DecisionRecord.objects.filter(evaluation=OuterRef("pk"))))
                   .values("assessment_id", "decided"))
    for row in evaluations:
        found = facts[row["assessment_id"]]
        found.evaluations += 1
        found.decided = found.decided or bool(row["decided"])
    return facts


def road_sites(organisation: Organisation) -> QuerySet[Site]:
    """ORGANISATION's sites, by name, as ``roads_of`` reads them (cut it into pages first)."""
    return Site.objects.filter(organisation=organisation).order_by("name", "pk").only(
        "pk", "name", "boundary").annotate(
        has_crowd=Exists(CrowdSlot.objects.filter(site=OuterRef("pk")))
        | Exists(SiteEvent.objects.filter(site=OuterRef("pk"))))


def roads_of(sites: list[Any], today: datetime.date | None = None) -> list[SiteRoad]:
    """The road of each of SITES (from ``road_sites``), in a fixed number of queries whatever their number."""
    day = today or datetime.date.today()
    by_site: dict[Any, list[Assessment]] = {}
    for a in Assessment.objects.filter(site__in=sites).only("pk", "site_id", "date", "created_at", "status"):
        by_site.setdefault(a.site_id, []).append(a)
    plans: dict[Any, list[ActionPlan]] = {}
    for p in (ActionPlan.objects.filter(site__in=sites).order_by("-created_at")
              .only("pk", "site_id", "status", "next_review", "created_at")):
        plans.setdefault(p.site_id, []).append(p)
    latest = [found.pk for found in (_latest(a) for a in by_site.values()) if found is not None]
    facts = assessment_facts(latest)
    return [road_for(s, by_site.get(s.pk, []), plans.get(s.pk, []), day, s.has_crowd, facts) for s in sites]
