"""Writing a case from a finished plan, and editing one's own (never an imported one: 409)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can, get_for_user
from stoa.audit.actor import acting_as
from stoa.cases import services
from stoa.cases.forms import CaseForm
from stoa.cases.models import CaseStudy
from stoa.cases.views import refused
from stoa.plans.models import ActionPlan


@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    plan_id = request.POST.get("plan") or request.GET.get("plan")
    if not plan_id:
        return redirect("cases:list")
    plan = get_for_user(ActionPlan, request.user, Action.VIEW, pk=plan_id)
    if not can(request.user, Action.ADD, plan.organisation_id):
        raise PermissionDenied(_("Only the plan's own organisation writes its case, with a role that may add records."))
    try:
        found = services.prefill(plan)
    except ValueError as exc:
        return render(request, "cases/refused.html", {"reason": str(exc), "plan": plan}, status=409)
    form = CaseForm(request.POST or None, initial=found.initial, threats=found.threats)
    if request.method == "POST" and form.is_valid():
        case = services.create_case(found, form.save(commit=False), list(form.cleaned_data["threats"]), request.user)
        messages.success(request, _("Case saved: %(title)s.") % {"title": case.title})
        return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/form.html", {"form": form, "plan": plan, "found": found,
                                               "heading": _("Write a case study from this plan")},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    case = get_for_user(CaseStudy, request.user, Action.CHANGE, pk=pk)
    if case.is_imported:
        return refused(request, case, _("An imported case is read-only: it is the other city's account."))
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        with acting_as(request.user):
            form.save()
        messages.success(request, _("Saved: %(title)s.") % {"title": case.title})
        return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/form.html", {"form": form, "case": case, "heading": _("Edit the case study")},
                  status=400 if request.method == "POST" else 200)
