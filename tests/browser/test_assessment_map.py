"""Browser: existing measures and scenario locations drawn on the assessment map, typed as text,
stored, and shown read-only once the assessment has left draft."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from stoa.assessments.models import Assessment, ExistingMeasure, Scenario, Status
from stoa.assessments.services import create_assessment
from stoa.core import geometry
from stoa.sites.models import Site
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def assessment(demo: Any) -> Assessment:
    site = Site.objects.get(name="Grand-Place", organisation__slug="valmont-sur-lys")
    return create_assessment(site, user=get_user_model().objects.get(username="valmont.officer"))


def click_map(page: Any, *fractions: tuple[float, float]) -> list[tuple[float, float]]:
    box = page.locator("#assessment-map").bounding_box()
    assert box is not None
    points = [(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy) for fx, fy in fractions]
    for x, y in points:
        page.mouse.click(x, y)
    return points


def near_site(geom: dict[str, Any], site: Site) -> bool:
    """The stored shape lies where the map showed the site (a few hundred metres at most)."""
    lon, lat = geometry.centroid(geometry.parse(geom, ("Point", "Polygon")))
    assert site.lon is not None and site.lat is not None
    return abs(lon - site.lon) < 0.01 and abs(lat - site.lat) < 0.01


def test_a_measure_point_is_drawn_on_the_map_and_stored(officer_page: Any, assessment: Assessment) -> None:
    page = officer_page
    page.goto(f"/assessments/{assessment.pk}/measures/")
    expect(page.locator("#assessment-map .ap-marker").first).to_be_visible()  # the site's access points as context
    expect(page.locator("#assessment-map-legend")).to_contain_text("Existing measure")
    page.get_by_label("Description").fill("Planters along the tram edge")
    page.locator("input[name=threats][value=VEHICLE]").check()
    page.get_by_role("button", name=re.compile("^Place a point on the map")).click()
    expect(page.locator("[data-draw-status]")).to_contain_text("place the point")
    click_map(page, (0.30, 0.30))
    expect(page.locator("#id_geometry")).to_have_value(re.compile('"Point"'))
    expect(page.get_by_role("button", name=re.compile("^Place a point on the map"))).to_be_focused()
    screenshot(page, "assessment-measure-drawn")
    page.get_by_role("button", name="Record the measure").click()
    row = page.locator("#measures-table tr").filter(has_text="Planters along the tram edge")
    expect(row).to_contain_text("M1 (point)")

    measure = ExistingMeasure.objects.get(assessment=assessment)
    assert measure.geometry["type"] == "Point" and measure.threats == ["VEHICLE"]
    assert near_site(measure.geometry, assessment.site)
    expect(page.locator("#assessment-map .am-measure")).to_have_text("M1")
    expect(page.locator("#assessment-map-items")).to_contain_text("Planters along the tram edge")
    screenshot(page, "assessment-measure-stored")


def test_a_scenario_area_is_drawn_and_a_point_typed(officer_page: Any, assessment: Assessment) -> None:
    page = officer_page
    vehicle = assessment.scenarios.get(threat__ref_id="VEHICLE")
    firearms = assessment.scenarios.get(threat__ref_id="FIREARMS")
    page.goto(f"/assessments/{assessment.pk}/scenarios/")
    card = page.locator(f"#s-{vehicle.pk}")
    card.get_by_label("Scenario", exact=True).fill("A van leaves Rue Neuve and drives into the market stalls.")
    card.get_by_role("button", name=re.compile("^Draw an area on the map")).click()
    corners = click_map(page, (0.20, 0.20), (0.40, 0.20), (0.40, 0.40), (0.20, 0.40))
    page.mouse.click(*corners[0])  # the first corner again closes the area
    field = page.locator(f"#id_{vehicle.pk}-geometry")
    expect(field).to_have_value(re.compile('"Polygon"'))
    screenshot(page, "assessment-scenario-drawn")
    card.get_by_role("button", name=re.compile("^Save this scenario")).click()
    expect(page.locator(f"#s-{vehicle.pk}")).to_contain_text("Saved.")

    vehicle.refresh_from_db()
    assert vehicle.geometry["type"] == "Polygon"
    ring = vehicle.geometry["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    assert near_site(vehicle.geometry, assessment.site)
    assert vehicle.narrative.startswith("A van leaves Rue Neuve")
    expect(page.locator("#assessment-map .am-label-scenario")).to_have_count(1)

    # The keyboard alternative: the location typed as "longitude, latitude".
    other = page.locator(f"#s-{firearms.pk}")
    other.get_by_text("Enter the location as text").click()
    typed = other.get_by_label("location on the map")
    typed.fill(f"{assessment.site.lon:.6f}, {assessment.site.lat:.6f}")
    typed.press("Tab")
    other.get_by_role("button", name=re.compile("^Save this scenario")).click()
    expect(page.locator(f"#s-{firearms.pk}")).to_contain_text("Saved.")
    firearms.refresh_from_db()
    assert firearms.geometry["type"] == "Point"
    expect(page.locator("#assessment-map .am-scenario")).to_have_count(1)
    screenshot(page, "assessment-scenarios-stored")

    # Latitude first is refused with a specific message and nothing changes.
    page.locator(f"#s-{firearms.pk}").get_by_text("Enter the location as text").click()
    typed = page.locator(f"#s-{firearms.pk}").get_by_label("location on the map")
    typed.fill(f"{assessment.site.lat:.6f}, {assessment.site.lon:.6f}")
    page.locator(f"#s-{firearms.pk}").get_by_role("button", name=re.compile("^Save this scenario")).click()
    expect(page.locator(f"#s-{firearms.pk}")).to_contain_text("latitude, longitude order")
    firearms.refresh_from_db()
    assert firearms.geometry["coordinates"][0] == pytest.approx(assessment.site.lon, abs=1e-5)


def test_a_submitted_assessment_shows_the_map_without_drawing(officer_page: Any, assessment: Assessment) -> None:
    page = officer_page
    here = {"type": "Point", "coordinates": [assessment.site.lon, assessment.site.lat]}
    ExistingMeasure.objects.create(assessment=assessment, description="Retractable bollards", geometry=here)
    Scenario.objects.filter(assessment=assessment, threat__ref_id="IED").update(
        geometry={"type": "Point", "coordinates": [assessment.site.lon + 0.0003, assessment.site.lat]})
    Assessment.objects.filter(pk=assessment.pk).update(status=Status.SUBMITTED)
    page.goto(f"/assessments/{assessment.pk}/measures/")
    expect(page.locator("#assessment-map .am-measure")).to_have_text("M1")
    expect(page.locator("#assessment-map .am-scenario")).to_have_count(1)
    expect(page.get_by_role("button", name="Record the measure")).to_have_count(0)
    expect(page.locator(".leaflet-pm-toolbar, [data-draw]")).to_have_count(0)
    page.goto(f"/assessments/{assessment.pk}/scenarios/")
    expect(page.locator("[data-draw]")).to_have_count(0)
    expect(page.locator("#assessment-map .am-scenario")).to_have_count(1)
    screenshot(page, "assessment-map-readonly")
