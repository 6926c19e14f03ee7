"""The gap analysis of one assessment (a report: seeing the assessment is enough)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import allowed_actions, get_for_user
from stoa.assessments.matrix import matrix_of
from stoa.assessments.models import Assessment
from stoa.assessments.views import nav_context
from stoa.catalogue.forms import GapForm
from stoa.catalogue.gaps import default_level, gap_analysis
from stoa.core.catalogue.measures import DEFAULT_HORIZON_YEARS

SHOWN = 10  # proposals listed per scenario unless the user asks for more


@require_http_methods(["GET"])
def gaps_page(request: HttpRequest, pk: Any) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.VIEW, pk=pk)
    frozen = matrix_of(assessment)
    names = frozen.level_names()
    levels = [{"id": lv.id, "name": names.get(lv.id, lv.name)} for lv in frozen.domain().levels]
    form = GapForm(request.GET or None, levels=levels,
                   initial={"level": default_level(list(frozen.domain().levels)), "horizon": DEFAULT_HORIZON_YEARS,
                            "shown": SHOWN})
    settings: dict[str, Any] = {"limit": SHOWN}
    if form.is_bound and form.is_valid():
        settings = {"level_id": form.cleaned_data["level"] or None,
                    "only_objectives": form.cleaned_data["only_objectives"],
                    "horizon_years": form.cleaned_data["horizon"] or DEFAULT_HORIZON_YEARS,
                    "limit": form.cleaned_data["shown"] or None}
    report = gap_analysis(assessment, **settings)
    return render(request, "catalogue/gaps.html", {
        "assessment": assessment, "site": assessment.site, "report": report, "form": form,
        "allowed": allowed_actions(assessment, request.user), **nav_context()})
