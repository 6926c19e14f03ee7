"""A plan's items: add one by hand, from a what-if option or from an evaluation decision; edit, remove.

Every change to the items is a change of the plan: it needs ``change`` on the plan. A refused
input answers 400 with the form shown again and the reason; nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import get_for_user
from stoa.plans.forms import FromDecisionForm, FromWhatIfForm, MeasureForm
from stoa.plans.models import ItemSource, PlannedMeasure
from stoa.plans.rules import start_warnings
from stoa.plans.services import PlanRefusal, add_from_decision, add_from_whatif, decisions, whatif_options
from stoa.plans.views.plans import load


def _saved(request: HttpRequest, item: PlannedMeasure) -> HttpResponse:
    messages.success(request, _("Saved: %(name)s.") % {"name": item.name})
    for warning in start_warnings(item):
        messages.warning(request, warning)
    return redirect("plans:detail", pk=item.plan_id)


def _item_form(request: HttpRequest, item: PlannedMeasure) -> HttpResponse:
    form = MeasureForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        return _saved(request, form.instance)
    return render(request, "plans/item_form.html", {
        "form": form, "plan": item.plan, "item": item, "creating": item._state.adding},
        status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, pk: Any) -> HttpResponse:
    plan = load(request, pk, Action.CHANGE)
    return _item_form(request, PlannedMeasure(plan=plan, organisation_id=plan.organisation_id,
                                              source=ItemSource.MANUAL))


@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    return _item_form(request, get_for_user(PlannedMeasure, request.user, Action.CHANGE, pk=pk))


@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, pk: Any) -> HttpResponse:
    item = get_for_user(PlannedMeasure, request.user, Action.CHANGE, pk=pk)
    if request.method == "POST":
        with transaction.atomic():
            item.delete()
        messages.success(request, _("Removed: %(name)s.") % {"name": item.name})
        return redirect("plans:detail", pk=item.plan_id)
    return render(request, "plans/confirm_delete.html", {"object": item, "plan": item.plan})


@require_http_methods(["GET", "POST"])
def from_whatif(request: HttpRequest, pk: Any) -> HttpResponse:
    plan = load(request, pk, Action.CHANGE)
    form = FromWhatIfForm(request.POST or None, options=whatif_options(plan, request.user))
    refusal = ""
    if request.method == "POST" and form.is_valid():
        try:
            added = add_from_whatif(plan, form.options[form.cleaned_data["option"]])
        except PlanRefusal as exc:
            refusal = str(exc)
        else:
            messages.success(request, _("Added %(count)s measures: %(names)s.") % {
                "count": len(added.items), "names": ", ".join(m.name for m in added.items)})
            if added.skipped:
                messages.warning(request, _("Already in the plan, so not added again: %(names)s.") % {
                    "names": ", ".join(added.skipped)})
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/from_source.html", {
        "plan": plan, "form": form, "refusal": refusal, "kind": "whatif", "has_choices": bool(form.options)},
        status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def from_decision(request: HttpRequest, pk: Any) -> HttpResponse:
    plan = load(request, pk, Action.CHANGE)
    form = FromDecisionForm(request.POST or None, decisions=decisions(plan, request.user))
    refusal = ""
    if request.method == "POST" and form.is_valid():
        try:
            item = add_from_decision(plan, form.decisions[form.cleaned_data["decision"]])
        except PlanRefusal as exc:
            refusal = str(exc)
        else:
            messages.success(request, _("Added: %(name)s.") % {"name": item.name})
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/from_source.html", {
        "plan": plan, "form": form, "refusal": refusal, "kind": "decision",
        "has_choices": bool(form.decisions)},
        status=400 if request.method == "POST" else 200)
