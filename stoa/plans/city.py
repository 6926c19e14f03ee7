"""The city-wide plan of an organisation: every PSOI plan the user may see, summed up.

* **Progress** of a plan: the mean progress of its items that are not cancelled (None without any).
* **Costs**: capital and yearly costs of the items that are not cancelled, per plan, per horizon
  and per year; a year's capital is that of the items starting in it (items without a start are
  "not scheduled"); a year's running cost is that of the items started by then.
* **Overdue**: items past their end and neither done nor cancelled (``PlannedMeasure.is_overdue``).
* **Reviews**: each plan's next review, soonest first.
* **Risk**: each plan's current and residual risk score (``stoa.plans.residual.plan_residual``);
  the city totals are their sums.

A city has a thousand plans and many thousand items: ``city_plan`` computes every figure in SQL
(per-plan figures as annotations of the shown page's plans, city totals as aggregates over all the
visible plans) and lists only the soonest overdue items and reviews. The risk figures are those
each plan stores (``stoa.plans.risk``), filled first for the plans whose inputs changed.
``summarise`` is the same in Python, for one plan's page, which shows every item anyway.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Prefetch, Q, QuerySet, Sum, prefetch_related_objects
from django.db.models.functions import Coalesce, ExtractYear

from stoa.accounts.roles import Action
from stoa.assessments.models import Scenario
from stoa.catalogue.entries import Catalogue, catalogue_for
from stoa.catalogue.gaps import present_keys
from stoa.plans.models import ActionPlan, Horizon, ItemStatus, PlannedMeasure
from stoa.plans.residual import PlanResidual, plan_residual
from stoa.plans.risk import fill


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
    keys: dict[Any, set[str]] = {a.organisation_id: set() for a in assessments}
    for plan in plans:  # only the entries these plans and their measures in place name are read
        keys[plan.assessment.organisation_id].update(
            [m.catalogue_key for m in plan.plannedmeasures.all() if m.catalogue_key]
            + [m.catalogue_key for m in plan.assessment.existingmeasures.all() if m.catalogue_key])
    return {org_id: catalogue_for(org_id, keys[org_id]) for org_id in keys}


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


def residuals(plans: list[ActionPlan]) -> dict[Any, PlanResidual]:
    """Each of PLANS' residual risk by plan id, in a fixed number of queries."""
    catalogues = _load_for_summaries(plans)
    return {plan.pk: _residual(plan, catalogues) for plan in plans}


SOONEST = 10  # overdue items and reviews listed on the overview; the rest are counted


@dataclass
class CityTotals:
    """The city-wide figures of ``city_plan``, from SQL; only the soonest overdue items and reviews."""

    plans: QuerySet[ActionPlan]  # annotated as ``annotate_plans`` does; paginate it for display
    plan_count: int = 0
    capital_eur: int = 0
    yearly_eur: int = 0
    overdue_count: int = 0
    overdue: list[tuple[ActionPlan, PlannedMeasure]] = field(default_factory=list)
    reviews_count: int = 0
    reviews: list[ActionPlan] = field(default_factory=list)
    current_total: float = 0.0
    residual_total: float = 0.0
    by_horizon: list[tuple[str, str, int, int]] = field(default_factory=list)
    by_year: list[YearRow] = field(default_factory=list)


def _counted(prefix: str = "") -> Q:
    return ~Q(**{f"{prefix}status": ItemStatus.CANCELLED})


def _overdue(prefix: str = "", today: datetime.date | None = None) -> Q:
    return Q(**{f"{prefix}end__lt": today or datetime.date.today(),
                f"{prefix}status__in": [ItemStatus.PLANNED, ItemStatus.IN_PROGRESS]})


def annotate_plans(plans: QuerySet[ActionPlan]) -> QuerySet[ActionPlan]:
    """PLANS with ``n_items``, ``mean_progress``, ``capital``, ``yearly`` (counted items) and ``n_overdue``."""
    counted = _counted("plannedmeasures__")
    return plans.annotate(
        n_items=Count("plannedmeasures", filter=counted),
        mean_progress=Avg("plannedmeasures__progress", filter=counted),
        capital=Coalesce(Sum("plannedmeasures__capital_eur", filter=counted), 0),
        yearly=Coalesce(Sum("plannedmeasures__yearly_eur", filter=counted), 0),
        n_overdue=Count("plannedmeasures", filter=_overdue("plannedmeasures__")))


def mean_progress(value: Any) -> int | None:
    """The annotation ``mean_progress`` rounded as ``PlanSummary.progress`` does."""
    return None if value is None else round(float(value))


def city_plan(user: Any, organisation: Any, today: datetime.date | None = None) -> CityTotals:
    """ORGANISATION's PSOI plans that USER may see (none without an organisation), summed up in SQL."""
    visible = ActionPlan.objects.for_user(user, Action.VIEW)
    visible = visible.filter(organisation=organisation) if organisation is not None else visible.none()
    shown = ("pk", "title", "status", "next_review", "created_at", "risk_current", "risk_residual", "site__name")
    city = CityTotals(annotate_plans(visible.select_related("site").only(*shown))
                      .order_by("site__name", "created_at", "pk"))
    for _attempt in range(3):
        fill(visible)
        totals = visible.aggregate(n=Count("pk"), current=Sum("risk_current"), residual=Sum("risk_residual"),
                                   known=Count("risk_residual", filter=Q(risk_current__isnull=False)),
                                   reviews=Count("pk", filter=Q(next_review__isnull=False)))
        if totals["known"] == totals["n"]:
            break  # else a plan changed between filling and summing: fill it too
    city.plan_count, city.reviews_count = totals["n"], totals["reviews"]
    city.current_total, city.residual_total = float(totals["current"] or 0), float(totals["residual"] or 0)
    items = PlannedMeasure.objects.filter(plan__in=visible.values("pk"))
    # One grouped sum per (horizon, start year) gives the totals, both budget tables and the overdue
    # count (an overdue item is never a cancelled one).
    groups = list(items.filter(_counted()).order_by().values("horizon", year=ExtractYear("start")).annotate(
        capital=Sum("capital_eur"), yearly=Sum("yearly_eur"), n=Count("pk"),
        overdue=Count("pk", filter=_overdue(today=today))))
    city.capital_eur, city.yearly_eur = sum(g["capital"] for g in groups), sum(g["yearly"] for g in groups)
    city.overdue_count = sum(g["overdue"] for g in groups)
    late = items.filter(_overdue(today=today)).select_related("plan__site").only(
        "name", "end", "progress", "owner", "plan__site__name")
    city.overdue = [(m.plan, m) for m in late.order_by("end", "created_at")[:SOONEST]] if city.overdue_count else []
    due = visible.filter(next_review__isnull=False).select_related("site").only("pk", "next_review", "site__name")
    city.reviews = list(due.order_by("next_review", "site__name")[:SOONEST]) if city.reviews_count else []
    city.by_horizon = [(h.value, str(h.label), sum(g["capital"] for g in groups if g["horizon"] == h.value),
                        sum(g["yearly"] for g in groups if g["horizon"] == h.value)) for h in Horizon]
    years: dict[int | None, YearRow] = {}
    for g in groups:
        row = years.setdefault(g["year"], YearRow(g["year"]))
        row.capital_eur += g["capital"]
        row.yearly_eur += g["yearly"]
        row.items += g["n"]
    running = 0
    for year in sorted(y for y in years if y is not None):
        running += years[year].yearly_eur  # a year's running cost is that of every item started by then
        city.by_year.append(YearRow(year, years[year].capital_eur, running, years[year].items))
    if None in years:
        city.by_year.append(years[None])
    return city
