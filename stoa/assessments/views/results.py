"""The results of an assessment: heat map, radar of exposure, scenario table, ranked vulnerabilities, findings.

The level of each cell, the ranking order and the consistency checks are the pure domain's
(``stoa.core.assessment``); this page only arranges them. The heat map is a plain HTML table (one
row per likelihood, one column per consequence, threat names in the cells), readable by a screen
reader and without colour.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import get_for_user
from stoa.assessments.check_texts import finding_message
from stoa.assessments.exposure import exposure_radar, exposure_rows
from stoa.assessments.heatmap import heat_rows
from stoa.assessments.mapdata import map_context
from stoa.assessments.matrix import matrix_of
from stoa.assessments.models import Assessment
from stoa.assessments.views import nav_context
from stoa.core.assessment.checks import AssessmentSnapshot, ScenarioSnapshot, run_checks
from stoa.core.assessment.ranking import ScenarioRisk, rank


def _measures_per_threat(assessment: Assessment) -> dict[str, int]:
    counts: dict[str, int] = {}
    for measure in assessment.existingmeasures.all():
        for threat in measure.threats or []:
            counts[threat] = counts.get(threat, 0) + 1
    return counts


def results_context(assessment: Assessment) -> dict[str, Any]:
    frozen = matrix_of(assessment)
    matrix = frozen.domain()
    scenarios: list[Any] = list(assessment.scenarios.select_related("threat", "attack_phase"))
    by_pk: dict[Any, Any] = {s.pk: s for s in scenarios}
    names = frozen.level_names()
    for s in scenarios:
        s.level = matrix.cell(s.likelihood, s.consequence) if s.rated and not s.not_applicable else None
        s.level_name = names.get(s.level.id, "") if s.level else ""
    rows = heat_rows(frozen, [((s.likelihood, s.consequence), s) for s in scenarios if s.level])
    ranked = rank([ScenarioRisk(s.threat.ref_id, s.threat.order, s.likelihood, s.consequence, s.not_applicable,
                                key=s.pk) for s in scenarios], matrix)
    snapshot = AssessmentSnapshot(
        scenarios=[ScenarioSnapshot(s.threat.ref_id, s.likelihood, s.consequence, s.overridden,
                                    s.override_justification, s.not_applicable, s.not_applicable_reason)
                   for s in scenarios],
        created=assessment.date, today=datetime.date.today(), measures_per_threat=_measures_per_threat(assessment),
        review_cycle_months=assessment.review_cycle_months, threats=[s.threat.ref_id for s in scenarios],
        consequence_max=max(frozen.consequence_values or [5]))
    threat_names = {s.threat.ref_id: s.threat.label() for s in scenarios}
    findings = [{"id": f.check, "severity": f.severity, "threat": threat_names.get(f.threat or "", ""),
                 "message": finding_message(f)} for f in run_checks(snapshot)]
    exposure = exposure_rows(assessment, scenarios)
    return {
        "assessment": assessment, "site": assessment.site, "scenarios": scenarios, "heat_rows": rows,
        # The SVG is built by pure code that escapes every label (stoa.core.charts.radar).
        "exposure": exposure, "radar": mark_safe(exposure_radar(assessment, exposure)),  # noqa: S308
        "consequence_steps": frozen.consequence_steps, "matrix_name": frozen.name,
        "ranked": [{"position": r.position, "scenario": by_pk[r.scenario.key], "level_name": names.get(r.level.id, "")}
                   for r in ranked],
        "findings": findings,
        **nav_context(),
    }


@require_http_methods(["GET"])
def results_page(request: HttpRequest, pk: Any) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.VIEW, pk=pk)
    context = results_context(assessment)
    context.update(map_context(request, assessment))
    return render(request, "assessments/results.html", context)
