"""Locations of existing measures and scenarios: typed or drawn, checked, stored, and on the map data."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import RequestFactory
from django.urls import reverse

from stoa.assessments.mapdata import map_context
from stoa.assessments.models import ExistingMeasure, Scenario, Status
from stoa.assessments.services import create_assessment
from tests import factories
from tests.assessment_samples import load_assessment_libraries

pytestmark = pytest.mark.django_db

POINT = {"type": "Point", "coordinates": [4.3510, 50.8506]}


@pytest.fixture
def assessment(site):
    load_assessment_libraries()
    return create_assessment(site, date=datetime.date(2026, 5, 4))


def _scenario_post(client, scenario, geometry: str, htmx: bool = True):
    prefix = str(scenario.pk)
    data = {f"{prefix}-narrative": "A van.", f"{prefix}-geometry": geometry}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("assessments:scenario-edit", args=[scenario.pk, "scenarios"]), data, **headers)


def test_a_scenario_location_is_stored_from_geojson_or_a_typed_pair(client, officer, assessment):
    client.force_login(officer)
    vehicle = assessment.scenarios.get(threat__ref_id="VEHICLE")
    assert _scenario_post(client, vehicle, json.dumps(factories.SQUARE)).status_code == 200
    vehicle.refresh_from_db()
    assert vehicle.geometry == factories.SQUARE
    assert _scenario_post(client, vehicle, "4.3510, 50.8506").status_code == 200
    vehicle.refresh_from_db()
    assert vehicle.geometry == POINT
    response = _scenario_post(client, vehicle, "")
    vehicle.refresh_from_db()
    assert vehicle.geometry is None and b"data-map-feature" in response.content


def test_a_bad_location_is_refused_and_the_stored_one_kept(client, officer, assessment):
    client.force_login(officer)
    vehicle = assessment.scenarios.get(threat__ref_id="VEHICLE")
    Scenario.objects.filter(pk=vehicle.pk).update(geometry=POINT)
    response = _scenario_post(client, vehicle, "50.8506, 4.3510", htmx=False)  # latitude first
    assert response.status_code == 400
    assert "latitude, longitude order" in response.content.decode()
    vehicle.refresh_from_db()
    assert vehicle.geometry == POINT and vehicle.narrative == ""
    # The map is fed the stored location, not the refused text.
    assert response.context["map_feature"]["geometry"] == POINT
    line = _scenario_post(client, vehicle, json.dumps({"type": "LineString", "coordinates": [[4.35, 50.85],
                                                                                              [4.36, 50.85]]}))
    assert "must be of GeoJSON type" in line.content.decode()


def test_a_measure_point_can_be_typed_as_longitude_latitude(client, officer, assessment):
    client.force_login(officer)
    response = client.post(reverse("assessments:measure-add", args=[assessment.pk]), {
        "description": "Camera", "nature": "emplaced", "timing": "structural", "geometry": "4.3510; 50.8506"})
    assert response.status_code == 302
    assert ExistingMeasure.objects.get().geometry == POINT


def test_the_map_data_codes_measures_and_scenarios(rf: RequestFactory, officer, assessment):
    ExistingMeasure.objects.create(assessment=assessment, description="No shape")
    ExistingMeasure.objects.create(assessment=assessment, description="Bollards", geometry=factories.SQUARE)
    scenarios = list(assessment.scenarios.select_related("threat"))
    Scenario.objects.filter(pk=scenarios[2].pk).update(geometry=POINT)
    Scenario.objects.filter(pk=scenarios[3].pk).update(geometry=POINT, not_applicable=True,
                                                        not_applicable_reason="No.")
    request = rf.get("/")
    request.user = officer
    context = map_context(request, assessment)
    data = context["assessment_map"]
    assert [(f["properties"]["code"], f["properties"]["name"]) for f in data["measures"]["features"]] == [
        ("M2", "Bollards")]
    assert [f["properties"]["code"] for f in data["scenarios"]["features"]] == ["S3"]
    assert data["site"]["features"][0]["geometry"] == factories.SQUARE
    assert [(i["code"], i["shape"]) for i in context["assessment_map_items"]] == [("M2", "area"), ("S3", "point")]


def test_pages_hide_drawing_once_submitted(client, officer, assessment):
    client.force_login(officer)
    measures_url = reverse("assessments:measures", args=[assessment.pk])
    scenarios_url = reverse("assessments:step", args=[assessment.pk, "scenarios"])
    assert b"data-draw=" in client.get(measures_url).content
    assert b"data-draw=" in client.get(scenarios_url).content
    type(assessment).objects.filter(pk=assessment.pk).update(status=Status.SUBMITTED)
    for url in (measures_url, scenarios_url):
        page = client.get(url).content.decode()
        assert 'id="assessment-map"' in page and "data-draw=" not in page and "leaflet-geoman" not in page
    assert "can no longer change" in client.get(measures_url).content.decode()
