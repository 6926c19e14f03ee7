"""The budget optimisation pages: run one for a budget, read a run, add its choice to the plans."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can, get_for_user
from stoa.core.charts.pareto import pareto_svg
from stoa.plans.forms_optimiser import OptimiseForm
from stoa.plans.from_optimiser import add_to_plans
from stoa.plans.models import OptimisationRun
from stoa.plans.optimiser import OptimisationError, run_optimisation


def optimise(request: HttpRequest) -> HttpResponse:
    organisation = getattr(request, "organisation", None)
    may_run = organisation is not None and can(request.user, Action.ADD, organisation)
    form = OptimiseForm(organisation=organisation) if may_run else None
    status = 200
    if request.method == "POST":
        if not may_run or organisation is None:
            raise PermissionDenied(_("Your role does not allow this."))
        form = OptimiseForm(request.POST, organisation=organisation)
        if form.is_valid():
            data = form.cleaned_data
            sites = {str(s.pk) for s in data["sites"]} or None
            try:
                run = run_optimisation(organisation, name=data["name"], budget_eur=data["budget_eur"],
                                       yearly_budget_eur=data["yearly_budget_eur"], mode=data["mode"],
                                       site_ids=sites, user=request.user)
            except OptimisationError as exc:
                form.add_error(None, _("The optimisation could not run: %(problem)s") % {"problem": exc})
            else:
                return redirect("plans:optimisation", pk=run.pk)
        status = 400
    runs = OptimisationRun.objects.for_user(request.user, Action.VIEW).defer("inputs")[:20]
    return render(request, "plans/optimise.html", {"form": form, "runs": runs}, status=status)


def optimisation(request: HttpRequest, pk: Any) -> HttpResponse:
    run = get_for_user(OptimisationRun, request.user, Action.VIEW, pk=pk)
    result = run.result
    best, simple = result["optimal"], result["greedy"]
    chart = pareto_svg(
        [(p["budget"], p["risk_after"]) for p in result["pareto"]],
        title=_("Risk left for each capital budget"), x_label=_("Capital budget"), y_label=_("Risk left (Σ L × C)"),
        chosen=(run.budget_eur, best["risk_after"]), chosen_label=_("optimal at this budget"),
        greedy=(simple["capital_eur"], simple["risk_after"]), greedy_label=_("greedy choice"))
    gap = (100 * (best["risk_removed"] - simple["risk_removed"]) / best["risk_removed"]
           if best["risk_removed"] else 0.0)
    options = sorted(result["options"], key=lambda o: (not o["chosen"], o["site"], o["label"]))
    return render(request, "plans/optimisation.html", {
        "run": run, "best": best, "greedy": simple, "chart": mark_safe(chart),  # noqa: S308 (built and escaped by pareto_svg)
        "greedy_gap": gap, "options": options, "pareto": result["pareto"],
        "may_plan": can(request.user, Action.ADD, run.organisation_id),
    })


@require_POST
def optimisation_to_plans(request: HttpRequest, pk: Any) -> HttpResponse:
    run = get_for_user(OptimisationRun, request.user, Action.ADD, pk=pk)
    added = add_to_plans(run, request.user)
    messages.success(request, _("%(n)s measures were added to the action plans.") % {"n": len(added)}
                     if added else _("Every chosen measure was already in the plans."))
    return redirect("plans:optimisation", pk=run.pk)
