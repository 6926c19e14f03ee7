"""Road-map step 3: objectives about chosen vulnerabilities, and the requirements that serve them.

Objectives and requirements are part of the assessment's content: adding, changing or removing
one needs ``change`` on it, and the models refuse it once the assessment is submitted (the freeze
rule, answered with 409 by ``stoa.assessments.middleware``); the page then shows no forms.
Each form posts on its own, so a mistake in one never loses what was typed in another.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import allowed_actions, get_for_user
from stoa.assessments.locking import AssessmentLocked
from stoa.assessments.matrix import matrix_of
from stoa.assessments.models import Assessment, Objective, Requirement
from stoa.assessments.objective_forms import ObjectiveForm, RequirementForm
from stoa.assessments.views import nav_context
from stoa.library.models import ReferenceObject


def level_names(assessment: Assessment) -> dict[Any, str]:
    """Scenario pk → the name of its risk level, for the rated, applicable scenarios."""
    frozen = matrix_of(assessment)
    matrix, names = frozen.domain(), frozen.level_names()
    result = {}
    for s in assessment.scenarios.all():
        if s.rated and not s.not_applicable:
            try:
                level = matrix.cell(s.likelihood, s.consequence)
            except ValueError:
                continue
            result[s.pk] = names.get(level.id, level.name)
    return result


def _editable(assessment: Assessment, allowed: set[str]) -> bool:
    return Action.CHANGE in allowed and assessment.is_editable


def _page(request: HttpRequest, assessment: Assessment, *, objective_form: ObjectiveForm | None = None,
          failed_requirement: tuple[Any, RequirementForm] | None = None, status: int = 200) -> HttpResponse:
    allowed = allowed_actions(assessment, request.user)
    editable = _editable(assessment, allowed)
    levels = level_names(assessment)
    threat_names = dict(ReferenceObject.objects.filter(kind="threat_type").values_list("ref_id", "name"))
    objectives = list(assessment.objectives.prefetch_related("scenarios__threat", "requirements"))
    for objective in objectives:
        objective.chosen = [{"threat": s.threat, "level": levels.get(s.pk, "")} for s in objective.scenarios.all()]
        for requirement in objective.requirements.all():
            requirement.threat_names = [threat_names.get(t, t) for t in requirement.threats]
        if editable:
            objective.requirement_form = (failed_requirement[1] if failed_requirement
                                          and failed_requirement[0] == objective.pk
                                          else RequirementForm(prefix=f"r-{objective.pk}"))
    if editable and objective_form is None:
        objective_form = ObjectiveForm(assessment=assessment, level_names=levels, prefix="new")
    return render(request, "assessments/objectives.html", {
        "assessment": assessment, "site": assessment.site, "allowed": allowed, "editable": editable,
        "objectives": objectives, "objective_form": objective_form if editable else None, **nav_context()},
        status=status)


@require_http_methods(["GET"])
def objectives_page(request: HttpRequest, pk: Any) -> HttpResponse:
    return _page(request, get_for_user(Assessment, request.user, Action.VIEW, pk=pk))


@require_http_methods(["POST"])
def objective_add(request: HttpRequest, pk: Any) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.CHANGE, pk=pk)
    form = ObjectiveForm(request.POST, prefix="new", assessment=assessment, level_names=level_names(assessment),
                         instance=Objective(assessment=assessment, organisation_id=assessment.organisation_id))
    if not form.is_valid():
        return _page(request, assessment, objective_form=form, status=400)
    with transaction.atomic():
        form.save()
    messages.success(request, _("Objective recorded: %(title)s.") % {"title": form.instance.title})
    return redirect(f"{reverse('assessments:objectives', args=[assessment.pk])}#o-{form.instance.pk}")


def _check_editable(assessment: Assessment) -> None:
    """An edit form of a locked assessment is not shown at all: 409 says why."""
    if not assessment.is_editable:
        raise AssessmentLocked(status=assessment.status, assessment_id=assessment.pk)


def _edit_page(request: HttpRequest, assessment: Assessment, form: Any, heading: str, status: int) -> HttpResponse:
    return render(request, "assessments/objective_edit.html", {
        "assessment": assessment, "site": assessment.site, "form": form, "heading": heading, **nav_context()},
        status=status)


@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    objective = get_for_user(Objective, request.user, Action.CHANGE, pk=pk)
    assessment = objective.assessment
    _check_editable(assessment)
    form = ObjectiveForm(request.POST if request.method == "POST" else None, instance=objective,
                         assessment=assessment, level_names=level_names(assessment))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Objective saved: %(title)s.") % {"title": objective.title})
        return redirect(f"{reverse('assessments:objectives', args=[assessment.pk])}#o-{objective.pk}")
    return _edit_page(request, assessment, form, _("Change the objective"), 400 if form.errors else 200)


@require_http_methods(["POST"])
def objective_remove(request: HttpRequest, pk: Any) -> HttpResponse:
    objective = get_for_user(Objective, request.user, Action.CHANGE, pk=pk)  # editing the assessment
    with transaction.atomic():
        objective.delete()
    messages.success(request, _("Objective removed, with its requirements: %(title)s.") % {"title": objective.title})
    return redirect("assessments:objectives", pk=objective.assessment_id)


@require_http_methods(["POST"])
def requirement_add(request: HttpRequest, pk: Any) -> HttpResponse:
    objective = get_for_user(Objective, request.user, Action.CHANGE, pk=pk)
    form = RequirementForm(request.POST, prefix=f"r-{objective.pk}", instance=Requirement(
        assessment_id=objective.assessment_id, objective=objective, organisation_id=objective.organisation_id))
    if not form.is_valid():
        return _page(request, objective.assessment, failed_requirement=(objective.pk, form), status=400)
    with transaction.atomic():
        form.save()
    messages.success(request, _("Requirement recorded."))
    return redirect(f"{reverse('assessments:objectives', args=[objective.assessment_id])}#o-{objective.pk}")


@require_http_methods(["GET", "POST"])
def requirement_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    requirement = get_for_user(Requirement, request.user, Action.CHANGE, pk=pk)
    _check_editable(requirement.assessment)
    form = RequirementForm(request.POST if request.method == "POST" else None, instance=requirement)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Requirement saved."))
        return redirect(f"{reverse('assessments:objectives', args=[requirement.assessment_id])}"
                        f"#o-{requirement.objective_id}")
    return _edit_page(request, requirement.assessment, form, _("Change the requirement"), 400 if form.errors else 200)


@require_http_methods(["POST"])
def requirement_remove(request: HttpRequest, pk: Any) -> HttpResponse:
    requirement = get_for_user(Requirement, request.user, Action.CHANGE, pk=pk)
    with transaction.atomic():
        requirement.delete()
    messages.success(request, _("Requirement removed."))
    return redirect(f"{reverse('assessments:objectives', args=[requirement.assessment_id])}"
                    f"#o-{requirement.objective_id}")
