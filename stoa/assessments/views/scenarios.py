"""Step 3 (the scenario of each threat type) and step 4 (its rating, with Stoa's proposal).

Both steps edit one scenario at a time; each form posts on its own, so a mistake in one scenario
never loses what was typed in another. HTMX requests get the re-rendered card back; without
JavaScript the same URLs answer with a page and a redirect.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import allowed_actions, get_for_user
from stoa.assessments.forms import RatingForm, ScenarioForm
from stoa.assessments.mapdata import map_context, scenario_codes
from stoa.assessments.models import Assessment, Scenario
from stoa.assessments.proposals import propose_for, question_objects
from stoa.assessments.views import nav_context
from stoa.library.models import ReferenceObject

STEPS = {"scenarios": (ScenarioForm, "assessments/partials/scenario_card.html"),
         "ratings": (RatingForm, "assessments/partials/rating_card.html")}


def explain(scenario: Scenario, questions: dict[str, Any]) -> list[dict[str, Any]]:
    """The proposal's contributions in words: which answer moved which dimension, and why."""
    from stoa.library.models import localised

    lines = []
    for c in propose_for(scenario).contributions:
        question = questions.get(c.question)

        class _Basis:
            name = c.basis.get("en", "")
            translations = {lang: {"name": text} for lang, text in c.basis.items()}

        lines.append({"question": question.label() if question else c.question, "answer": c.choice_or_band,
                      "dimension": _("likelihood") if c.dimension == "likelihood" else _("consequence"),
                      "delta": c.delta, "up": c.delta > 0, "basis": localised(_Basis(), "name")})
    return lines


def _card_context(request: HttpRequest, step: str, scenario: Scenario, allowed: set[str],
                  form: ModelForm | None = None, questions: dict[str, Any] | None = None,
                  code: str | None = None) -> dict[str, Any]:
    form_class, _template = STEPS[step]
    if form is None and Action.CHANGE in allowed and scenario.assessment.is_editable:
        form = form_class(instance=scenario, prefix=str(scenario.pk))
    context: dict[str, Any] = {"scenario": scenario, "form": form, "allowed": allowed, "step": step}
    if step == "scenarios":  # the page's map redraws this scenario's saved location from here
        context["templates"] = templates_for(scenario) if form is not None else []
        context["map_feature_id"] = f"s-{scenario.pk}-feature"
        if code is None:
            code = scenario_codes(list(scenario.assessment.scenarios.all()))[scenario.pk]
        context["map_feature"] = _saved_feature(scenario, code, refused=form is not None and bool(form.errors))
    if step == "ratings":
        if questions is None:
            questions = {q.ref_id: q for q in question_objects(scenario.assessment)}
        context["contributions"] = explain(scenario, questions)
    return context


def _saved_feature(scenario: Scenario, code: str, *, refused: bool) -> dict[str, Any] | None:
    """The scenario's location as stored, for the map (after a refused save, the instance may
    hold what was just typed, so the stored row is read again)."""
    if refused:
        saved = Scenario.objects.filter(pk=scenario.pk).values("geometry", "not_applicable").first() or {}
    else:
        saved = {"geometry": scenario.geometry, "not_applicable": scenario.not_applicable}
    if not saved.get("geometry") or saved.get("not_applicable"):
        return None
    return {"type": "Feature", "geometry": saved["geometry"],
            "properties": {"id": str(scenario.pk), "code": code, "name": scenario.threat.label()}}


def templates_for(scenario: Scenario) -> list[ReferenceObject]:
    """Scenario templates of the scenario's threat type: those written for the site's category
    first, then those for any category, then those for other kinds of place."""
    category = scenario.assessment.site.category.ref_id if scenario.assessment.site.category_id else ""
    found = [t for t in ReferenceObject.objects.filter(kind="scenario_template").order_by("order", "ref_id")
             if t.data.get("threat") == scenario.threat.ref_id]
    return sorted(found, key=lambda t: 0 if category in t.data.get("categories", [])
                  else 1 if "ALL" in t.data.get("categories", []) else 2)


def template_initial(scenario: Scenario, ref_id: str) -> dict[str, Any] | None:
    """Form values from the template REF_ID (in the active language), if it fits SCENARIO."""
    from stoa.library.presentation import term

    template = next((t for t in templates_for(scenario) if t.ref_id == ref_id), None)
    if template is None:
        return None
    data = template.data
    phase = ReferenceObject.objects.filter(kind="attack_phase", ref_id=data.get("attack_phase")).first()
    return {"narrative": term(data.get("narrative") or {}), "location": term(data.get("location") or {}),
            "time_slot": term(data.get("time_slot") or {}), "attack_phase": phase.pk if phase else None}


@require_http_methods(["GET"])
def step_page(request: HttpRequest, pk: Any, step: str) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.VIEW, pk=pk)
    allowed = allowed_actions(assessment, request.user)
    questions = {q.ref_id: q for q in question_objects(assessment)}
    scenarios = list(assessment.scenarios.select_related("threat", "attack_phase", "assessment"))
    codes = scenario_codes(scenarios)
    cards = [_card_context(request, step, s, allowed, questions=questions, code=codes[s.pk]) for s in scenarios]
    extra = {}
    if step == "scenarios":
        extra = {**map_context(request, assessment),
                 "map_editing": Action.CHANGE in allowed and assessment.is_editable}
    return render(request, f"assessments/{step}.html", {
        "assessment": assessment, "site": assessment.site, "allowed": allowed, "cards": cards,
        "matrix_name": assessment.risk_matrix.get("name", ""), **extra, **nav_context()})


@require_http_methods(["GET", "POST"])
def scenario_edit(request: HttpRequest, pk: Any, step: str) -> HttpResponse:
    scenario = get_for_user(Scenario, request.user, Action.CHANGE, pk=pk)
    form_class, template = STEPS[step]
    prefill = template_initial(scenario, request.GET.get("template", "")) if request.method == "GET" else None
    form = form_class(request.POST if request.method == "POST" else None, instance=scenario, prefix=str(scenario.pk),
                      initial=prefill)
    saved = request.method == "POST" and form.is_valid()
    if saved:
        form.save()
        if not request.htmx:  # type: ignore[attr-defined]
            messages.success(request, _("Saved: %(threat)s.") % {"threat": scenario.threat.label()})
            return redirect(f"{reverse('assessments:step', args=[scenario.assessment_id, step])}#s-{scenario.pk}")
        form = None  # type: ignore[assignment]  # a fresh form from the saved scenario
    allowed = allowed_actions(scenario, request.user)
    context = _card_context(request, step, scenario, allowed, form=form)
    context["status_message"] = (_("Saved.") if saved else
                                 _("Filled in from the template: check it, then save.") if prefill else "")
    if not request.htmx:  # type: ignore[attr-defined]
        context.update(assessment=scenario.assessment, site=scenario.assessment.site, card=context)
        if step == "scenarios":
            context.update(map_context(request, scenario.assessment),
                           map_editing=form is not None and scenario.assessment.is_editable)
        return render(request, "assessments/scenario_page.html", context, status=400 if form.errors else 200)
    return render(request, template, context, status=200)


@require_http_methods(["POST"])
def accept_proposals(request: HttpRequest, pk: Any) -> HttpResponse:
    """Rate every applicable, not yet rated scenario at Stoa's proposal (a team that agrees with the
    proposals need not pick twenty values by hand; ratings already chosen are left alone)."""
    assessment = get_for_user(Assessment, request.user, Action.CHANGE, pk=pk)
    with transaction.atomic():
        accepted = []
        for scenario in assessment.scenarios.select_related("threat").select_for_update(of=("self",)):
            if scenario.rated or scenario.not_applicable or scenario.proposed_likelihood is None:
                continue
            scenario.likelihood = scenario.proposed_likelihood
            scenario.consequence = scenario.proposed_consequence
            scenario.full_clean(exclude=["organisation"])
            scenario.save()
            accepted.append(scenario.threat.label())
    if accepted:
        messages.success(request, _("Rated at Stoa's proposal: %(threats)s.") % {"threats": ", ".join(accepted)})
    else:
        messages.info(request, _("Every applicable threat type was already rated: nothing changed."))
    return redirect("assessments:step", pk=assessment.pk, step="ratings")
