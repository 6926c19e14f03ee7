"""The city view: every public space the user may see × the ten threat types, as a heat map.

Each row is one public space and its **latest assessment** (by assessment date, then creation
time) among those the user may see; ``?signed_off=1`` keeps only signed-off assessments, the
record the city acts on. Each cell names the risk level on that assessment's own frozen matrix,
coloured like the assessment's heat map, with the level's name printed so colour is never the only
cue; a threat type not applicable or not rated yet says so, and a space never assessed says so.

A city has thousands of spaces, so the rows come a page at a time; the city-wide figures (how many
spaces, how many assessed, how many at each risk level per threat type) are counted in SQL over all
of them, and only the shown page's assessments and scenarios are loaded.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.assessments import matrix_copies
from stoa.assessments.exposure import short_label
from stoa.assessments.matrix import matrix_of
from stoa.assessments.models import Assessment, Scenario, Status
from stoa.library.cached import in_order
from stoa.library.models import ReferenceObject
from stoa.sites.models import Site
from stoa.web.paging import paginate


def threat_types() -> list[ReferenceObject]:
    """The threat types in reference order, one per ref_id."""
    seen: dict[str, ReferenceObject] = {}
    for threat in in_order("threat_type"):
        seen.setdefault(threat.ref_id, threat)
    return list(seen.values())


def visible_assessments(user: Any, *, signed_off_only: bool = False) -> QuerySet[Assessment]:
    """The assessments USER may see that count for the heat map."""
    assessments = Assessment.objects.for_user(user, Action.VIEW)
    return assessments.filter(status=Status.SIGNED_OFF) if signed_off_only else assessments


def latest_pk(assessments: QuerySet[Assessment]) -> Subquery:
    """The pk of the latest of ASSESSMENTS of the outer query's site (None when it has none)."""
    return Subquery(assessments.filter(site_id=OuterRef("pk")).order_by("-date", "-created_at", "-pk")
                    .values("pk")[:1])


class Matrices:
    """The frozen matrices of some assessments, each distinct copy read and parsed once
    (``stoa.assessments.matrix_copies``): a page of fifty assessments reads one copy."""

    def __init__(self, assessments: QuerySet[Assessment]) -> None:
        self.assessments = list(matrix_copies.without_copies(assessments))
        matrix_copies.share_copies(self.assessments)
        self._parsed: dict[str, tuple[Any, dict[str, str]] | None] = {}
        for assessment in self.assessments:
            key = assessment.matrix_key  # type: ignore[attr-defined]
            if key in self._parsed:
                continue
            frozen = matrix_of(assessment)  # parsed once per process for each fingerprint
            try:
                self._parsed[key] = (frozen.domain(), frozen.level_names())
            except ValueError:  # a copy that is no matrix: its cells are shown as unrated
                self._parsed[key] = None

    def of(self, assessment: Assessment) -> tuple[Any, dict[str, str]] | None:
        """The domain matrix and level names of ASSESSMENT (one of those loaded)."""
        return self._parsed.get(assessment.matrix_key)  # type: ignore[attr-defined]


def _level(parsed: tuple[Any, dict[str, str]] | None, likelihood: int, consequence: int) -> Any:
    if parsed is None:
        return None
    try:
        return parsed[0].cell(likelihood, consequence)
    except ValueError:  # a rating off its matrix: shown as unrated rather than failing the page
        return None


def _cells(parsed: tuple[Any, dict[str, str]] | None, scenarios: dict[str, tuple[Any, Any, bool]],
           threats: list[ReferenceObject]) -> list[dict[str, Any]]:
    """The row's cells; SCENARIOS maps a threat type's ref_id to (likelihood, consequence, not applicable).

    The texts are translated here, once per page, rather than by a tag in each of the page's cells."""
    not_applicable_text, unrated_text = _("n/a"), _("not rated")
    cells = []
    for threat in threats:
        likelihood, consequence, not_applicable = scenarios.get(threat.ref_id, (None, None, False))
        cell: dict[str, Any] = {"threat": threat, "state": "unrated", "level_id": "", "text": unrated_text}
        if not_applicable:
            cell.update(state="not_applicable", text=not_applicable_text)
        elif likelihood is not None and consequence is not None:
            level = _level(parsed, likelihood, consequence)
            if parsed is not None and level is not None:
                cell.update(state="rated", level_id=level.id, text=parsed[1].get(level.id, level.name),
                            likelihood=likelihood, consequence=consequence,
                            title=_("likelihood %(l)s, consequence %(c)s") % {"l": likelihood, "c": consequence})
        cells.append(cell)
    return cells


def page_rows(user: Any, sites: list[Site], threats: list[ReferenceObject], *,
              signed_off_only: bool = False) -> list[dict[str, Any]]:
    """One row per site of SITES (a page of them): its latest assessment USER may see and its cells."""
    visible = visible_assessments(user, signed_off_only=signed_off_only)
    latest = Site.objects.filter(pk__in=[s.pk for s in sites]).annotate(latest=latest_pk(visible)).values("latest")
    matrices = Matrices(Assessment.objects.filter(pk__in=latest))
    by_site = {a.site_id: a for a in matrices.assessments}
    scenarios: dict[Any, dict[str, tuple[Any, Any, bool]]] = {}
    for assessment_id, threat, likelihood, consequence, not_applicable in Scenario.objects.for_user(
            user, Action.VIEW).filter(assessment_id__in=[a.pk for a in matrices.assessments]).values_list(
            "assessment_id", "threat__ref_id", "likelihood", "consequence", "not_applicable").order_by():
        scenarios.setdefault(assessment_id, {})[threat] = (likelihood, consequence, not_applicable)
    rows = []
    for site in sites:
        assessment = by_site.get(site.pk)
        rows.append({"site": site, "assessment": assessment,
                     "cells": _cells(matrices.of(assessment), scenarios.get(assessment.pk, {}), threats)
                     if assessment else []})
    return rows


def assessed_count(user: Any, sites: QuerySet[Site], *, signed_off_only: bool = False) -> int:
    """How many of SITES have an assessment USER may see (signed off, with SIGNED_OFF_ONLY)."""
    visible = visible_assessments(user, signed_off_only=signed_off_only)
    return sites.filter(Exists(visible.filter(site_id=OuterRef("pk")))).count()


@require_http_methods(["GET"])
def city_page(request: HttpRequest) -> HttpResponse:
    signed_off_only = request.GET.get("signed_off") == "1"
    threats = threat_types()
    sites = Site.objects.for_user(request.user, Action.VIEW)
    paged = paginate(request, sites.select_related("category").only("pk", "name", "category").order_by("name", "pk"))
    rows = page_rows(request.user, paged.items, threats, signed_off_only=signed_off_only)
    return render(request, "assessments/city.html", {
        "threats": [{"object": t, "short": short_label(t)} for t in threats], "rows": rows,
        "signed_off_only": signed_off_only, "total": paged.page.paginator.count,
        "assessed": assessed_count(request.user, sites, signed_off_only=signed_off_only), **paged.context()})
