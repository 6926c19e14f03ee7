"""Importing sites: a good file creates them all; a bad one is refused whole, naming row/feature and field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import IntegrityError

from stoa.library.models import ReferenceObject
from stoa.sites.models import Site
from stoa.sites.services.imports import ImportRejected, Problem, import_sites
from tests import factories
from tests.site_samples import BOW_TIE, OUTLINE, POINT, SQUARE, make_categories, square_at, swapped

pytestmark = pytest.mark.django_db


@pytest.fixture
def categories(db: Any) -> list[ReferenceObject]:
    return make_categories()


@pytest.fixture
def city(org: Any) -> Any:
    org.outline = OUTLINE
    org.save()
    return org


def feature(geometry: Any = SQUARE, **properties: Any) -> dict[str, Any]:
    properties.setdefault("name", "Market Square")
    properties.setdefault("category", "SQUARE")
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def collection(*features: dict[str, Any]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def refused(org: Any, data: bytes, filename: str = "sites.geojson") -> list[Problem]:
    """Import DATA expecting a refusal; prove nothing was written, not even an audit entry."""
    before = (Site.objects.count(), LogEntry.objects.count())
    with pytest.raises(ImportRejected) as info:
        import_sites(org, data, filename)
    assert (Site.objects.count(), LogEntry.objects.count()) == before
    assert info.value.problems
    return info.value.problems


def where(problems: list[Problem]) -> set[tuple[str, str]]:
    return {(p.location, p.field) for p in problems}


# -- good files -------------------------------------------------------------------------------


def test_geojson_creates_every_site_with_its_fields(city, categories, officer):
    data = collection(
        feature(name="Market Square", category="square", description="Weekly market", ownership="mixed",
                owner_name="City of Valmont", surroundings="Town hall to the north", symbolic_value=3),
        feature(square_at(0.01), name="Central Station", category="Transport hub"),
        feature(POINT, name="Cathedral forecourt", category="Place publique", symbolic_value="2"),
        feature(None, name="Riverside (to be drawn)"),
    )
    result = import_sites(city, data, "valmont.geojson", user=officer)
    assert result.count == 4
    market = Site.objects.get(name="Market Square")
    assert (market.organisation, market.category.ref_id, market.ownership, market.symbolic_value) == (
        city, "SQUARE", "mixed", 3)
    assert (market.description, market.owner_name, market.surroundings) == (
        "Weekly market", "City of Valmont", "Town hall to the north")
    assert market.boundary == SQUARE and market.area_m2 > 18_000
    assert Site.objects.get(name="Central Station").category.ref_id == "TRANSPORT_HUB"
    forecourt = Site.objects.get(name="Cathedral forecourt")
    assert (forecourt.boundary, forecourt.lon, forecourt.lat) == (None, 4.351, 50.8506)
    assert forecourt.category.ref_id == "SQUARE" and forecourt.symbolic_value == 2
    assert Site.objects.get(name="Riverside (to be drawn)").lon is None


def test_the_importing_user_is_recorded_in_the_audit_trail(city, categories, officer):
    import_sites(city, collection(feature()), "a.geojson", user=officer)
    entry = LogEntry.objects.get(object_pk=str(Site.objects.get().pk), action=LogEntry.Action.CREATE)
    assert entry.actor == officer


def test_csv_with_bom_semicolons_and_decimal_commas(city, categories):
    boundary_cell = '"' + json.dumps(SQUARE).replace('"', '""') + '"'  # quoted as a spreadsheet writes it
    rows = [
        "name;category;description;ownership;owner_name;surroundings;symbolic_value;boundary;lon;lat",
        f"Market Square;SQUARE;Weekly market;public;City;Shops;2;{boundary_cell};;",
        "Cathedral forecourt;square;;private;Diocese;;;;4,351;50,8506",
    ]
    data = ("\ufeff" + "\r\n".join(rows) + "\r\n").encode()
    assert import_sites(city, data, "sites.csv").count == 2
    assert Site.objects.get(name="Market Square").boundary == SQUARE
    forecourt = Site.objects.get(name="Cathedral forecourt")
    assert (forecourt.lon, forecourt.lat, forecourt.ownership, forecourt.symbolic_value) == (
        4.351, 50.8506, "private", 1)


def test_csv_without_bom_and_commas_is_read_too(city, categories):
    data = b"name,category,lon,lat\nMarket Square,SQUARE,4.351,50.8506\n\nStation,TRANSPORT_HUB,4.36,50.85\n"
    assert import_sites(city, data, "sites.csv").count == 2


def test_the_format_is_recognised_by_content_when_the_name_does_not_tell(city, categories):
    assert import_sites(city, collection(feature()), "upload").count == 1
    assert import_sites(city, b"name,category\nStation,SQUARE\n", "upload").count == 1


# -- bad files: each refused whole, naming where and which field ------------------------------


def test_broken_json_is_refused(org, categories):
    problems = refused(org, b'{"type": "FeatureCollection", "features": [')
    assert where(problems) == {("file", "JSON")}
    assert "line 1" in problems[0].message


def test_a_file_that_is_not_a_feature_collection_is_refused(org, categories):
    assert where(refused(org, json.dumps(feature()).encode())) == {("file", "type")}
    assert where(refused(org, b"[1, 2]")) == {("file", "type")}
    assert where(refused(org, b'{"type": "FeatureCollection", "features": {}}')) == {("file", "features")}


def test_a_feature_that_is_not_a_feature_is_refused(org, categories):
    problems = refused(org, collection(feature(), {"type": "Polygon", "coordinates": []}))
    assert where(problems) == {("feature 2", "type")}


def test_a_self_crossing_polygon_is_refused(city, categories):
    problems = refused(city, collection(feature(), feature(BOW_TIE, name="Bow tie")))
    assert where(problems) == {("feature 2", "geometry")}
    assert "crosses itself" in problems[0].message


def test_an_invalid_polygon_is_refused(org, categories):
    too_short = {"type": "Polygon", "coordinates": [[[4.35, 50.85], [4.36, 50.85], [4.35, 50.85]]]}
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]}
    problems = refused(org, collection(feature(too_short, name="A"), feature(multi, name="B"),
                                       feature({"type": "Polygon"}, name="C")))
    assert where(problems) == {("feature 1", "geometry"), ("feature 2", "geometry"), ("feature 3", "geometry")}
    assert "MultiPolygon" in problems[1].message


def test_a_feature_without_a_geometry_member_is_refused(org, categories):
    problems = refused(org, collection({"type": "Feature", "properties": {"name": "X", "category": "SQUARE"}}))
    assert where(problems) == {("feature 1", "geometry")}


def test_an_unknown_category_is_refused_naming_the_valid_ones(org, categories):
    problems = refused(org, collection(feature(), feature(square_at(0.01), name="Car park", category="PARKING")))
    assert where(problems) == {("feature 2", "category")}
    assert "PARKING" in problems[0].message and "TRANSPORT_HUB" in problems[0].message


def test_a_missing_name_or_category_is_refused(org, categories):
    problems = refused(org, collection(feature(name=""), feature(square_at(0.01), name="  "),
                                       feature(square_at(0.02), name="X", category=None)))
    assert where(problems) == {("feature 1", "name"), ("feature 2", "name"), ("feature 3", "category")}


def test_coordinates_outside_the_range_are_refused(org, categories):
    far = {"type": "Polygon", "coordinates": [[[200, 50], [201, 50], [201, 51], [200, 50]]]}
    problems = refused(org, collection(feature(far)))
    assert where(problems) == {("feature 1", "geometry")}
    assert "outside" in problems[0].message


def test_latitude_first_is_caught_against_the_city_outline(city, categories):
    problems = refused(city, collection(feature(), feature(swapped(square_at(0.01)), name="Station")))
    assert where(problems) == {("feature 2", "geometry")}
    assert "latitude, longitude order" in problems[0].message


def test_latitude_first_is_caught_against_existing_sites_without_an_outline(org, categories):
    factories.make_site(org, name="Town hall", category=categories[0])
    assert org.outline is None
    problems = refused(org, collection(feature(swapped(square_at(0.01)), name="Station")))
    assert where(problems) == {("feature 1", "geometry")}
    assert "latitude, longitude order" in problems[0].message


def test_a_point_in_latitude_longitude_order_is_caught_in_csv(city, categories):
    problems = refused(city, b"name,category,lon,lat\nStation,SQUARE,50.85,4.35\n", "s.csv")
    assert where(problems) == {("row 2", "lon/lat")}
    assert "swapped" in problems[0].message


@pytest.mark.parametrize("value", [0, 4, "high", 2.5, True, [1]])
def test_a_bad_symbolic_value_is_refused(org, categories, value):
    assert where(refused(org, collection(feature(symbolic_value=value)))) == {("feature 1", "symbolic_value")}


def test_a_bad_owner_type_is_refused(org, categories):
    assert where(refused(org, collection(feature(ownership="municipal")))) == {("feature 1", "ownership")}


def test_text_where_text_is_expected(org, categories):
    assert where(refused(org, collection(feature(description={"a": 1})))) == {("feature 1", "description")}


def test_a_name_used_twice_in_the_file_is_refused(org, categories):
    problems = refused(org, collection(feature(name="Market Square"), feature(square_at(0.01), name="market  square")))
    assert where(problems) == {("feature 2", "name")}
    assert "feature 1" in problems[0].message


def test_a_name_the_organisation_already_uses_is_refused(org, categories):
    factories.make_site(org, name="Market Square", category=categories[0])
    assert where(refused(org, collection(feature(name="Market square")))) == {("feature 1", "name")}


def test_the_same_name_in_another_organisation_is_fine(org, other_org, categories):
    factories.make_site(other_org, name="Market Square", category=categories[0])
    assert import_sites(org, collection(feature()), "a.geojson").count == 1


def test_an_unknown_csv_column_is_refused(org, categories):
    problems = refused(org, b"name,category,colour\nStation,SQUARE,red\n", "s.csv")
    assert where(problems) == {("row 1", "colour")}


def test_csv_header_problems_are_all_reported(org, categories):
    problems = refused(org, b"title,lon,lon\nStation,4.35,4.35\n", "s.csv")
    assert where(problems) == {("row 1", "title"), ("row 1", "lon"), ("row 1", "name"), ("row 1", "category"),
                               ("row 1", "lat")}


def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them(org, categories):
    data = b"name,category,symbolic_value,boundary,lon,lat\nA,SQUARE,1,,,\nB,SQUARE,9,,,\n,SQUARE,,,,\n" \
           b"D,SQUARE,,{not json,,\nE,SQUARE,,,4.35,\nF,SQUARE,,,4.35,50.85,extra\n"
    problems = refused(org, data, "s.csv")
    assert where(problems) == {("row 3", "symbolic_value"), ("row 4", "name"), ("row 5", "boundary"),
                               ("row 6", "lat"), ("row 7", "columns")}


def test_an_empty_file_is_refused(org, categories):
    assert where(refused(org, b"")) == {("file", "file")}
    assert where(refused(org, b"\xef\xbb\xbf \n", "s.csv")) == {("file", "file")}
    assert where(refused(org, b"name,category\n", "s.csv")) == {("file", "file")}
    assert where(refused(org, b'{"type": "FeatureCollection", "features": []}')) == {("file", "features")}


def test_a_file_over_the_size_limit_is_refused(org, categories, settings):
    settings.MAX_UPLOAD_BYTES = 100
    assert where(refused(org, collection(feature(), feature(name="B")))) == {("file", "size")}


def test_a_file_that_is_not_utf8_is_refused(org, categories):
    assert where(refused(org, "name,category\nPlace de l'Hôtel,SQUARE\n".encode("latin-1"), "s.csv")) == {
        ("file", "encoding")}


def test_a_file_in_another_coordinate_system_is_refused(org, categories):
    data = json.dumps({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:3857"}},
                       "features": [feature()]}).encode()
    assert where(refused(org, data)) == {("file", "crs")}


def test_every_problem_is_reported_and_the_good_features_are_not_written(city, categories):
    problems = refused(city, collection(
        feature(name="Good one"),
        feature(BOW_TIE, name="", category="PARKING", symbolic_value=9),
        feature(swapped(square_at(0.01)), name="Station"),
    ))
    assert where(problems) == {("feature 2", "name"), ("feature 2", "category"), ("feature 2", "symbolic_value"),
                               ("feature 2", "geometry"), ("feature 3", "geometry")}
    assert all(str(p).startswith(p.location) for p in problems)


def test_a_failure_while_writing_leaves_nothing_behind(org, categories, monkeypatch):
    original = Site.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self.name)
        if len(calls) == 2:
            raise IntegrityError("simulated failure on the second site")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Site, "save", failing_save)
    with pytest.raises(IntegrityError):
        import_sites(org, collection(feature(name="A"), feature(square_at(0.01), name="B")), "a.geojson")
    assert calls == ["A", "B"]
    assert not Site.objects.exists()
