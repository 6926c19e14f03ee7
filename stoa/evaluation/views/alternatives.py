"""The alternatives of an evaluation: from the catalogue, from RFI answers, or described by hand;
the shortlist for demonstration and the move to the next stage."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import get_for_user
from stoa.catalogue.entries import catalogue_for
from stoa.evaluation.forms import AlternativeForm, CatalogueAlternativesForm
from stoa.evaluation.models import Alternative, AlternativeKind, Evaluation
from stoa.evaluation.shortlist import advance_stage, shortlist_top
from stoa.evaluation.views.common import context, frozen_response, load


def _catalogue_choices(evaluation: Evaluation) -> list[tuple[str, str]]:
    """Catalogue measures acting on the vulnerability's threat (all of them without a vulnerability)."""
    threat = evaluation.scenario.threat.ref_id if evaluation.scenario is not None else None
    taken = set(evaluation.alternatives.exclude(catalogue_key="").values_list("catalogue_key", flat=True))
    entries = [e for e in catalogue_for(evaluation.organisation)
               if e.key not in taken and (threat is None or e.spec.acts_on(threat))]
    return sorted(((e.key, e.name) for e in entries), key=lambda c: c[1].casefold())


def _add_from_catalogue(evaluation: Evaluation, keys: list[str]) -> int:
    catalogue = catalogue_for(evaluation.organisation)
    added = 0
    for key in keys:
        entry = catalogue.get(key)
        if entry is not None:
            Alternative.objects.create(evaluation=evaluation, kind=AlternativeKind.CATALOGUE, name=entry.name[:200],
                                       description=entry.description, catalogue_key=entry.key, facts=entry.data)
            added += 1
    return added


@require_http_methods(["GET", "POST"])
def alternatives_page(request: HttpRequest, pk: Any) -> HttpResponse:
    evaluation = load(request, pk)
    choices = _catalogue_choices(evaluation)
    from_catalogue = CatalogueAlternativesForm(choices=choices)
    by_hand = AlternativeForm()
    status = 200
    if request.method == "POST":
        evaluation = load(request, pk, Action.CHANGE)
        if evaluation.is_frozen:
            return frozen_response(request, evaluation)
        if request.POST.get("add") == "catalogue":
            from_catalogue = CatalogueAlternativesForm(request.POST, choices=choices)
            if from_catalogue.is_valid():
                added = _add_from_catalogue(evaluation, from_catalogue.cleaned_data["measures"])
                messages.success(request, _("%(n)s alternatives added from the catalogue.") % {"n": added})
                return redirect("evaluation:alternatives", pk=evaluation.pk)
        else:
            by_hand = AlternativeForm(request.POST, instance=Alternative(evaluation=evaluation,
                                                                         organisation_id=evaluation.organisation_id))
            if by_hand.is_valid():
                by_hand.save()
                messages.success(request, _("Added: %(name)s.") % {"name": by_hand.instance.name})
                return redirect("evaluation:alternatives", pk=evaluation.pk)
        status = 400
    return render(request, "evaluation/alternatives.html", {
        **context(request, evaluation, "alternatives"),
        "alternatives": evaluation.alternatives.select_related("submission__organisation"),
        "from_catalogue": from_catalogue, "by_hand": by_hand, "has_choices": bool(choices)}, status=status)


@require_http_methods(["GET", "POST"])
def alternative_delete(request: HttpRequest, pk: Any) -> HttpResponse:
    alternative = get_for_user(Alternative, request.user, Action.CHANGE, pk=pk)
    evaluation = alternative.evaluation
    if evaluation.is_frozen:
        return frozen_response(request, evaluation)
    if request.method == "POST":
        name = alternative.name
        alternative.delete()
        messages.success(request, _("Removed: %(name)s, with its scores.") % {"name": name})
        return redirect("evaluation:alternatives", pk=evaluation.pk)
    return render(request, "evaluation/alternative_delete.html", {**context(request, evaluation, "alternatives"),
                                                                  "alternative": alternative})


@require_POST
def shortlist(request: HttpRequest, pk: Any) -> HttpResponse:
    """Shortlist the top N of the ranking, or set the ticks by hand."""
    evaluation = load(request, pk, Action.CHANGE)
    if evaluation.is_frozen:
        return frozen_response(request, evaluation)
    if request.POST.get("top"):
        chosen = shortlist_top(evaluation)
        messages.success(request, _("Shortlisted the top %(n)s: %(names)s.") % {
            "n": len(chosen), "names": ", ".join(a.name for a in chosen) or "—"})
    else:
        ticked = set(request.POST.getlist("shortlisted"))
        for alternative in evaluation.alternatives.all():
            alternative.shortlisted = str(alternative.pk) in ticked
            alternative.save(update_fields=["shortlisted", "updated_at"])
        messages.success(request, _("Shortlist saved."))
    return redirect("evaluation:alternatives", pk=evaluation.pk)


@require_POST
def change_stage(request: HttpRequest, pk: Any) -> HttpResponse:
    evaluation = load(request, pk, Action.CHANGE)
    if evaluation.is_frozen:
        return frozen_response(request, evaluation)
    try:
        advance_stage(evaluation, request.POST.get("stage", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("evaluation:alternatives", pk=evaluation.pk)
    messages.success(request, _("The evaluation is now at the stage: %(stage)s.") % {
        "stage": evaluation.get_stage_display()})
    return redirect("evaluation:scores", pk=evaluation.pk)
