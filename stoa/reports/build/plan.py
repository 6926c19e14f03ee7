"""The action plan of one public space (PDF): its measures, a timeline, its costs and the residual
risk it leaves per scenario, by the rules of ``money``."""

from __future__ import annotations

import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stoa.assessments.report.pdf import html_to_pdf
from stoa.plans.models import ActionPlan
from stoa.reports.build import money
from stoa.reports.build.city import start as city_start
from stoa.reports.build.common import ReportError, Step
from stoa.reports.models import ReportJob, Sensitive
from stoa.sites.models import Site

start = city_start


def _plan(context: dict[str, Any]) -> None:
    job: ReportJob = context["job"]
    plan = None
    if job.plan_id is not None:
        plan = (ActionPlan.objects.filter(pk=job.plan_id, organisation=job.organisation)
                .select_related("site", "site__category", "assessment").prefetch_related("plannedmeasures").first())
    if plan is None:
        raise ReportError(_("The action plan of this report no longer exists (it was deleted after the report "
                            "was asked for). Start a new report from an existing plan."))
    redactor = context["redactor"]
    redactor.number_sites(list(Site.objects.filter(organisation=job.organisation).order_by("name")))
    context["plan_object"] = plan
    context["plan"] = money.plan_block(plan, redactor)


def timeline(measures: list[dict[str, Any]]) -> dict[str, Any]:
    """Years as columns; each measure's row marks the years it runs (start to end, or its start)."""
    dated = [m for m in measures if m["start"] or m["end"]]
    if not dated:
        return {"years": [], "rows": []}
    first = min((m["start"] or m["end"]).year for m in dated)
    last = max((m["end"] or m["start"]).year for m in dated)
    years = list(range(first, min(last, first + money.MAX_YEARS - 1) + 1))
    rows = []
    for m in measures:
        begin, end = m["start"] or m["end"], m["end"] or m["start"]
        cells = [bool(begin and end and begin.year <= y <= end.year) for y in years]
        rows.append({"measure": m, "cells": cells})
    return {"years": years, "rows": rows, "today": datetime.date.today()}


def _timeline(context: dict[str, Any]) -> None:
    context["timeline"] = timeline(context["plan"]["measures"])


def _budget(context: dict[str, Any]) -> None:
    context["budget"] = money.budget(list(context["plan_object"].plannedmeasures.all()),
                                     _("Capital and yearly costs of the plan per year, in euros"))


def _residual(context: dict[str, Any]) -> None:
    redactor = context["redactor"]
    row = money.residual_rows([context["plan_object"]], redactor)[0]
    context["residual"] = row
    context["scenario_rows"] = [{
        "threat": s.scenario.threat.label(),
        "narrative": redactor.text(Sensitive.NARRATIVES, s.scenario.narrative, _("scenario narrative")),
        "current": s.current_name, "residual": s.residual_name,
        "current_score": s.current_score, "residual_score": s.residual.score if s.residual else None,
        "measures": [e.name for e in s.measures]} for s in row["outcome"].scenarios if s.residual is not None]
    context["residual_svg"] = money.residual_chart(
        [{"site": r["threat"], "current": r["current_score"], "residual": r["residual_score"]}
         for r in context["scenario_rows"]],
        _("Current and residual risk score per scenario (likelihood × consequence)"))


def _render(context: dict[str, Any]) -> None:
    context["content"] = html_to_pdf(render_to_string("reports/pdf/plan.html", context))


STEPS = [
    Step(gettext_lazy("The plan and its measures"), _plan),
    Step(gettext_lazy("Timeline"), _timeline),
    Step(gettext_lazy("Costs"), _budget),
    Step(gettext_lazy("Residual risk"), _residual),
    Step(gettext_lazy("Drawing the PDF"), _render),
]
