"""The city view: every public space the user may see × the ten threat types, as a heat map.

Each row is one public space and its **latest assessment** (by assessment date, then creation
time) among those the user may see; ``?signed_off=1`` keeps only signed-off assessments, the
record the city acts on. Each cell names the risk level on that assessment's own frozen matrix,
coloured like the assessment's heat map, with the level's name printed so colour is never the only
cue; a threat type not applicable or not rated yet says so, and a space never assessed says so.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.assessments.exposure import short_label
from stoa.assessments.matrix import matrix_of
from stoa.assessments.models import Assessment, Scenario, Status
from stoa.library.models import ReferenceObject
from stoa.sites.models import Site


def threat_types() -> list[ReferenceObject]:
    """The threat types in reference order, one per ref_id."""
    seen: dict[str, ReferenceObject] = {}
    for threat in ReferenceObject.objects.filter(kind="threat_type").order_by("order", "ref_id"):
        seen.setdefault(threat.ref_id, threat)
    return list(seen.values())


def latest_assessments(user: Any, *, signed_off_only: bool = False) -> dict[Any, Assessment]:
    """Site pk → the latest assessment of it USER may see."""
    assessments = Assessment.objects.for_user(user, Action.VIEW).order_by("site_id", "-date", "-created_at")
    if signed_off_only:
        assessments = assessments.filter(status=Status.SIGNED_OFF)
    latest: dict[Any, Assessment] = {}
    for assessment in assessments:
        latest.setdefault(assessment.site_id, assessment)
    return latest


def _cells(assessment: Assessment, scenarios: list[Scenario], threats: list[ReferenceObject]) -> list[dict[str, Any]]:
    frozen = matrix_of(assessment)
    matrix, names = frozen.domain(), frozen.level_names()
    by_threat = {s.threat.ref_id: s for s in scenarios}
    cells = []
    for threat in threats:
        scenario = by_threat.get(threat.ref_id)
        cell: dict[str, Any] = {"threat": threat, "state": "unrated", "level_id": "", "text": ""}
        if scenario is not None and scenario.not_applicable:
            cell["state"] = "not_applicable"
        elif scenario is not None and scenario.rated:
            try:
                level = matrix.cell(scenario.likelihood, scenario.consequence)
            except ValueError:  # a rating off its matrix: shown as unrated rather than failing the page
                level = None
            if level is not None:
                cell.update(state="rated", level_id=level.id, text=names.get(level.id, level.name),
                            likelihood=scenario.likelihood, consequence=scenario.consequence)
        cells.append(cell)
    return cells


def city_rows(user: Any, *, signed_off_only: bool = False) -> tuple[list[ReferenceObject], list[dict[str, Any]]]:
    """The threat types (columns) and one row per site USER may see, by name."""
    threats = threat_types()
    latest = latest_assessments(user, signed_off_only=signed_off_only)
    scenarios: dict[Any, list[Scenario]] = {}
    for scenario in Scenario.objects.for_user(user, Action.VIEW).filter(
            assessment_id__in=[a.pk for a in latest.values()]).select_related("threat"):
        scenarios.setdefault(scenario.assessment_id, []).append(scenario)
    rows = []
    for site in Site.objects.for_user(user, Action.VIEW).select_related("category", "organisation").order_by("name"):
        assessment = latest.get(site.pk)
        rows.append({"site": site, "assessment": assessment,
                     "cells": _cells(assessment, scenarios.get(assessment.pk, []), threats) if assessment else []})
    return threats, rows


@require_http_methods(["GET"])
def city_page(request: HttpRequest) -> HttpResponse:
    signed_off_only = request.GET.get("signed_off") == "1"
    threats, rows = city_rows(request.user, signed_off_only=signed_off_only)
    return render(request, "assessments/city.html", {
        "threats": [{"object": t, "short": short_label(t)} for t in threats], "rows": rows,
        "signed_off_only": signed_off_only, "assessed": sum(1 for r in rows if r["assessment"])})
