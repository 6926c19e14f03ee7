"""Browser: log in, see the demo city's public spaces on the map, draw a new one, import a file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from stoa.accounts.roles import Action
from stoa.sites.models import Site
from tests.browser.conftest import PageProblems, log_in, screenshot

pytestmark = pytest.mark.browser

SHAPES = "#map path.leaflet-interactive"


def visible_to(username: str) -> int:
    return Site.objects.for_user(get_user_model().objects.get(username=username), Action.VIEW).count()


def test_login_then_the_map_shows_every_demo_space(page: Any, demo: Any, problems: PageProblems) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    log_in(page, "valmont.officer")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.goto("/sites/")
    expected = visible_to("valmont.officer")
    assert expected == demo.site_count >= 8
    expect(page.locator(SHAPES)).to_have_count(expected)
    expect(page.locator("#site-results")).to_contain_text("Grand-Place")
    screenshot(page, "sites-map-officer")


def test_police_see_only_the_spaces_shared_with_them(page: Any, demo: Any, problems: PageProblems) -> None:
    log_in(page, "police.liaison")
    page.goto("/sites/")
    expected = visible_to("police.liaison")
    assert 2 <= expected < demo.site_count
    expect(page.locator(SHAPES)).to_have_count(expected)
    expect(page.locator("#site-results")).not_to_contain_text("Quai des Tanneurs")
    screenshot(page, "sites-map-police")


def test_draw_a_new_space_on_the_map(officer_page: Any) -> None:
    page = officer_page
    page.goto("/sites/new/")
    page.get_by_label("Name").fill("Place du Marché aux Poissons")
    page.get_by_label("Category").select_option(label="Square")
    page.locator(".leaflet-pm-icon-polygon").click()
    box = page.locator("#map").bounding_box()
    assert box is not None
    corners = [(0.62, 0.62), (0.80, 0.60), (0.82, 0.80), (0.64, 0.82)]
    points = [(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy) for fx, fy in corners]
    for x, y in points:
        page.mouse.click(x, y)
    page.mouse.click(*points[0])  # clicking the first corner again closes the outline
    expect(page.locator("#id_boundary")).to_have_value(re.compile('"Polygon"'))
    screenshot(page, "site-drawn")
    page.get_by_role("button", name="Save the public space").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Place du Marché aux Poissons")

    site = Site.objects.get(name="Place du Marché aux Poissons")
    assert site.organisation.slug == "valmont-sur-lys"
    assert site.category.ref_id == "SQUARE"
    assert site.boundary is not None
    ring = site.boundary["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    assert site.area_m2 and site.area_m2 > 100
    screenshot(page, "site-created")


def feature(name: str, category: str, lon: float, lat: float) -> dict[str, Any]:
    d = 0.0004
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d * 0.6], [lon, lat + d * 0.6], [lon, lat]]
    return {"type": "Feature", "properties": {"name": name, "category": category},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_import_a_geojson_file(officer_page: Any, problems: PageProblems, tmp_path: Path) -> None:
    page = officer_page
    problems.allow("status of 400")  # the refused file is answered with 400 Bad Request, as it should be
    before = Site.objects.count()
    bad = tmp_path / "broken.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [
        feature("Marché couvert", "SHOPPING", 2.6790, 50.6480), feature("", "NO_SUCH_CATEGORY", 2.6800, 50.6490),
    ]}), encoding="utf-8")
    page.goto("/sites/import/")
    page.get_by_label("File to import").set_input_files(str(bad))
    page.get_by_role("button", name="Import the file").click()
    expect(page.locator("#import-problems")).to_contain_text("NO_SUCH_CATEGORY")
    assert Site.objects.count() == before  # refused whole
    screenshot(page, "import-refused")

    good = tmp_path / "valmont-extra.geojson"
    good.write_text(json.dumps({"type": "FeatureCollection", "features": [
        feature("Marché couvert", "SHOPPING", 2.6790, 50.6480), feature("Stade des Berges", "Square", 2.6900, 50.6470),
    ]}), encoding="utf-8")
    page.get_by_label("File to import").set_input_files(str(good))
    page.get_by_role("button", name="Import the file").click()
    expect(page.get_by_role("status").filter(has_text="2 public spaces imported")).to_be_visible()
    assert Site.objects.count() == before + 2
    assert set(Site.objects.filter(name__in=["Marché couvert", "Stade des Berges"])
               .values_list("organisation__slug", flat=True)) == {"valmont-sur-lys"}
    page.goto("/sites/")
    expect(page.locator(SHAPES)).to_have_count(before + 2)
    screenshot(page, "import-done")
