"""Plans, costs and residual risk as report tables, shared by the city overview and the action plan.

Budget rule: a measure that is not cancelled counts; its capital cost falls in the year it starts
("no start date" otherwise); its yearly cost is paid every year from the year it starts to the
last year shown (the years from the first start to the last end of the measures, at most ten).
Residual risk: a plan's current and residual score by ``stoa.plans.residual`` (the what-if rule);
for the city, each public space counts once, through its most recent plan.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from stoa.core.charts.bars import bar_chart_svg
from stoa.plans.models import ActionPlan, ItemStatus, PlannedMeasure
from stoa.plans.residual import plan_residual
from stoa.reports.build.common import Redactor, euros

MAX_YEARS = 10


def measure_rows(plan: ActionPlan, redactor: Redactor) -> list[dict[str, Any]]:
    return [{"name": m.name, "owner": redactor.person(m.owner), "start": m.start, "end": m.end,
             "status": m.get_status_display(), "progress": m.progress, "horizon": m.get_horizon_display(),
             "capital": m.capital_eur, "yearly": m.yearly_eur, "overdue": m.is_overdue, "cancelled":
             m.status == ItemStatus.CANCELLED} for m in plan.plannedmeasures.all()]


def plan_block(plan: ActionPlan, redactor: Redactor) -> dict[str, Any]:
    return {"title": redactor.plan_title(plan), "site": redactor.site(plan.site), "status": plan.get_status_display(),
            "owner": redactor.person(plan.owner_name), "next_review": plan.next_review,
            "assessment_date": plan.assessment.date, "measures": measure_rows(plan, redactor)}


def budget(measures: list[PlannedMeasure], title: str) -> dict[str, Any]:
    counted = [m for m in measures if m.status != ItemStatus.CANCELLED]
    starts = [m.start.year for m in counted if m.start]
    ends = [m.end.year for m in counted if m.end]
    years: list[int] = []
    if starts:
        first = min(starts)
        years = list(range(first, min(max(starts + ends), first + MAX_YEARS - 1) + 1))
    capital: dict[int | None, int] = defaultdict(int)
    for m in counted:
        capital[m.start.year if m.start else None] += m.capital_eur
    rows: list[dict[str, Any]] = []
    for year in years:
        running = sum(m.yearly_eur for m in counted if m.start and m.start.year <= year)
        rows.append({"year": str(year), "capital": capital.get(year, 0), "yearly": running,
                     "total": capital.get(year, 0) + running})
    later = sum(v for y, v in capital.items() if y is not None and years and y > years[-1])
    if later:
        rows.append({"year": _("after %(year)s") % {"year": years[-1]}, "capital": later, "yearly": 0, "total": later})
    if capital.get(None):
        rows.append({"year": _("no start date"), "capital": capital[None], "yearly": 0, "total": capital[None]})
    svg = ""
    if rows:
        svg = bar_chart_svg([r["year"] for r in rows], [_("Capital"), _("Yearly costs")],
                            [[r["capital"], r["yearly"]] for r in rows], title=title, fmt=euros)
    return {"rows": rows, "svg": svg, "total_capital": sum(m.capital_eur for m in counted),
            "total_yearly": sum(m.yearly_eur for m in counted)}


def residual_rows(plans: list[ActionPlan], redactor: Redactor) -> list[dict[str, Any]]:
    """One row per plan: the public space, the plan, its current and residual risk score."""
    rows = []
    for plan in plans:
        found = plan_residual(plan)
        rows.append({"site": redactor.site(plan.site), "plan": redactor.plan_title(plan),
                     "current": found.current_total, "residual": found.residual_total,
                     "removed": round(100 * found.removed_share), "without_effect": len(found.without_effect),
                     "outcome": found.outcome})
    return rows


def residual_chart(rows: list[dict[str, Any]], title: str) -> str:
    if not rows:
        return ""
    return bar_chart_svg([r["site"] for r in rows], [_("Current risk"), _("Residual risk")],
                         [[r["current"], r["residual"]] for r in rows], title=title, fmt=lambda v: f"{v:.0f}")
