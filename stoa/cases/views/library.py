"""The case library (own and imported cases, filtered by category and threat) and a case's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import allowed_actions, can, get_for_user, org_ids_for
from stoa.cases.filters import CaseFilter
from stoa.cases.models import DISTRIBUTION_MEANING, CaseStudy, Distribution
from stoa.cases.profile import profile_chart
from stoa.plans.models import ActionPlan, PlanStatus


@require_http_methods(["GET"])
def case_list(request: HttpRequest) -> HttpResponse:
    scoped = CaseStudy.objects.for_user(request.user, Action.VIEW).select_related("category").prefetch_related(
        "threats")
    found = CaseFilter(request.GET or None, queryset=scoped)
    for field in found.form.fields.values():
        field.widget.attrs["class"] = "form-select"
    adding = set(org_ids_for(request.user, Action.ADD))
    plans = [p for p in ActionPlan.objects.for_user(request.user, Action.VIEW).filter(status=PlanStatus.FINISHED)
             .select_related("site") if p.organisation_id in adding]
    org: Any = getattr(request, "organisation", None)
    return render(request, "cases/list.html", {
        "filter": found, "cases": found.qs, "plans": plans,
        "can_import": org is not None and can(request.user, Action.ADD, org)})


@require_http_methods(["GET"])
def case_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    case = get_for_user(CaseStudy, request.user, Action.VIEW, pk=pk)
    return render(request, "cases/detail.html", {
        "case": case, "allowed": allowed_actions(case, request.user), "profile": profile_chart(case),
        "threats": list(case.threats.all()), "red": case.distribution == Distribution.RED,
        "meanings": [(Distribution(k).label, v) for k, v in DISTRIBUTION_MEANING.items()]})


@require_http_methods(["GET", "POST"])
def case_delete(request: HttpRequest, pk: Any) -> HttpResponse:
    case = get_for_user(CaseStudy, request.user, Action.DELETE, pk=pk)
    if request.method == "POST":
        from stoa.audit.actor import acting_as

        with acting_as(request.user):
            case.delete()
        messages.success(request, _("Case removed: %(title)s.") % {"title": case.title})
        return redirect("cases:list")
    return render(request, "cases/confirm_delete.html", {"case": case})
