"""Step 2: the protective measures already in place at the site (they lower the ratings).

Recording or removing a measure edits the assessment, so both need ``change`` on it.
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
from stoa.accounts.tenancy import allowed_actions, get_for_user
from stoa.assessments.forms import MeasureForm
from stoa.assessments.mapdata import map_context, measure_codes, shape_name
from stoa.assessments.models import Assessment, ExistingMeasure
from stoa.assessments.proposals import refresh_proposals
from stoa.assessments.views import nav_context
from stoa.catalogue.entries import catalogue_for
from stoa.catalogue.existing import known_effects
from stoa.library.models import ReferenceObject


def _page(request: HttpRequest, assessment: Assessment, form: MeasureForm | None = None,
          status: int = 200) -> HttpResponse:
    allowed = allowed_actions(assessment, request.user)
    if form is None and Action.CHANGE in allowed and assessment.is_editable:
        form = MeasureForm()
    names = {t.ref_id: t.label() for t in ReferenceObject.objects.filter(kind="threat_type").order_by("order")}
    measures = list(assessment.existingmeasures.select_related("technology_category"))
    codes = measure_codes(measures)
    catalogue = catalogue_for(assessment.organisation)
    for measure in measures:
        measure.catalogue_entry = catalogue.get(measure.catalogue_key) if measure.catalogue_key else None
        measure.threat_names = [names.get(t, t) for t in measure.threats]
        measure.map_code = codes[measure.pk] if measure.geometry else ""
        measure.shape_name = shape_name(measure.geometry)
    return render(request, "assessments/measures.html", {
        "assessment": assessment, "site": assessment.site, "allowed": allowed, "measures": measures,
        "form": form, "map_editing": form is not None,
        "known_effects": known_effects(measures, catalogue, names), **map_context(request, assessment),
        **nav_context()},
        status=status)


@require_http_methods(["GET"])
def measures_page(request: HttpRequest, pk: Any) -> HttpResponse:
    return _page(request, get_for_user(Assessment, request.user, Action.VIEW, pk=pk))


@require_http_methods(["POST"])
def measure_add(request: HttpRequest, pk: Any) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.CHANGE, pk=pk)
    form = MeasureForm(request.POST, instance=ExistingMeasure(assessment=assessment,
                                                              organisation_id=assessment.organisation_id))
    if not form.is_valid():
        return _page(request, assessment, form, status=400)
    with transaction.atomic():
        form.save()
        if form.instance.barrier_rating:
            refresh_proposals(assessment)  # a rated barrier can change the vehicle run-up's proposed likelihood
    messages.success(request, _("Recorded: %(name)s.") % {"name": form.instance.description})
    return redirect("assessments:measures", pk=assessment.pk)


@require_http_methods(["POST"])
def measure_remove(request: HttpRequest, pk: Any) -> HttpResponse:
    measure = get_for_user(ExistingMeasure, request.user, Action.CHANGE, pk=pk)  # editing the assessment
    with transaction.atomic():
        measure.delete()
        if measure.barrier_rating:
            refresh_proposals(measure.assessment)
    messages.success(request, _("Removed: %(name)s.") % {"name": measure.description})
    return redirect("assessments:measures", pk=measure.assessment_id)
