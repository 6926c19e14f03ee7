"""Engineering pages: a scenario's blast stand-off and a site's crowd density and egress."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import allowed_actions, get_for_user
from stoa.assessments.models import Scenario
from stoa.assessments.proposals import refresh_proposals
from stoa.engineering.analysis import compute_blast, compute_crowd, default_target_s
from stoa.engineering.forms import BlastForm
from stoa.engineering.models import BlastAnalysis, default_chart
from stoa.sites.models import AccessPoint, Site, Zone
from stoa.sites.views import mapdata as site_mapdata

DEFAULT_CATEGORY = {"VBIED": "SUV_VAN", "PBIED": "SUICIDE_VEST", "IED": "BRIEFCASE"}  # a first guess to edit


def scenario_blast(request: HttpRequest, pk: Any) -> HttpResponse:
    scenario = get_for_user(Scenario, request.user, Action.VIEW, pk=pk)
    allowed = allowed_actions(scenario, request.user)
    site = scenario.assessment.site
    analysis = BlastAnalysis.objects.filter(scenario=scenario).first()
    instance = analysis or BlastAnalysis(scenario=scenario, assessment=scenario.assessment,
                                         organisation_id=scenario.organisation_id, chart=default_chart(),
                                         threat_category=DEFAULT_CATEGORY.get(scenario.threat.ref_id, "BRIEFCASE"))
    form = None
    if request.method == "POST":
        get_for_user(Scenario, request.user, Action.CHANGE, pk=pk)  # 403 for a viewer
        form = BlastForm(request.POST, instance=instance, site=site)
        if form.is_valid():
            with transaction.atomic():
                form.save()
                refresh_proposals(scenario.assessment)  # people at risk propose the consequence
            messages.success(request, _("Blast analysis saved."))
            return redirect("engineering:blast", pk=scenario.pk)
    elif Action.CHANGE in allowed and scenario.assessment.is_editable:
        form = BlastForm(instance=instance, site=site)
    result = compute_blast(analysis) if analysis is not None else None
    rings = []
    if result is not None:
        for ring in result.rings:
            people = (_("%(n)s people") % {"n": f"{ring.people:,.0f}"} if ring.people is not None
                      else _("people not counted"))
            rings.append({"radius": ring.radius_m, "colour": ring.colour, "kind": ring.kind,
                          "label": f"{ring.name}: {ring.radius_m:,.0f} m, {people}"})
    map_data = {
        "centre": list(result.centre) if result and result.centre else None,
        "rings": rings,
        "site": site.boundary,
        "zones": site_mapdata.zone_features(Zone.objects.filter(site=site)),
        "config": site_mapdata.map_config(request),
        "labels": {"centre": _("Assumed location of the device"), "legend": _("Rings (largest first)")},
    }
    return render(request, "engineering/blast.html", {
        "scenario": scenario, "site": site, "analysis": analysis, "form": form, "result": result,
        "allowed": allowed, "map_data": map_data,
    }, status=400 if form is not None and form.errors else 200)


def _float(value: str | None) -> float | None:
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number > 0 and number < 1e6 else None


def site_crowd(request: HttpRequest, pk: Any) -> HttpResponse:
    site = get_for_user(Site, request.user, Action.VIEW, pk=pk)
    target_min = _float(request.GET.get("target_min"))
    target_s = target_min * 60 if target_min else default_target_s()
    exits = list(AccessPoint.objects.filter(site=site))
    closed = {str(ap.pk) for ap in exits if request.GET.get(f"closed-{ap.pk}")}
    widths = {str(ap.pk): w for ap in exits if (w := _float(request.GET.get(f"width-{ap.pk}"))) is not None}
    rows = compute_crowd(site, target_s=target_s, closed=closed, widths=widths)
    names = {str(ap.pk): ap.name for ap in exits}
    exit_rows = [{"ap": ap, "closed": str(ap.pk) in closed, "width": widths.get(str(ap.pk), ap.width_m)}
                 for ap in exits]
    return render(request, "engineering/crowd.html", {
        "site": site, "rows": rows, "exits": exit_rows, "names": names, "target_min": target_s / 60,
        "default_target_min": default_target_s() / 60, "what_if": bool(closed or widths),
    })
