"""The city overview for the council (PDF): the PSOI map, the city heat map, the top
vulnerabilities, every plan, the budget and the residual risk, with the city's totals.

The heat map counts the rated scenarios of each public space's latest assessment that has a rated
scenario, placed on the library's default risk matrix by their likelihood and consequence (so the
cells of one matrix hold every space; each cell prints its count and level). The top
vulnerabilities are the rated scenarios with the highest likelihood × consequence, then the highest
consequence.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stoa.assessments.heatmap import heat_rows
from stoa.assessments.matrix import FrozenMatrix, NoRiskMatrix, default_matrix, freeze, matrix_of
from stoa.assessments.models import Assessment, Scenario
from stoa.assessments.report.pdf import html_to_pdf
from stoa.core.mapsvg import MapFeature, render_map
from stoa.plans.models import ActionPlan, PlannedMeasure
from stoa.reports.build import money
from stoa.reports.build.common import Redactor, Step, marking
from stoa.reports.models import ReportJob, Sensitive
from stoa.sites.models import Site

TOP_N = 10


def latest_rated(organisation: Any) -> dict[Any, tuple[Assessment, list[Scenario]]]:
    """Site pk → its latest assessment with at least one rated scenario, and those scenarios."""
    assessments = list(Assessment.objects.filter(organisation=organisation).order_by("site_id", "-date", "-created_at"))
    rated: dict[Any, list[Scenario]] = {}
    for scenario in Scenario.objects.filter(assessment__in=assessments, not_applicable=False,
                                            likelihood__isnull=False, consequence__isnull=False
                                            ).select_related("threat", "assessment__site__category"):
        rated.setdefault(scenario.assessment_id, []).append(scenario)
    latest: dict[Any, tuple[Assessment, list[Scenario]]] = {}
    for assessment in assessments:
        if assessment.pk in rated and assessment.site_id not in latest:
            latest[assessment.site_id] = (assessment, rated[assessment.pk])
    return latest


def psoi_map(sites: list[Site], redactor: Redactor) -> str:
    features = []
    for site in sites:
        label = redactor.site_codes[site.pk]
        if site.boundary:
            features.append(MapFeature(site.boundary, "outline", label))
        elif site.lon is not None and site.lat is not None:
            features.append(MapFeature({"type": "Point", "coordinates": [site.lon, site.lat]}, "access", label))
    return render_map(features, title=_("Map of the public spaces of interest, labelled by code"),
                      svg_id="city-map", width=680, height=460)


def _sites(context: dict[str, Any]) -> None:
    job: ReportJob = context["job"]
    redactor: Redactor = context["redactor"]
    sites = list(Site.objects.filter(organisation=job.organisation).select_related("category").order_by("name"))
    redactor.number_sites(sites)
    context["sites"] = [{"code": redactor.site_codes[s.pk], "name": redactor.site(s),
                         "category": s.category.label() if s.category else "", "priority": s.priority_score,
                         "area": s.area_m2} for s in sites]
    context["map_svg"] = "" if redactor.hides(Sensitive.LOCATIONS) else psoi_map(sites, redactor)


def _heat_map(context: dict[str, Any]) -> None:
    latest = latest_rated(context["job"].organisation)
    context["latest"] = latest
    try:
        frozen = FrozenMatrix(freeze(default_matrix()))
    except NoRiskMatrix:
        frozen = matrix_of(next(iter(latest.values()))[0]) if latest else FrozenMatrix({})
    allowed = {(lv, cv) for lv in frozen.likelihood_values for cv in frozen.consequence_values}
    placed: list[tuple[tuple[int, int], Any]] = [
        ((s.likelihood, s.consequence), s) for _a, scenarios in latest.values() for s in scenarios
        if s.likelihood is not None and s.consequence is not None and (s.likelihood, s.consequence) in allowed]
    context["heat_rows"] = heat_rows(frozen, placed) if frozen.data else []
    context["consequence_steps"] = frozen.consequence_steps
    context["matrix_name"] = frozen.name
    context["heat_count"] = len(placed)


def _top(context: dict[str, Any]) -> None:
    redactor: Redactor = context["redactor"]
    rows = []
    for assessment, scenarios in context["latest"].values():
        frozen = matrix_of(assessment)
        matrix, names = frozen.domain(), frozen.level_names()
        for s in scenarios:
            try:
                level = matrix.cell(s.likelihood, s.consequence)
                level_id, level_name = level.id, names.get(level.id, level.name)
            except ValueError:
                level_id, level_name = "", "—"
            rows.append({"site": redactor.site(assessment.site), "threat": s.threat.label(),
                         "likelihood": s.likelihood, "consequence": s.consequence, "level_id": level_id,
                         "level": level_name, "score": s.likelihood * s.consequence,
                         "narrative": redactor.text(Sensitive.NARRATIVES, s.narrative, _("scenario narrative"))})
    rows.sort(key=lambda r: (-r["score"], -r["consequence"], r["site"], r["threat"]))
    context["top"] = rows[:TOP_N]
    context["top_n"] = TOP_N
    context["scenario_count"] = len(rows)


def _plans(context: dict[str, Any]) -> None:
    plans = list(ActionPlan.objects.filter(organisation=context["job"].organisation)
                 .select_related("site", "site__category", "assessment").prefetch_related("plannedmeasures"))
    context["plan_objects"] = plans
    context["plans"] = [money.plan_block(plan, context["redactor"]) for plan in plans]


def _budget(context: dict[str, Any]) -> None:
    measures: list[PlannedMeasure] = [m for plan in context["plan_objects"] for m in plan.plannedmeasures.all()]
    context["budget"] = money.budget(measures, _("Capital and yearly costs of the city's plans per year, in euros"))


def _residual(context: dict[str, Any]) -> None:
    latest_plan: dict[Any, ActionPlan] = {}
    for plan in sorted(context["plan_objects"], key=lambda p: p.created_at):
        latest_plan[plan.site_id] = plan
    rows = money.residual_rows(sorted(latest_plan.values(), key=lambda p: context["redactor"].site(p.site)),
                               context["redactor"])
    context["residual_rows"] = rows
    context["residual_svg"] = money.residual_chart(
        rows, _("Current and residual risk score per public space (sum of likelihood × consequence)"))
    current, left = sum(r["current"] for r in rows), sum(r["residual"] for r in rows)
    context["city_total"] = {"current": current, "residual": left,
                             "removed": round(100 * (1 - left / current)) if current else 0}


def _render(context: dict[str, Any]) -> None:
    context["content"] = html_to_pdf(render_to_string("reports/pdf/city.html", context))


def start(job: ReportJob) -> dict[str, Any]:
    """The context every step adds to."""
    redactor = Redactor.for_job(job)
    return {"job": job, "redactor": redactor, "organisation": job.organisation, "marking": marking(job),
            "left_out": redactor.left_out(), "generated_at": timezone.localtime(timezone.now())}


STEPS = [
    Step(gettext_lazy("Public spaces and their map"), _sites),
    Step(gettext_lazy("City heat map"), _heat_map),
    Step(gettext_lazy("Top vulnerabilities"), _top),
    Step(gettext_lazy("Action plans"), _plans),
    Step(gettext_lazy("Budget"), _budget),
    Step(gettext_lazy("Residual risk"), _residual),
    Step(gettext_lazy("Drawing the PDF"), _render),
]
