"""The city-wide plan of an organisation: every PSOI plan the user may see, summed up.

* **Progress** of a plan: the mean progress of its items that are not cancelled (None without any).
* **Costs**: capital and yearly costs of the items that are not cancelled, per plan, per horizon
  and per year; a year's capital is that of the items starting in it (items without a start are
  "not scheduled"); a year's running cost is that of the items started by then.
* **Overdue**: items past their end and neither done nor cancelled (``PlannedMeasure.is_overdue``).
* **Reviews**: each plan's next review, soonest first.
* **Risk**: each plan's current and residual risk score (``stoa.plans.residual.plan_residual``);
  the city totals are their sums.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects

from stoa.accounts.roles import Action
from stoa.assessments.models import Scenario
from stoa.catalogue.entries import Catalogue, catalogue_for
from stoa.catalogue.gaps import present_keys
from stoa.plans.models import ActionPlan, Horizon, ItemStatus, PlannedMeasure
from stoa.plans.residual import PlanResidual, plan_residual


@dataclass
class PlanSummary:
    plan: ActionPlan
    items: list[PlannedMeasure]
    residual: PlanResidual

    @property
    def counted(self) -> list[PlannedMeasure]:
        return [m for m in self.items if m.status != ItemStatus.CANCELLED]

    @property
    def progress(self) -> int | None:
        counted = self.counted
        return round(sum(m.progress for m in counted) / len(counted)) if counted else None

    @property
    def capital_eur(self) -> int:
        return sum(m.capital_eur for m in self.counted)

    @property
    def yearly_eur(self) -> int:
        return sum(m.yearly_eur for m in self.counted)

    @property
    def overdue(self) -> list[PlannedMeasure]:
        return [m for m in self.items if m.is_overdue]


@dataclass
class YearRow:
    year: int | None  # None: items without a start
    capital_eur: int = 0
    yearly_eur: int = 0
    items: int = 0


@dataclass
class CityPlan:
    plans: list[PlanSummary]
    by_horizon: list[tuple[str, str, int, int]] = field(default_factory=list)  # value, label, capital, yearly
    by_year: list[YearRow] = field(default_factory=list)

    @property
    def capital_eur(self) -> int:
        return sum(p.capital_eur for p in self.plans)

    @property
    def yearly_eur(self) -> int:
        return sum(p.yearly_eur for p in self.plans)

    @property
    def overdue(self) -> list[tuple[ActionPlan, PlannedMeasure]]:
        late = [(p.plan, m) for p in self.plans for m in p.overdue]
        return sorted(late, key=lambda pm: pm[1].end or datetime.date.min)

    @property
    def reviews(self) -> list[ActionPlan]:
        return sorted((p.plan for p in self.plans if p.plan.next_review),
                      key=lambda plan: plan.next_review or datetime.date.max)

    @property
    def current_total(self) -> float:
        return sum(p.residual.current_total for p in self.plans)

    @property
    def residual_total(self) -> float:
        return sum(p.residual.residual_total for p in self.plans)

    @property
    def items(self) -> list[tuple[ActionPlan, PlannedMeasure]]:
        return [(p.plan, m) for p in self.plans for m in p.items]


def _load_for_summaries(plans: list[ActionPlan]) -> dict[Any, Catalogue]:
    """Everything ``summarise`` reads about PLANS, in a fixed number of queries whatever their number:
    their measures with dependencies and scenarios, their assessments' scenarios and measures in place,
    and one catalogue per organisation. Returns the catalogues by organisation id."""
    prefetch_related_objects(plans, "plannedmeasures__depends_on", Prefetch(
        "plannedmeasures__scenarios", queryset=Scenario.objects.select_related("threat")))
    assessments = [plan.assessment for plan in plans]
    prefetch_related_objects(assessments, "existingmeasures",
                             Prefetch("scenarios", queryset=Scenario.objects.select_related("threat")))
    return {org_id: catalogue_for(org_id) for org_id in {a.organisation_id for a in assessments}}


def _residual(plan: ActionPlan, catalogues: dict[Any, Catalogue]) -> PlanResidual:
    catalogue = catalogues[plan.assessment.organisation_id]
    return plan_residual(plan, catalogue=catalogue, scenarios=list(plan.assessment.scenarios.all()),
                         present=present_keys(plan.assessment, catalogue))


def summarise(plans: list[ActionPlan]) -> CityPlan:
    catalogues = _load_for_summaries(plans)
    summaries = [PlanSummary(plan, list(plan.plannedmeasures.all()), _residual(plan, catalogues)) for plan in plans]
    city = CityPlan(summaries)
    counted = [m for s in summaries for m in s.counted]
    city.by_horizon = [(h.value, str(h.label), sum(m.capital_eur for m in counted if m.horizon == h),
                        sum(m.yearly_eur for m in counted if m.horizon == h)) for h in Horizon]
    years = sorted({m.start.year for m in counted if m.start})
    for year in years:
        started = [m for m in counted if m.start and m.start.year <= year]
        city.by_year.append(YearRow(year, sum(m.capital_eur for m in started if m.start and m.start.year == year),
                                    sum(m.yearly_eur for m in started),
                                    sum(1 for m in started if m.start and m.start.year == year)))
    unscheduled = [m for m in counted if not m.start]
    if unscheduled:
        city.by_year.append(YearRow(None, sum(m.capital_eur for m in unscheduled),
                                    sum(m.yearly_eur for m in unscheduled), len(unscheduled)))
    return city


def city_plan(user: Any, organisation: Any) -> CityPlan:
    """ORGANISATION's PSOI plans that USER may see (none without an organisation)."""
    if organisation is None:
        return summarise([])
    plans = (ActionPlan.objects.for_user(user, Action.VIEW).filter(organisation=organisation)
             .select_related("site", "assessment", "organisation"))
    return summarise(list(plans))
