"""A scenario's vehicle run-up page: choose the network and classes, run, and see the approaches."""

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
from stoa.core.engineering_data import shipped
from stoa.core.hvm.coverage import LIKELIHOOD_BANDS_KMH
from stoa.engineering.forms import VehicleForm
from stoa.engineering.models import VEHICLE_THREATS, StreetNetwork, VehicleAnalysis
from stoa.engineering.vehicle import PointView, VehicleAnalysisError, VehicleOutcome, outcome_of, run
from stoa.sites.models import Zone
from stoa.sites.views import mapdata as site_mapdata

# Speed bands of the map's colours (km/h lower bounds), at the barrier standards' test speeds like
# the likelihood rule; colour-blind-safe ramp, and each band is named in the legend.
SPEED_COLOURS = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027")


def _initial(scenario: Scenario) -> VehicleAnalysis:
    site = scenario.assessment.site
    networks = list(StreetNetwork.objects.filter(organisation_id=scenario.organisation_id).defer("data"))
    covering = [n for n in networks if site.lon is not None and site.lat is not None and n.covers(site.lon, site.lat)]
    chosen = (covering or networks or [None])[0]
    return VehicleAnalysis(scenario=scenario, assessment=scenario.assessment, organisation_id=scenario.organisation_id,
                           network=chosen)


def scenario_vehicle(request: HttpRequest, pk: Any) -> HttpResponse:
    scenario = get_for_user(Scenario, request.user, Action.VIEW, pk=pk)
    allowed = allowed_actions(scenario, request.user)
    analysis = VehicleAnalysis.objects.filter(scenario=scenario).select_related("network").first()
    form = None
    problem = None
    if request.method == "POST":
        get_for_user(Scenario, request.user, Action.CHANGE, pk=pk)  # 403 for a viewer
        form = VehicleForm(request.POST, instance=analysis or _initial(scenario))
        if form.is_valid():
            try:
                with transaction.atomic():  # an analysis that cannot run is not saved half-way
                    saved = form.save()
                    results = run(saved)
                    refresh_proposals(scenario.assessment)
            except VehicleAnalysisError as exc:
                problem = str(exc)
                form.add_error(None, _("The analysis could not run: %(problem)s") % {"problem": problem})
            else:
                messages.success(request, _("Vehicle run-up computed for %(n)s perimeter points in %(s)s s.")
                                 % {"n": len(results["points"]), "s": f"{results['elapsed_s']:.2f}"})
                return redirect("engineering:vehicle", pk=scenario.pk)
    elif Action.CHANGE in allowed and scenario.assessment.is_editable:
        form = VehicleForm(instance=analysis or _initial(scenario))
    outcome = None
    if analysis is not None and analysis.results:
        try:
            outcome = outcome_of(analysis)
        except VehicleAnalysisError as exc:
            problem = str(exc)
    scenario.refresh_from_db(fields=["proposed_likelihood", "likelihood"])
    return render(request, "engineering/vehicle.html", {
        "scenario": scenario, "site": scenario.assessment.site, "analysis": analysis, "form": form,
        "outcome": outcome, "problem": problem, "applies": scenario.threat.ref_id in VEHICLE_THREATS,
        "has_networks": StreetNetwork.objects.filter(organisation_id=scenario.organisation_id).exists(),
        "bands": _bands(), "vehicles": _vehicles(analysis), "table": _table(outcome) if outcome else [],
        "map_data": _map_data(request, scenario, outcome) if outcome else None,
    }, status=400 if form is not None and form.errors else 200)


def _vehicles(analysis: VehicleAnalysis | None) -> list[dict[str, Any]]:
    rows = (analysis.results or {}).get("vehicles", []) if analysis is not None else []
    known = shipped().vehicle_classes
    return [{**row, "top_kmh": row["top_speed_ms"] * 3.6,
             "name": known[row["class"]].name if row["class"] in known else row["class"]} for row in rows]


def _table(outcome: VehicleOutcome) -> list[tuple[PointView, list[tuple[str, str]]]]:
    """Each perimeter point with its worst case's required rating as (standard's label, notation) pairs."""
    standards = shipped().standards
    rows = []
    for view in outcome.points:
        worst = view.outcome.worst
        notations = [] if worst is None or worst.required is None else [
            (standards[key].label if key in standards else key, notation)
            for key, notation in worst.required.notations.items()]
        rows.append((view, notations))
    return rows


def _bands() -> list[dict[str, Any]]:
    floors = [floor for floor, _level in LIKELIHOOD_BANDS_KMH]
    rows = []
    for n, (floor, level) in enumerate(LIKELIHOOD_BANDS_KMH):
        upper = floors[n + 1] if n + 1 < len(floors) else None
        label = (_("%(a)g–%(b)g km/h") % {"a": floor, "b": upper} if upper is not None
                 else _("%(a)g km/h or more") % {"a": floor})
        rows.append({"floor": floor, "upper": upper, "level": level, "label": label, "colour": SPEED_COLOURS[n]})
    return rows


def _map_data(request: HttpRequest, scenario: Scenario, outcome: VehicleOutcome) -> dict[str, Any]:
    site = scenario.assessment.site
    points, paths = [], []
    for n, view in enumerate(outcome.points, start=1):
        worst = view.outcome.worst
        status = (_("stopped by %(barrier)s") % {"barrier": worst.stopped_by} if worst and worst.stopped_by
                  else _("no barrier stops it"))
        label = (f"{n}. {view.row['name']}: {worst.vehicle_class} {worst.speed_kmh:.0f} km/h, {status}"
                 if worst else _("%(n)s. %(name)s: no vehicle reaches it") % {"n": n, "name": view.row["name"]})
        points.append({"n": n, "lonlat": view.row["lonlat"], "label": label,
                       "worst": worst.vehicle_class if worst else None,
                       "stopped": bool(worst and worst.stopped_by)})
        for approach in view.row["approaches"]:
            if len(approach["path"]) > 1:
                paths.append({"point": n, "class": approach["class"], "coords": approach["path"],
                              "speeds": approach["speeds_kmh"]})
    return {
        "site": site.boundary, "zones": site_mapdata.zone_features(Zone.objects.filter(site=site)),
        "config": site_mapdata.map_config(request), "points": points, "paths": paths,
        "bands": [{"floor": b["floor"], "colour": b["colour"], "label": b["label"]} for b in _bands()],
        "labels": {"legend": _("Speed along the approach"), "worst": _("worst case at each point"),
                   "point": _("Perimeter point")},
    }
