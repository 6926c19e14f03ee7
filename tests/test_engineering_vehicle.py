"""The vehicle run-up: street network import, the scenario page, barriers, proposals and the gap analysis."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stoa.assessments.models import ExistingMeasure
from stoa.catalogue.gaps import gap_analysis
from stoa.core.hvm import max_speed, vehicle_dynamics
from stoa.engineering.models import StreetNetwork, VehicleAnalysis
from stoa.engineering.vehicle import import_network
from tests import factories
from tests.assessment_samples import make_assessment
from tests.catalogue_samples import load_catalogue

pytestmark = pytest.mark.django_db

DLAT = 1 / 111_250  # degrees per metre north, near 50.85° N
DLON = 1 / 70_270  # degrees per metre east there
NORTH_GATE = [4.351, 50.8512]  # the access point: middle of the test square's north edge


def _line(name, points, **props):
    return {"type": "Feature", "properties": {"name": name, **props},
            "geometry": {"type": "LineString", "coordinates": points}}


def streets_geojson() -> bytes:
    top = 50.8512 + 300 * DLAT
    return json.dumps({"type": "FeatureCollection", "features": [
        # 300 m straight to the north gate, running on 10 m into the square.
        _line("North street", [[4.351, top], [4.351, 50.8512 + 150 * DLAT], [4.351, 50.8512 - 10 * DLAT]]),
        _line("Top street", [[4.351 - 150 * DLON, top], [4.351, top], [4.351 + 150 * DLON, top]]),
        # Crosses the east edge where there is no access point: a boundary crossing.
        _line("East street", [[4.3520 + 170 * DLON, 50.8506], [4.3520 - 10 * DLON, 50.8506]], maxspeed=30),
    ]}).encode()


@pytest.fixture
def world():
    org = factories.make_org()
    site = factories.make_site(org)
    factories.make_access_point(site, name="North gate", geometry={"type": "Point", "coordinates": NORTH_GATE})
    assessment = make_assessment(site)
    network = import_network(org, "Test town", streets_geojson(), "town.geojson")
    return {"org": org, "site": site, "assessment": assessment, "network": network,
            "scenario": assessment.scenarios.get(threat__ref_id="VEHICLE"),
            "officer": factories.make_user(org), "viewer": factories.make_user(org, role="viewer")}


def _url(scenario):
    return reverse("engineering:vehicle", args=[scenario.pk])


def _post(world, **extra):
    data = {"network": world["network"].pk, "vehicle_classes": ["M1", "N3C"], "surface": "ROADWAY_NORMAL",
            "search_distance_m": "500", "snap_m": "30", "barrier_reach_m": "20", **extra}
    return data


def _run(client, world, **extra):
    client.force_login(world["officer"])
    response = client.post(_url(world["scenario"]), _post(world, **extra))
    assert response.status_code == 302, response.content.decode()[:3000]
    return VehicleAnalysis.objects.get(scenario=world["scenario"])


def test_the_run_finds_the_gate_and_the_crossing_with_speeds_from_the_run_up(client, world):
    analysis = _run(client, world)
    points = {p["name"]: p for p in analysis.results["points"]}
    assert set(points) == {"North gate", "Boundary crossing, East street"}
    car = next(a for a in points["North gate"]["approaches"] if a["class"] == "M1")
    straight = max_speed(300.0, vehicle_dynamics("M1").acceleration_ms2)  # 300 m from rest, no bend
    assert car["speed_ms"] >= straight - 1e-6
    assert car["speed_ms"] <= vehicle_dynamics("M1").top_speed_ms + 1e-6
    assert car["streets"][-1] == "North street"
    assert car["path"][-1] == pytest.approx(NORTH_GATE, abs=2e-6)
    assert len(car["speeds_kmh"]) == len(car["path"]) and car["speeds_kmh"][-1] == pytest.approx(
        car["speed_ms"] * 3.6, abs=0.1)
    page = client.get(_url(world["scenario"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="vehicle-data"' in html and "V/7200[N3C]/" in html
    world["scenario"].refresh_from_db()
    assert world["scenario"].proposed_likelihood == 5  # a car at well over 64 km/h, nothing stops it


def test_respecting_posted_limits_caps_the_crossing_street(client, world):
    free = _run(client, world)
    crossing = lambda a: next(p for p in a.results["points"] if p["kind"] == "crossing")  # noqa: E731
    fast = max(x["speed_ms"] for x in crossing(free)["approaches"])
    capped = _run(client, world, respect_speed_limits="on")
    slow = max(x["speed_ms"] for x in crossing(capped)["approaches"])
    assert slow == pytest.approx(30 / 3.6, abs=0.01) and fast > slow


def test_rated_barriers_at_every_point_lower_the_proposed_likelihood_and_the_gap_analysis_proposes_no_barrier(
        client, world):
    _run(client, world, vehicle_classes=["N3C"])  # a truck at its top speed, 90 km/h: within the rating below
    crossing = next(p for p in VehicleAnalysis.objects.get().results["points"] if p["kind"] == "crossing")
    for name, where in (("Blocker at the gate", NORTH_GATE), ("Blocker east", crossing["lonlat"])):
        client.post(reverse("assessments:measure-add", args=[world["assessment"].pk]), {
            "description": name, "nature": "emplaced", "timing": "structural", "threats": ["VEHICLE"],
            "barrier_rating": "V/7200[N3C]/112/90", "geometry": json.dumps({"type": "Point", "coordinates": where})})
    assert ExistingMeasure.objects.exclude(barrier_rating="").count() == 2
    scenario = world["scenario"]
    scenario.refresh_from_db()
    assert scenario.proposed_likelihood == 1
    page = client.get(_url(scenario))
    assert page.context["outcome"].unstopped_kmh == 0
    load_catalogue()
    scenario.likelihood, scenario.consequence = 5, 5
    scenario.save()
    report = gap_analysis(world["assessment"])
    gap = next(g for g in report.gaps if g.scenario.pk == scenario.pk)
    left_out = {entry.key for entry, _reason in gap.engineering_excluded}
    assert "urn:stoa:measure:rated-fixed-bollards" in left_out
    assert all(p.entry.data.get("barrier_rating") is None for p in gap.proposals)


def test_a_malformed_barrier_rating_is_refused_with_where_it_goes_wrong(client, world):
    client.force_login(world["officer"])
    response = client.post(reverse("assessments:measure-add", args=[world["assessment"].pk]), {
        "description": "Bollards", "nature": "emplaced", "timing": "structural", "threats": ["VEHICLE"],
        "barrier_rating": "V/7200[N9Q]/48/90"})
    assert response.status_code == 400
    assert "This is not a barrier rating Stoa can read" in response.content.decode()
    assert "N9Q" in response.content.decode()
    assert not ExistingMeasure.objects.filter(description="Bollards").exists()


def test_an_unknown_vehicle_class_is_refused_and_nothing_saved(client, world):
    client.force_login(world["officer"])
    response = client.post(_url(world["scenario"]), _post(world, vehicle_classes=["TANK"]))
    assert response.status_code == 400
    assert "TANK" in response.content.decode()
    assert not VehicleAnalysis.objects.exists()


def test_an_analysis_that_cannot_run_leaves_nothing_behind(client, world):
    inside = import_network(world["org"], "Inside only", json.dumps(_line(
        "Inner", [[4.3505, 50.8503], [4.3515, 50.8509]])).encode(), "inner.geojson")
    client.force_login(world["officer"])
    response = client.post(_url(world["scenario"]), _post(world, network=inside.pk))
    assert response.status_code == 400
    assert "no street of the network lies outside the site" in response.content.decode()
    assert not VehicleAnalysis.objects.exists()


def test_a_viewer_sees_the_result_but_cannot_run_and_an_outsider_gets_404(client, world):
    _run(client, world)
    client.force_login(world["viewer"])
    assert client.get(_url(world["scenario"])).status_code == 200
    assert client.post(_url(world["scenario"]), _post(world)).status_code == 403
    client.force_login(factories.make_user(factories.make_org()))
    assert client.get(_url(world["scenario"])).status_code == 404


def test_another_organisations_network_cannot_be_chosen(client, world):
    other = import_network(factories.make_org(), "Theirs", streets_geojson(), "t.geojson")
    client.force_login(world["officer"])
    response = client.post(_url(world["scenario"]), _post(world, network=other.pk))
    assert response.status_code == 400
    assert not VehicleAnalysis.objects.exists()


# ---------------------------------------------------------------- the networks page

def _upload(client, content: bytes, name="streets.geojson"):
    return client.post(reverse("engineering:networks"), {"name": "Centre",
                                                          "file": SimpleUploadedFile(name, content)})


def test_a_street_file_is_imported_and_listed_only_for_its_organisation(client, world):
    client.force_login(world["officer"])
    assert _upload(client, streets_geojson()).status_code == 302
    assert StreetNetwork.objects.filter(organisation=world["org"], name="Centre", segment_count=5).exists()
    assert "Centre" in client.get(reverse("engineering:networks")).content.decode()
    client.force_login(factories.make_user(factories.make_org()))
    page = client.get(reverse("engineering:networks")).content.decode()
    assert "Centre" not in page and "Test town" not in page
    network = StreetNetwork.objects.get(name="Centre")
    assert client.post(reverse("engineering:network-delete", args=[network.pk])).status_code == 404


@pytest.mark.parametrize(("content", "message"), [
    (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
     b'"geometry": {"type": "LineString", "coordinates": [[4.35, 50.85]]}}]}', "feature 0"),
    (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
     b'"geometry": {"type": "LineString", "coordinates": [[4.35, 50.85], [400, 50.86]]}}]}', "400"),
    (b"{not json", "JSON"),
    (b"<osm><way id='7'><nd ref='1'/><nd ref='2'/><tag k='highway' v='residential'/></way></osm>", "way 7"),
])
def test_a_broken_street_file_gets_a_specific_error_and_nothing_is_imported(client, world, content, message):
    client.force_login(world["officer"])
    response = _upload(client, content)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This street file cannot be imported" in html and message in html
    assert not StreetNetwork.objects.filter(name="Centre").exists()


def test_a_viewer_cannot_import_or_delete(client, world):
    client.force_login(world["viewer"])
    assert _upload(client, streets_geojson()).status_code == 403
    assert client.post(reverse("engineering:network-delete", args=[world["network"].pk])).status_code == 403
    assert StreetNetwork.objects.filter(pk=world["network"].pk).exists()


def test_a_network_in_use_is_kept(client, world):
    _run(client, world)
    response = client.post(reverse("engineering:network-delete", args=[world["network"].pk]), follow=True)
    assert "is used by a vehicle run-up analysis" in response.content.decode()
    assert StreetNetwork.objects.filter(pk=world["network"].pk).exists()


def test_a_blast_analysis_proposes_the_scenarios_consequence(client, world):
    factories.make_zone(world["site"])
    factories.make_crowd_slot(world["site"], peak_people=2000)
    scenario = world["assessment"].scenarios.get(threat__ref_id="VBIED")
    client.force_login(world["officer"])
    response = client.post(reverse("engineering:blast", args=[scenario.pk]),
                           {"threat_category": "SUV_VAN", "chart": "NCTC_CURRENT"})
    assert response.status_code == 302
    scenario.refresh_from_db()
    assert scenario.proposed_consequence == 4  # 2,000 people inside the mandatory ring


def test_the_gap_analysis_proposes_only_barriers_rated_for_the_worst_approach_left(client, world):
    analysis = _run(client, world, vehicle_classes=["N3C"], search_distance_m="150")
    worst = max(a["speed_ms"] for p in analysis.results["points"] for a in p["approaches"]) * 3.6
    assert 48 < worst < 80  # a 150 m run-up: above the gates' 48 km/h, below the road blockers' 80
    load_catalogue()
    scenario = world["scenario"]
    scenario.likelihood, scenario.consequence = 5, 5
    scenario.save()
    gap = next(g for g in gap_analysis(world["assessment"]).gaps if g.scenario.pk == scenario.pk)
    left_out = {entry.key: reason for entry, reason in gap.engineering_excluded}
    assert "urn:stoa:measure:rated-vehicle-gates" in left_out
    assert "rated at 48 km/h, below the impact speed" in left_out["urn:stoa:measure:rated-vehicle-gates"]
    assert "urn:stoa:measure:rated-road-blockers" not in left_out
    proposed = {p.entry.key for p in gap.proposals}
    assert not proposed & set(left_out)
