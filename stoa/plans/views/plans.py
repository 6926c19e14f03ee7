"""Action plans: the city-wide overview, start a plan for a public space, one plan, settings, review, remove.

Seeing a plan needs ``view`` on it (it follows its public space, like the assessment); starting one
needs ``change`` on the public space, changing one ``change``, removing one ``delete``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import allowed_actions, can, get_for_user
from stoa.assessments.matrix import matrix_of
from stoa.catalogue.whatif import outcome_heat_rows
from stoa.plans.city import SOONEST, city_plan, mean_progress, summarise
from stoa.plans.forms import PlanForm
from stoa.plans.models import ActionPlan, PlannedMeasure
from stoa.plans.rules import start_warnings
from stoa.plans.services import record_review
from stoa.plans.timeline import timeline
from stoa.sites.models import Site
from stoa.web.paging import paginate


def load(request: HttpRequest, pk: Any, action: str = Action.VIEW) -> ActionPlan:
    return get_for_user(ActionPlan, request.user, action, pk=pk)


@require_http_methods(["GET"])
def overview(request: HttpRequest) -> HttpResponse:
    city = city_plan(request.user, getattr(request, "organisation", None))
    paged = paginate(request, city.plans)
    shown = paged.items
    for plan in shown:
        plan.progress = mean_progress(plan.mean_progress)  # type: ignore[attr-defined]
    # The timeline of a thousand plans is unreadable and heavy: it follows the page of the table.
    items = PlannedMeasure.objects.filter(plan__in=[p.pk for p in shown]).only(
        "pk", "plan_id", "name", "start", "end", "progress", "status")
    depends: dict[Any, list[Any]] = {}
    for item_id, needed in PlannedMeasure.depends_on.through.objects.filter(
            from_plannedmeasure__plan__in=[p.pk for p in shown]).order_by(
            "to_plannedmeasure__start", "to_plannedmeasure__created_at").values_list(
            "from_plannedmeasure_id", "to_plannedmeasure_id"):
        depends.setdefault(item_id, []).append(needed)
    by_pk, order = {p.pk: p for p in shown}, {p.pk: n for n, p in enumerate(shown)}
    pairs = sorted(((by_pk[m.plan_id], m) for m in items), key=lambda pm: order[pm[0].pk])
    return render(request, "plans/overview.html", {
        "city": city, "plans": shown, **paged.context(),
        "timeline": timeline(pairs, _("Timeline of the measures of the plans on this page"), grouped=True,
                             depends=depends),
        "soonest": SOONEST, "may_add": can(request.user, Action.CHANGE, getattr(request, "organisation", None))})


@require_http_methods(["GET"])
def plan_page(request: HttpRequest, pk: Any) -> HttpResponse:
    plan = load(request, pk)
    summary = summarise([plan]).plans[0]
    outcome = summary.residual.outcome
    frozen = matrix_of(plan.assessment)
    return render(request, "plans/detail.html", {
        "plan": plan, "site": plan.site, "summary": summary, "outcome": outcome,
        "timeline": timeline([(plan, m) for m in summary.items], _("Timeline of the plan's measures")),
        "warnings": [w for m in summary.items for w in start_warnings(m)],
        "current_rows": outcome_heat_rows(outcome, "current"), "residual_rows": outcome_heat_rows(outcome, "residual"),
        "consequence_steps": frozen.consequence_steps, "matrix_name": frozen.name,
        "allowed": allowed_actions(plan, request.user)})


def _form_page(request: HttpRequest, form: PlanForm, status: int = 200, **extra: Any) -> HttpResponse:
    return render(request, "plans/form.html", {"form": form, **extra}, status=status)


@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    site_id = request.POST.get("site") or request.GET.get("site")
    site = get_for_user(Site, request.user, Action.CHANGE, pk=site_id) if site_id else None
    if site is None and not can(request.user, Action.CHANGE, getattr(request, "organisation", None)):
        raise PermissionDenied(_("Your role does not allow starting an action plan."))
    plan = ActionPlan(created_by=request.user)  # type: ignore[misc]
    initial = {"site": site, "title": _("Action plan for %(site)s") % {"site": site.name}} if site else {}
    form = PlanForm(request.POST or None, instance=plan, initial=initial, user=request.user, site=site)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                form.save()
            messages.success(request, _("Plan started: %(title)s.") % {"title": form.instance.title})
            return redirect("plans:detail", pk=form.instance.pk)
        return _form_page(request, form, 400, site=site, creating=True)
    return _form_page(request, form, site=site, creating=True)


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    plan = load(request, pk, Action.CHANGE)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                form.save()
            messages.success(request, _("Plan saved."))
            return redirect("plans:detail", pk=plan.pk)
        return _form_page(request, form, 400, plan=plan, site=plan.site)
    return _form_page(request, form, plan=plan, site=plan.site)


@require_http_methods(["POST"])
def plan_review(request: HttpRequest, pk: Any) -> HttpResponse:
    plan = load(request, pk, Action.CHANGE)
    with transaction.atomic():
        record_review(plan)
    messages.success(request, _("Review recorded. Next review: %(date)s.") % {"date": plan.next_review})
    return redirect("plans:detail", pk=plan.pk)


@require_http_methods(["GET", "POST"])
def plan_delete(request: HttpRequest, pk: Any) -> HttpResponse:
    plan = load(request, pk, Action.DELETE)
    if request.method == "POST":
        with transaction.atomic():
            plan.delete()
        messages.success(request, _("Removed: %(title)s.") % {"title": plan.title})
        return redirect("plans:overview")
    return render(request, "plans/confirm_delete.html", {"object": plan, "plan": plan})
