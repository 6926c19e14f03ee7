"""Evaluations: list, start one for a vulnerability, settings, criteria and their knock-outs, remove.

Starting or changing one needs ``change`` on its assessment; seeing one ``view``. The criteria are
copied from the chosen source when the evaluation starts.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import get_for_user
from stoa.assessments.models import Assessment
from stoa.assessments.picker import pick_assessments
from stoa.evaluation.criteria import criteria_problems
from stoa.evaluation.forms import EvaluationForm
from stoa.evaluation.models import Evaluation
from stoa.evaluation.sources import criteria_source, criteria_sources
from stoa.evaluation.views.common import context, frozen_response, load
from stoa.web.paging import paginate


@require_http_methods(["GET"])
def evaluation_list(request: HttpRequest) -> HttpResponse:
    evaluations = (Evaluation.objects.for_user(request.user, Action.VIEW)
                   .select_related("assessment__site", "scenario__threat").order_by("-created_at", "pk"))
    paged = paginate(request, evaluations)
    picker = pick_assessments(request, Assessment.objects.for_user(request.user, Action.CHANGE))
    return render(request, "evaluation/list.html", {"evaluations": paged.items, "picker": picker, **paged.context()})


@require_http_methods(["GET", "POST"])
def evaluation_create(request: HttpRequest) -> HttpResponse:
    assessment_id = request.POST.get("assessment") or request.GET.get("assessment")
    if not assessment_id:
        return redirect("evaluation:list")
    assessment = get_for_user(Assessment, request.user, Action.CHANGE, pk=assessment_id)
    sources = criteria_sources(assessment.organisation)
    evaluation = Evaluation(assessment=assessment, organisation_id=assessment.organisation_id,
                            created_by=request.user)  # type: ignore[misc]
    initial: dict[str, Any] = {"title": _("Solutions for %(site)s") % {"site": assessment.site.name},
                               "criteria_source": sources[0].key if sources else ""}
    if request.GET.get("scenario"):
        initial["scenario"] = request.GET["scenario"]
    source = criteria_source(assessment.organisation, request.POST.get("criteria_source", ""))
    if source is not None:  # copied in before validation, so the evaluation is checked whole
        evaluation.criteria, evaluation.criteria_source = copy.deepcopy(source.data), source.key
    form = EvaluationForm(request.POST or None, instance=evaluation, initial=initial, sources=sources)
    if request.method == "POST" and form.is_valid() and source is not None:
        form.save()
        messages.success(request, _("Evaluation started with the criteria “%(set)s”.") % {"set": source.label})
        return redirect("evaluation:criteria", pk=form.instance.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "evaluation/form.html", {"form": form, "assessment": assessment, "site": assessment.site,
                                                    "creating": True}, status=status)


@require_http_methods(["GET", "POST"])
def evaluation_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    evaluation = load(request, pk, Action.CHANGE)
    if evaluation.is_frozen:
        return frozen_response(request, evaluation)
    form = EvaluationForm(request.POST or None, instance=evaluation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Settings saved."))
        return redirect("evaluation:detail", pk=evaluation.pk)
    return render(request, "evaluation/form.html", {"form": form, **context(request, evaluation, "settings")},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def evaluation_delete(request: HttpRequest, pk: Any) -> HttpResponse:
    evaluation = load(request, pk, Action.DELETE)
    if evaluation.is_frozen:
        return frozen_response(request, evaluation)
    if request.method == "POST":
        title = evaluation.title
        with transaction.atomic():
            evaluation.delete()
        messages.success(request, _("Removed: %(title)s.") % {"title": title})
        return redirect("evaluation:list")
    return render(request, "evaluation/confirm_delete.html", context(request, evaluation))


def _number(text: str, label: str, errors: list[str]) -> float | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        errors.append(_("%(criterion)s: the knock-out threshold must be a number.") % {"criterion": label})
        return None


@require_http_methods(["GET", "POST"])
def criteria_page(request: HttpRequest, pk: Any) -> HttpResponse:
    """The criteria tree with anchors; knock-out thresholds can be set until the evaluation is frozen."""
    evaluation = load(request, pk)
    errors: list[str] = []
    if request.method == "POST":
        evaluation = load(request, pk, Action.CHANGE)
        if evaluation.is_frozen:
            return frozen_response(request, evaluation)
        data = copy.deepcopy(evaluation.criteria)
        for group in data.get("groups") or []:
            for item in group.get("criteria") or []:
                low = _number(request.POST.get(f"min_{item['id']}", ""), item["id"], errors)
                high = _number(request.POST.get(f"max_{item['id']}", ""), item["id"], errors)
                knockout = {k: v for k, v in (("min", low), ("max", high)) if v is not None}
                if knockout:
                    item["knockout"] = knockout
                else:
                    item.pop("knockout", None)
        errors = errors or criteria_problems(data)
        if not errors:
            evaluation.criteria = data
            evaluation.save(update_fields=["criteria", "updated_at"])
            messages.success(request, _("Knock-out thresholds saved."))
            return redirect("evaluation:criteria", pk=evaluation.pk)
    return render(request, "evaluation/criteria.html", {"errors": errors, "tree": evaluation.tree,
                                                        **context(request, evaluation, "criteria")},
                  status=400 if errors else 200)
