"""The scoring panel: experts and their declared conflicts, scoring progress, one score sheet.

Who may enter a score: the expert themself when their panel seat is linked to their Stoa account
(seeing the evaluation is then enough: a police liaison scores without editing anything else),
or anyone who may change the evaluation (to type in an external expert's paper sheet). Every
score records who entered it, and the audit trail keeps each change.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import get_for_user
from stoa.evaluation.forms import ExpertForm, ScoreSheetForm
from stoa.evaluation.models import Evaluation, Expert, Score
from stoa.evaluation.sources import suggested_score
from stoa.evaluation.views.common import context, frozen_response, load


def _members(evaluation: Evaluation) -> Any:
    return get_user_model().objects.filter(memberships__organisation_id=evaluation.organisation_id).order_by(
        "username")


def may_score(user: Any, evaluation: Evaluation, expert: Expert) -> bool:
    if expert.user_id is not None and expert.user_id == user.pk:
        return True
    return Evaluation.objects.for_user(user, Action.CHANGE).filter(pk=evaluation.pk).exists()


@require_http_methods(["GET", "POST"])
def panel_page(request: HttpRequest, pk: Any) -> HttpResponse:
    evaluation = load(request, pk)
    form = ExpertForm(users=_members(evaluation))
    status = 200
    if request.method == "POST":
        evaluation = load(request, pk, Action.CHANGE)
        if evaluation.is_frozen:
            return frozen_response(request, evaluation)
        form = ExpertForm(request.POST, users=_members(evaluation),
                          instance=Expert(evaluation=evaluation, organisation_id=evaluation.organisation_id))
        if form.is_valid():
            form.save()
            messages.success(request, _("%(name)s joined the panel.") % {"name": form.instance.name})
            return redirect("evaluation:panel", pk=evaluation.pk)
        status = 400
    return render(request, "evaluation/panel.html", {**context(request, evaluation, "panel"), "form": form,
                                                     "experts": evaluation.experts.select_related("user")},
                  status=status)


@require_http_methods(["GET", "POST"])
def expert_delete(request: HttpRequest, pk: Any) -> HttpResponse:
    expert = get_for_user(Expert, request.user, Action.CHANGE, pk=pk)
    evaluation = expert.evaluation
    if evaluation.is_frozen:
        return frozen_response(request, evaluation)
    if request.method == "POST":
        expert.delete()
        messages.success(request, _("%(name)s left the panel; their scores were removed.") % {"name": expert.name})
        return redirect("evaluation:panel", pk=evaluation.pk)
    return render(request, "evaluation/expert_delete.html", {**context(request, evaluation, "panel"),
                                                             "expert": expert})


def _stage_criteria(evaluation: Evaluation) -> list[Any]:
    return [c for c in evaluation.tree.criteria if evaluation.stage in c.stages]


def _in_play(evaluation: Evaluation) -> list[Any]:
    alternatives = list(evaluation.alternatives.all())
    if evaluation.stage != "rfi" and any(a.shortlisted for a in alternatives):
        alternatives = [a for a in alternatives if a.shortlisted]
    return alternatives


@require_http_methods(["GET"])
def scores_page(request: HttpRequest, pk: Any) -> HttpResponse:
    """Progress of the panel at the current stage: how many criteria each expert scored per alternative."""
    evaluation = load(request, pk)
    criteria = _stage_criteria(evaluation)
    alternatives = _in_play(evaluation)
    experts = list(evaluation.experts.all())
    counts: dict[tuple[Any, Any], int] = {}
    for expert_id, alternative_id in Score.objects.filter(evaluation=evaluation, stage=evaluation.stage).values_list(
            "expert_id", "alternative_id"):
        counts[(expert_id, alternative_id)] = counts.get((expert_id, alternative_id), 0) + 1
    total = len(criteria)
    grid = [{"expert": e, "may_score": may_score(request.user, evaluation, e) and not evaluation.is_frozen,
             "cells": [{"alternative": a, "done": counts.get((e.pk, a.pk), 0), "total": total}
                       for a in alternatives]} for e in experts]
    done = sum(min(c, total) for c in counts.values())
    expected = total * len(alternatives) * len(experts)
    return render(request, "evaluation/scores.html", {
        **context(request, evaluation, "scores"), "grid": grid, "alternatives": alternatives, "total": total,
        "done": done, "expected": expected, "percent": round(100 * done / expected) if expected else 0})


@require_http_methods(["GET", "POST"])
def score_sheet(request: HttpRequest, pk: Any, expert: Any, alternative: Any) -> HttpResponse:
    evaluation = load(request, pk)
    panel_member = get_object_or_404(Expert, pk=expert, evaluation=evaluation)
    option = get_object_or_404(evaluation.alternatives, pk=alternative)
    if not may_score(request.user, evaluation, panel_member):
        raise PermissionDenied(_("Only this expert, or someone who may change the evaluation, enters these scores."))
    if evaluation.is_frozen:
        return frozen_response(request, evaluation)
    criteria = _stage_criteria(evaluation)
    existing = {s.criterion: s for s in Score.objects.filter(expert=panel_member, alternative=option,
                                                             stage=evaluation.stage)}
    threat = evaluation.scenario.threat.ref_id if evaluation.scenario is not None else None
    suggestions = {c.id: suggested_score(c, option.facts, threat, evaluation.tree.cost_horizon_years)
                   for c in criteria}
    initial = {}
    for criterion_id, score in existing.items():
        initial[f"value_{criterion_id}"] = f"{score.value:g}"
        initial[f"why_{criterion_id}"] = score.justification
    form = ScoreSheetForm(request.POST or None, initial=initial, criteria=criteria, suggestions=suggestions)
    if request.method == "POST" and form.is_valid():
        try:
            _save_sheet(request, evaluation, panel_member, option, form, existing)
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("Scores saved for %(alternative)s.") % {"alternative": option.name})
            return redirect(_next_sheet(evaluation, panel_member, option) or
                            reverse("evaluation:scores", args=[evaluation.pk]))
    in_play = _in_play(evaluation)
    return render(request, "evaluation/score_sheet.html", {
        **context(request, evaluation, "scores"), "form": form, "expert": panel_member, "alternative": option,
        "position": next((i for i, a in enumerate(in_play, 1) if a.pk == option.pk), 0), "of": len(in_play)},
        status=400 if request.method == "POST" else 200)


def _save_sheet(request: HttpRequest, evaluation: Evaluation, expert: Expert, alternative: Any,
                form: ScoreSheetForm, existing: dict[str, Score]) -> None:
    """All of the sheet or nothing: one bad score leaves every score as it was."""
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        for criterion in form.criteria:
            value = form.cleaned_data.get(f"value_{criterion.id}")
            why = form.cleaned_data.get(f"why_{criterion.id}", "").strip()
            score = existing.get(criterion.id)
            if value is None:
                if score is not None:
                    score.delete()
                continue
            score = score or Score(evaluation=evaluation, organisation_id=evaluation.organisation_id, expert=expert,
                                   alternative=alternative, criterion=criterion.id, stage=evaluation.stage)
            score.value, score.justification = value, why
            score.entered_by = request.user  # type: ignore[assignment]
            try:
                score.full_clean(validate_unique=False)
            except ValidationError as exc:
                errors[f"value_{criterion.id}"] = exc.message_dict.get("value", exc.messages)
                continue
            score.save()
        if errors:
            raise ValidationError(errors)


def _next_sheet(evaluation: Evaluation, expert: Expert, alternative: Any) -> str | None:
    in_play = _in_play(evaluation)
    ids = [a.pk for a in in_play]
    if alternative.pk in ids and ids.index(alternative.pk) + 1 < len(ids):
        nxt = in_play[ids.index(alternative.pk) + 1]
        return reverse("evaluation:score-sheet", args=[evaluation.pk, expert.pk, nxt.pk])
    return None
