"""What-if options of one assessment: list and compare, create, see one, edit, remove.

Options are drawn up on any assessment, signed off or not (an option changes nothing in the
assessment). Creating or editing one needs ``change`` on the assessment, seeing one ``view``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import allowed_actions, get_for_user
from stoa.assessments.matrix import matrix_of
from stoa.assessments.models import Assessment
from stoa.assessments.views import nav_context
from stoa.catalogue.entries import catalogue_for
from stoa.catalogue.forms import WhatIfForm
from stoa.catalogue.gaps import present_keys
from stoa.catalogue.models import WhatIfOption
from stoa.catalogue.whatif import evaluate, outcome_heat_rows


def _choices(assessment: Assessment) -> list[tuple[str, str]]:
    """Catalogue measures acting on at least one applicable scenario, by name."""
    threats = [s.threat.ref_id for s in assessment.scenarios.select_related("threat") if not s.not_applicable]
    catalogue = catalogue_for(assessment.organisation)
    return sorted(((e.key, e.name) for e in catalogue if any(e.spec.acts_on(t) for t in threats)),
                  key=lambda choice: choice[1].casefold())


def _form_page(request: HttpRequest, assessment: Assessment, form: WhatIfForm, status: int = 200) -> HttpResponse:
    return render(request, "catalogue/whatif_form.html", {
        "assessment": assessment, "site": assessment.site, "form": form, "option": form.instance,
        "creating": form.instance._state.adding, **nav_context()}, status=status)


def _save(request: HttpRequest, assessment: Assessment, form: WhatIfForm) -> HttpResponse:
    if not form.is_valid():
        return _form_page(request, assessment, form, status=400)
    form.save()
    messages.success(request, _("Saved: %(name)s.") % {"name": form.instance.name})
    return redirect("catalogue:whatif", pk=form.instance.pk)


@require_http_methods(["GET"])
def options_page(request: HttpRequest, pk: Any) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.VIEW, pk=pk)
    options = list(WhatIfOption.objects.for_user(request.user, Action.VIEW).filter(assessment=assessment))
    catalogue = catalogue_for(assessment.organisation)
    scenarios = list(assessment.scenarios.select_related("threat"))
    present = present_keys(assessment, catalogue)
    outcomes = [(option, evaluate(assessment, option.measures, catalogue, scenarios=scenarios, present=present))
                for option in options]
    scenarios = [o.scenario for o in outcomes[0][1].scenarios if o.residual is not None] if outcomes else []
    grid = [{"scenario": s, "cells": [next(x for x in outcome.scenarios if x.scenario.pk == s.pk)
                                      for _option, outcome in outcomes]} for s in scenarios]
    return render(request, "catalogue/whatif_list.html", {
        "assessment": assessment, "site": assessment.site, "outcomes": outcomes, "grid": grid,
        "allowed": allowed_actions(assessment, request.user), **nav_context()})


@require_http_methods(["GET", "POST"])
def option_create(request: HttpRequest, pk: Any) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.CHANGE, pk=pk)
    option = WhatIfOption(assessment=assessment, organisation_id=assessment.organisation_id,
                          created_by=request.user)  # type: ignore[misc]
    initial = {"measures": request.GET.getlist("m"), "name": _("Option %(n)s") % {
        "n": WhatIfOption.objects.filter(assessment=assessment).count() + 1}}
    form = WhatIfForm(request.POST or None, instance=option, initial=initial, choices=_choices(assessment))
    if request.method == "POST":
        return _save(request, assessment, form)
    return _form_page(request, assessment, form)


@require_http_methods(["GET"])
def option_page(request: HttpRequest, pk: Any) -> HttpResponse:
    option = get_for_user(WhatIfOption, request.user, Action.VIEW, pk=pk)
    assessment = option.assessment
    outcome = evaluate(assessment, option.measures)
    frozen = matrix_of(assessment)
    return render(request, "catalogue/whatif.html", {
        "assessment": assessment, "site": assessment.site, "option": option, "outcome": outcome,
        "current_rows": outcome_heat_rows(outcome, "current"), "residual_rows": outcome_heat_rows(outcome, "residual"),
        "consequence_steps": frozen.consequence_steps, "matrix_name": frozen.name,
        "allowed": allowed_actions(option, request.user), **nav_context()})


@require_http_methods(["GET", "POST"])
def option_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    option = get_for_user(WhatIfOption, request.user, Action.CHANGE, pk=pk)
    form = WhatIfForm(request.POST or None, instance=option, choices=_choices(option.assessment))
    if request.method == "POST":
        return _save(request, option.assessment, form)
    return _form_page(request, option.assessment, form)


@require_http_methods(["GET", "POST"])
def option_delete(request: HttpRequest, pk: Any) -> HttpResponse:
    option = get_for_user(WhatIfOption, request.user, Action.DELETE, pk=pk)
    if request.method == "POST":
        option.delete()
        messages.success(request, _("Removed: %(name)s.") % {"name": option.name})
        return redirect("catalogue:whatifs", pk=option.assessment_id)
    return render(request, "catalogue/confirm_delete.html", {
        "object": option, "cancel": reverse("catalogue:whatif", args=[option.pk])})
