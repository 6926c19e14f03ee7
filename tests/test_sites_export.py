"""Exporting sites as GeoJSON and CSV, and reading the export back in unchanged."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from stoa.sites.models import Site
from stoa.sites.services import csv_format, exports
from stoa.sites.services.imports import import_sites
from tests import factories
from tests.site_samples import make_categories, square_at

pytestmark = pytest.mark.django_db

COMPARED = ("name", "category", "category_name", "ownership", "owner_name", "description", "surroundings",
            "symbolic_value", "area_m2")


@pytest.fixture
def categories(db: Any) -> list[Any]:
    return make_categories()


@pytest.fixture
def inventory(org: Any, categories: Any) -> list[Site]:
    square, hub = categories
    return [
        factories.make_site(org, name="Market Square", category=square, ownership="mixed", owner_name="City",
                            description="Weekly market,\nwith \"quotes\"", surroundings="Town hall", symbolic_value=3),
        factories.make_site(org, name="Central Station", category=hub, boundary=square_at(0.01),
                            priority_override=90, priority_justification="National rail node"),
        factories.make_site(org, name="Cathedral forecourt", category=square, boundary=None, lon=4.36, lat=50.851),
        factories.make_site(org, name="=HYPERLINK(\"http://x\")", category=square, boundary=None),
    ]


def test_geojson_holds_every_property_the_contract_names(org, inventory):
    data = exports.export_geojson(Site.objects.filter(organisation=org))
    assert data["type"] == "FeatureCollection" and data["classification"] == "RESTRICTED"
    by_name = {f["properties"]["name"]: f for f in data["features"]}
    market = by_name["Market Square"]
    assert set(market["properties"]) == set(exports.PROPERTIES)
    assert market["geometry"] == factories.SQUARE
    assert market["properties"]["id"] == market["id"] == str(inventory[0].pk)
    assert (market["properties"]["category"], market["properties"]["category_name"]) == ("SQUARE", "Square")
    assert market["properties"]["area_m2"] == inventory[0].area_m2 > 0
    assert by_name["Central Station"]["properties"]["priority"] == 90
    assert by_name["Cathedral forecourt"]["geometry"] == {"type": "Point", "coordinates": [4.36, 50.851]}
    assert by_name['=HYPERLINK("http://x")']["geometry"] is None


def test_geojson_only_holds_the_given_sites(org, other_org, inventory, categories):
    factories.make_site(other_org, name="Elsewhere square", category=categories[0])
    names = [f["properties"]["name"] for f in exports.export_geojson(Site.objects.filter(organisation=org))["features"]]
    assert "Elsewhere square" not in names and len(names) == 4


def test_csv_has_a_header_and_the_boundary_as_geojson_text(org, inventory):
    rows = list(csv.DictReader(io.StringIO(exports.export_csv(Site.objects.filter(organisation=org)))))
    assert list(rows[0]) == list(exports.CSV_COLUMNS)
    by_name = {csv_format.unescape_cell(r["name"]): r for r in rows}
    assert json.loads(by_name["Market Square"]["boundary"]) == factories.SQUARE
    assert by_name["Market Square"]["description"] == "Weekly market,\nwith \"quotes\""
    assert (by_name["Cathedral forecourt"]["boundary"], by_name["Cathedral forecourt"]["lon"]) == ("", "4.36")
    assert by_name["Central Station"]["priority"] == "90"


def test_csv_defuses_cells_a_spreadsheet_would_run_as_formulas(org, inventory):
    text = exports.export_csv(Site.objects.filter(organisation=org))
    assert "'=HYPERLINK" in text
    assert all(not r["name"].startswith("=") for r in csv.DictReader(io.StringIO(text)))


def test_the_csv_columns_are_exactly_what_an_import_knows():
    assert set(exports.CSV_COLUMNS) == set(csv_format.KNOWN_COLUMNS)


def _comparable(collection: dict[str, Any]) -> dict[str, Any]:
    return {f["properties"]["name"]: ({k: f["properties"][k] for k in COMPARED}, f["geometry"])
            for f in collection["features"]}


@pytest.mark.parametrize(("fmt", "filename"), [("geojson", "export.geojson"), ("csv", "export.csv")])
def test_an_export_imports_back_unchanged(org, other_org, inventory, fmt, filename):
    original = exports.export_geojson(Site.objects.filter(organisation=org))
    if fmt == "geojson":
        data = json.dumps(original).encode()
    else:
        data = exports.export_csv(Site.objects.filter(organisation=org)).encode()
    assert import_sites(other_org, data, filename).count == len(inventory)
    copy = exports.export_geojson(Site.objects.filter(organisation=other_org))
    assert _comparable(copy) == _comparable(original)
    assert {f["properties"]["organisation"] for f in copy["features"]} == {other_org.slug}
