"""The site pages: list and map, create and edit with a drawn boundary, import and export, and the
overview. The site page with its parts is in test_pages_site_detail.py; who may do what is covered
in test_pages_access_matrix.py. Here each page is checked to work, and to refuse what it must."""

from __future__ import annotations

import json
import os

import pytest
from django.urls import reverse

from stoa.sites.models import Attachment, Site
from tests import factories

pytestmark = pytest.mark.django_db

CROSSING = {"type": "Polygon", "coordinates": [[[4.350, 50.850], [4.352, 50.852], [4.352, 50.850],
                                                [4.350, 50.852], [4.350, 50.850]]]}
PNG = factories.PNG  # a real picture: uploads are re-encoded
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def categories(db):
    from stoa.library.loader import load_shipped

    load_shipped()


def login(client, user):
    client.force_login(user)
    return client


def upload(name, content, content_type="application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def site_form(category, **overrides):
    data = {
        "name": "Station Forecourt", "category": category.pk, "description": "", "ownership": "public",
        "owner_name": "", "boundary": json.dumps(factories.SQUARE), "surroundings": "", "symbolic_value": "2",
        "priority_override": "", "priority_justification": "",
    }
    data.update(overrides)
    return data


# --- list and map -----------------------------------------------------------------------------

def test_list_shows_own_and_shared_sites_on_the_map_and_in_the_table(client, org, other_org, officer, site):
    theirs = factories.make_site(other_org, name="Harbour Quay")
    factories.share(theirs, org)
    hidden = factories.make_site(other_org, name="Secret Depot")
    page = login(client, officer).get(reverse("sites:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="map"' in html and "Market Square" in html and "Harbour Quay" in html
    assert "shared by Elsewhere" in html
    assert hidden.name not in html
    assert f'data-url="{reverse("sites:map-data")}"' in html  # the map loads its shapes from there
    features = client.get(page.context["map_url"]).json()
    assert {f["properties"]["name"] for f in features["features"]} == {"Market Square", "Harbour Quay"}


def test_list_search_filter_and_sort_answer_htmx_with_the_table_only(client, org, officer, categories):
    from stoa.library.models import ReferenceObject

    square = ReferenceObject.objects.get(kind="psoi_category", ref_id="SQUARE")
    station = ReferenceObject.objects.get(kind="psoi_category", ref_id="TRANSPORT_HUB")
    factories.make_site(org, name="Town Square", category=square)
    big = factories.make_site(org, name="Central Station", category=station, symbolic_value=3)
    factories.make_crowd_slot(big, typical_people=4000, peak_people=9000)
    login(client, officer)
    found = client.get(reverse("sites:list"), {"q": "station"}, HTTP_HX_REQUEST="true")
    assert found.status_code == 200
    assert "<html" not in found.content.decode()
    assert [s.name for s in found.context["sites"]] == ["Central Station"]
    by_category = client.get(reverse("sites:list"), {"category": "SQUARE"}, HTTP_HX_REQUEST="true")
    assert [s.name for s in by_category.context["sites"]] == ["Town Square"]
    by_priority = client.get(reverse("sites:list"), {"sort": "-priority"})
    assert [s.name for s in by_priority.context["sites"]] == ["Central Station", "Town Square"]
    assert 'aria-sort="descending"' in by_priority.content.decode()


def test_list_filter_ours_or_shared(client, org, other_org, officer, site):
    theirs = factories.make_site(other_org, name="Harbour Quay")
    factories.share(theirs, org)
    login(client, officer)
    page = client.get(reverse("sites:list"))
    choices = dict(page.context["listing"].form.fields["organisation"].choices)
    assert choices[org.slug] == "Ours: Valmont" and choices[other_org.slug] == "Shared by Elsewhere"
    shared_only = client.get(reverse("sites:list"), {"organisation": other_org.slug})
    assert [s.name for s in shared_only.context["sites"]] == ["Harbour Quay"]


def test_empty_state_tells_a_new_city_what_to_do_first(client, officer):
    page = login(client, officer).get(reverse("sites:list"))
    html = page.content.decode()
    assert "No public spaces for Valmont yet" in html
    assert reverse("sites:create") in html and reverse("sites:import") in html and "stoa demo" in html
    assert 'id="map"' not in html


def test_empty_state_for_a_viewer_offers_no_buttons_they_cannot_use(client, viewer):
    html = login(client, viewer).get(reverse("sites:list")).content.decode()
    assert "Your role lets you read the inventory" in html
    assert reverse("sites:create") not in html


def test_map_uses_tiles_only_when_configured(client, settings, officer, site):
    login(client, officer)
    assert client.get(reverse("sites:list")).context["map_config"]["tile_url"] == ""
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "Example tiles"
    config = client.get(reverse("sites:list")).context["map_config"]
    assert config["tile_url"].startswith("https://tiles.example.org") and config["tile_attribution"] == "Example tiles"


# --- create and edit --------------------------------------------------------------------------

def test_create_with_a_drawn_polygon(client, org, officer):
    category = factories.category()
    response = login(client, officer).post(reverse("sites:create"), site_form(category))
    created = Site.objects.get(name="Station Forecourt")
    assert response.status_code == 302 and response["Location"] == reverse("sites:detail", args=[created.pk])
    assert created.organisation == org and created.boundary == factories.SQUARE
    assert 15_000 < created.area_m2 < 25_000


def test_self_crossing_polygon_is_refused_with_a_clear_message(client, officer):
    category = factories.category()
    response = login(client, officer).post(reverse("sites:create"), site_form(category, boundary=json.dumps(CROSSING)))
    assert response.status_code == 200
    assert "The outline crosses itself" in response.content.decode()
    assert not Site.objects.exists()


def test_missing_boundary_and_broken_text_are_refused(client, officer):
    category = factories.category()
    login(client, officer)
    missing = client.post(reverse("sites:create"), site_form(category, boundary=""))
    assert "Draw the outline of the space on the map" in missing.content.decode()
    broken = client.post(reverse("sites:create"), site_form(category, boundary="{not json"))
    assert "not valid GeoJSON text" in broken.content.decode()
    assert not Site.objects.exists()


def test_coordinates_in_latitude_longitude_order_are_caught(client, org, officer):
    org.outline = factories.SQUARE
    org.save()
    swapped = {"type": "Polygon", "coordinates": [[[y, x] for x, y in factories.SQUARE["coordinates"][0]]]}
    response = login(client, officer).post(reverse("sites:create"),
                                           site_form(factories.category(), boundary=json.dumps(swapped)))
    assert "latitude, longitude order" in response.content.decode()
    assert not Site.objects.exists()


def test_override_needs_a_justification_and_names_stay_unique(client, officer, site):
    login(client, officer)
    response = client.post(reverse("sites:create"), site_form(factories.category(), priority_override="80"))
    assert "Say why the computed priority is overridden." in response.content.decode()
    duplicate = client.post(reverse("sites:create"), site_form(factories.category(), name="market square"))
    assert "already has a public space called" in duplicate.content.decode()
    assert Site.objects.count() == 1


def test_edit_changes_the_boundary_and_keeps_the_organisation(client, org, officer, site):
    bigger = {"type": "Polygon", "coordinates": [[[4.35, 50.85], [4.355, 50.85], [4.355, 50.853], [4.35, 50.853],
                                                  [4.35, 50.85]]]}
    form = site_form(site.category, name="Market Square", boundary=json.dumps(bigger))
    response = login(client, officer).post(reverse("sites:edit", args=[site.pk]), form)
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.boundary == bigger and site.organisation == org and site.area_m2 > 70_000


def test_a_site_known_only_as_a_point_can_be_edited_without_drawing_an_outline(client, org, officer):
    point_only = factories.make_site(org, name="Kiosk", boundary=None)
    Site.objects.filter(pk=point_only.pk).update(lon=4.351, lat=50.851)
    response = login(client, officer).post(reverse("sites:edit", args=[point_only.pk]),
                                           site_form(point_only.category, name="Kiosk corner", boundary=""))
    assert response.status_code == 302
    point_only.refresh_from_db()
    assert point_only.name == "Kiosk corner" and point_only.boundary is None and point_only.lon == 4.351


def test_delete_removes_the_site_and_its_files(client, officer, site, django_capture_on_commit_callbacks):
    login(client, officer)
    client.post(reverse("sites:attachment-add", args=[site.pk]), {
        "attachment-kind": "photo", "attachment-title": "North side", "attachment-file": upload("n.png", PNG)})
    stored = Attachment.objects.get().file.path
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sites:delete", args=[site.pk]))
    assert response.status_code == 302 and not Site.objects.exists()
    assert not os.path.exists(stored)


# --- import and export ------------------------------------------------------------------------

def test_import_page_refuses_a_bad_file_with_its_problems_and_writes_nothing(client, officer, categories, site):
    bad = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "", "category": "SQUARE"}, "geometry": factories.SQUARE},
        {"type": "Feature", "properties": {"name": "Crossed", "category": "SQUARE"}, "geometry": CROSSING},
        {"type": "Feature", "properties": {"name": "Fine", "category": "NOPE"}, "geometry": factories.SQUARE},
    ]}
    before = Site.objects.count()
    response = login(client, officer).post(reverse("sites:import"), {
        "file": upload("bad.geojson", json.dumps(bad).encode())})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="import-problems"' in html and "Nothing was imported" in html
    assert "feature 1" in html and "feature 2" in html and "feature 3" in html
    assert len(response.context["problems"]) >= 3
    assert Site.objects.count() == before


def test_import_page_imports_a_good_file_and_returns_to_the_list(client, org, officer, categories):
    good = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Quay", "category": "SQUARE"}, "geometry": factories.SQUARE}]}
    response = login(client, officer).post(reverse("sites:import"), {
        "file": upload("good.geojson", json.dumps(good).encode())}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("sites:list")
    assert "1 public space imported" in response.content.decode()
    assert Site.objects.get().organisation == org


def test_import_page_refuses_other_file_types(client, officer):
    response = login(client, officer).post(reverse("sites:import"), {"file": upload("sites.xlsx", b"PK\x03\x04")})
    assert response.status_code == 400 and "Choose a .geojson, .json or .csv file." in response.content.decode()


def test_viewer_may_export_but_not_import(client, viewer, site):
    login(client, viewer)
    page = client.get(reverse("sites:import"))
    assert page.status_code == 200 and "Export as GeoJSON" in page.content.decode()
    assert 'type="file"' not in page.content.decode()
    assert client.post(reverse("sites:import"), {"file": upload("x.csv", b"name\n")}).status_code == 403


def test_export_holds_only_what_the_user_may_see(client, officer, other_org, site):
    factories.make_site(other_org, name="Secret Depot")
    login(client, officer)
    geo = client.get(reverse("sites:export", args=["geojson"]))
    assert geo.status_code == 200 and geo["Content-Disposition"].startswith("attachment;")
    names = [f["properties"]["name"] for f in json.loads(geo.content)["features"]]
    assert names == ["Market Square"]
    csv_text = client.get(reverse("sites:export", args=["csv"])).content.decode()
    assert "Market Square" in csv_text and "Secret Depot" not in csv_text
    assert client.get(reverse("sites:export", args=["xlsx"])).status_code == 404


def test_export_follows_the_list_filters(client, org, officer, site):
    factories.make_site(org, name="Bus Station")
    geo = login(client, officer).get(reverse("sites:export", args=["geojson"]), {"q": "bus"})
    assert [f["properties"]["name"] for f in json.loads(geo.content)["features"]] == ["Bus Station"]


# --- overview ---------------------------------------------------------------------------------

def test_home_counts_and_first_step(client, officer, site):
    html = login(client, officer).get(reverse("home")).content.decode()
    assert "Step 1: inventory your public spaces" in html
    assert 'id="count-own">1<' in html


def test_home_counts_high_priority_sites_by_their_override_first(client, officer, org, other_org):
    from stoa.sites.models import Site

    high = factories.make_site(org, name="Busy station")
    low_by_hand = factories.make_site(org, name="Quiet square")
    high_by_hand = factories.make_site(org, name="Fair ground")
    Site.objects.filter(pk=high.pk).update(priority_score=80, priority_override=None)
    Site.objects.filter(pk=low_by_hand.pk).update(priority_score=90, priority_override=10)
    Site.objects.filter(pk=high_by_hand.pk).update(priority_score=0, priority_override=50)
    Site.objects.filter(pk=factories.make_site(other_org).pk).update(priority_score=99)  # not ours
    page = login(client, officer).get(reverse("home"))
    assert page.context["inventory"]["high_priority"] == 2


def test_home_counts_every_step_of_the_inventory(client, officer, org, other_org, site):
    bare = factories.make_site(org, name="Bare lot", boundary=None)
    factories.make_access_point(site)
    site.crowdslots.create(organisation=org, label="Market", start_time="08:00", end_time="12:00",
                           typical_people=100, peak_people=400)
    factories.share(factories.make_site(other_org, name="Harbour Quay"), org)
    factories.make_site(other_org, name="Secret Depot")
    page = login(client, officer).get(reverse("home"))
    assert page.context["inventory"] == {"own": 2, "shared_with_us": 1, "no_boundary": 1, "no_access_points": 1,
                                         "no_crowd": 1, "high_priority": 0}
    assert bare.boundary is None


def test_region_rollup_counts_only_shared_sites(client, org, site):
    region = factories.make_org("region", name="Province")
    org.parent = region
    org.save()
    factories.make_site(org, name="Unshared")
    other_town = factories.make_org(name="Brenne", parent=region)
    factories.share(site, region)
    user = factories.make_user(region, "viewer")
    page = login(client, user).get(reverse("home"))
    rows = {row["organisation"].name: row["shared"] for row in page.context["rollup"]}
    assert rows == {"Valmont": 1, other_town.name: 0}
