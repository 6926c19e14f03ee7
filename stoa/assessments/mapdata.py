"""What the assessment maps draw: the site, its zones and access points, the existing measures and
the scenario locations, as JSON-ready data for ``partials/assessment_map.html``.

Each measure and scenario gets a short code (M1, M2… in the order they were recorded; S1…S10 in
threat order) shown on its map symbol and beside it in the list under the map, so the map can be
read without colour and without a pointer.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from stoa.assessments.models import Assessment, ExistingMeasure, Scenario
from stoa.sites.models import AccessKind
from stoa.sites.views import mapdata as site_mapdata


def _feature(geometry: dict[str, Any], **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def measure_codes(measures: list[ExistingMeasure]) -> dict[Any, str]:
    return {m.pk: f"M{i}" for i, m in enumerate(measures, start=1)}


def scenario_codes(scenarios: list[Scenario]) -> dict[Any, str]:
    return {s.pk: f"S{i}" for i, s in enumerate(scenarios, start=1)}


def measure_features(measures: list[ExistingMeasure]) -> dict[str, Any]:
    codes = measure_codes(measures)
    return {"type": "FeatureCollection", "features": [
        _feature(m.geometry, id=str(m.pk), code=codes[m.pk], name=m.description)
        for m in measures if m.geometry]}


def scenario_features(scenarios: list[Scenario]) -> dict[str, Any]:
    codes = scenario_codes(scenarios)
    return {"type": "FeatureCollection", "features": [
        _feature(s.geometry, id=str(s.pk), code=codes[s.pk], name=s.threat.label())
        for s in scenarios if s.geometry and not s.not_applicable]}


def _labels() -> dict[str, str]:
    return {
        "measure": _("Existing measure"),
        "scenario": _("Scenario location"),
        "draft": _("New shape, not saved yet"),
        "point_hint": _("Click or tap on the map to place the point."),
        "area_hint": _("Click on the map to add corners; click the first corner to finish."),
        "drawn": _("Shape drawn on the map and written into the coordinates field. Save to keep it."),
        "cleared": _("The location was cleared. Save to keep the change."),
        "bad_text": _("The text is not a shape the map can show yet."),
    }


def assessment_map(request: HttpRequest, assessment: Assessment, *,
                   measures: list[ExistingMeasure] | None = None,
                   scenarios: list[Scenario] | None = None) -> dict[str, Any]:
    """Everything the map of ASSESSMENT shows. The caller has already loaded the assessment through
    the tenancy mechanism; the site's parts follow the site, which follows the assessment."""
    site = assessment.site
    if measures is None:
        measures = list(assessment.existingmeasures.all())
    if scenarios is None:
        scenarios = list(assessment.scenarios.select_related("threat"))
    config = site_mapdata.map_config(request)
    config["labels"].update(_labels())
    access_kinds = [{"kind": k, "label": str(label)} for k, label in AccessKind.choices]
    return {
        "config": config,
        "site": site_mapdata.site_features([site], request),
        "zones": site_mapdata.zone_features(site.zones.all()),
        "access_points": site_mapdata.access_point_features(site.accesspoints.all()),
        "access_kinds": access_kinds,
        "measures": measure_features(measures),
        "scenarios": scenario_features(scenarios),
    }


def map_items(measures: list[ExistingMeasure], scenarios: list[Scenario]) -> list[dict[str, Any]]:
    """The list under the map: every measure and scenario location with its code, in words."""
    items = []
    codes = measure_codes(measures)
    for m in measures:
        if m.geometry:
            items.append({"code": codes[m.pk], "kind": _("Existing measure"), "name": m.description,
                          "shape": shape_name(m.geometry)})
    codes = scenario_codes(scenarios)
    for s in scenarios:
        if s.geometry and not s.not_applicable:
            items.append({"code": codes[s.pk], "kind": _("Scenario location"), "name": s.threat.label(),
                          "shape": shape_name(s.geometry)})
    return items


def shape_name(geometry: dict[str, Any] | None) -> str:
    kind = (geometry or {}).get("type")
    return {"Point": _("point"), "Polygon": _("area")}.get(kind, "—") if kind else "—"


def map_context(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    """What ``partials/assessment_map.html`` needs, for any page that includes it read-only:
    ``{% include "assessments/partials/assessment_map.html" %}`` after ``context.update(map_context(...))``."""
    measures = list(assessment.existingmeasures.all())
    scenarios = list(assessment.scenarios.select_related("threat"))
    return {"assessment_map": assessment_map(request, assessment, measures=measures, scenarios=scenarios),
            "assessment_map_items": map_items(measures, scenarios)}
