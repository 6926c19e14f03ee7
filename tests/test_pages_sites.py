"""The site pages: list and map, create and edit with a drawn boundary, detail with its parts,
attachments, sharing, import and export. Who may do what is covered in test_pages_access_matrix.py;
here each page is checked to work, and to refuse what it must."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from stoa.sites.models import AccessPoint, Attachment, CrowdSlot, Site, SiteEvent, SiteShare, Zone
from tests import factories

pytestmark = pytest.mark.django_db

CROSSING = {"type": "Polygon", "coordinates": [[[4.350, 50.850], [4.352, 50.852], [4.352, 50.850],
                                                [4.350, 50.852], [4.350, 50.850]]]}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
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
    features = page.context["features"]
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


def test_delete_removes_the_site_and_its_files(client, officer, site, django_capture_on_commit_callbacks):
    login(client, officer)
    client.post(reverse("sites:attachment-add", args=[site.pk]), {
        "attachment-kind": "photo", "attachment-title": "North side", "attachment-file": _upload("n.png", PNG)})
    stored = Attachment.objects.get().file.path
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sites:delete", args=[site.pk]))
    assert response.status_code == 302 and not Site.objects.exists()
    import os

    assert not os.path.exists(stored)


# --- detail and parts -------------------------------------------------------------------------

def test_detail_shows_facts_parts_and_priority_reasons(client, officer, site):
    factories.make_zone(site, name="Stalls")
    factories.make_access_point(site, name="Rue Haute")
    factories.make_crowd_slot(site)
    factories.make_event(site, name="Winter fair")
    page = login(client, officer).get(reverse("sites:detail", args=[site.pk]))
    html = page.content.decode()
    for text in ("Stalls", "Rue Haute", "Saturday market", "Winter fair", "crowd 6000 people at peak", 'id="map"'):
        assert text in html
    assert page.context["zones_geojson"]["features"][0]["properties"]["name"] == "Stalls"
    assert "Edit details and boundary" in html and "Delete this public space" in html


def test_viewer_sees_the_detail_without_edit_buttons(client, viewer, site):
    factories.make_zone(site)
    html = login(client, viewer).get(reverse("sites:detail", args=[site.pk])).content.decode()
    assert "Edit details and boundary" not in html and "Add a zone" not in html and ">Remove<" not in html


def test_zone_added_with_htmx_returns_the_section(client, officer, site):
    data = {"zones-new-name": "Tram stop", "zones-new-usable_share": "0.8", "zones-new-notes": "",
            "zones-new-geometry": json.dumps(factories.SQUARE)}
    response = login(client, officer).post(reverse("sites:part-add", args=[site.pk, "zones"]), data,
                                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="zones-section"' in html and "Tram stop" in html and "<html" not in html
    assert Zone.objects.get().site == site


def test_bad_zone_redraws_only_the_form_with_its_error(client, officer, site):
    data = {"zones-new-name": "Crossed", "zones-new-usable_share": "1", "zones-new-geometry": json.dumps(CROSSING)}
    response = login(client, officer).post(reverse("sites:part-add", args=[site.pk, "zones"]), data,
                                           HTTP_HX_REQUEST="true")
    assert response["HX-Retarget"] == "#zones-editor"
    assert "The outline crosses itself" in response.content.decode()
    assert not Zone.objects.exists()


def test_access_point_accepts_a_typed_longitude_latitude_pair(client, officer, site):
    data = {"access-points-new-name": "Gate A", "access-points-new-kind": "pedestrian",
            "access-points-new-width_m": "3.5", "access-points-new-geometry": "4.351, 50.8512"}
    response = login(client, officer).post(reverse("sites:part-add", args=[site.pk, "access-points"]), data)
    assert response.status_code == 302
    assert AccessPoint.objects.get().geometry == {"type": "Point", "coordinates": [4.351, 50.8512]}


def test_crowd_slot_changes_the_priority_shown(client, officer, site):
    data = {"crowd-new-label": "Concert night", "crowd-new-days": "Saturday", "crowd-new-start_time": "19:00",
            "crowd-new-end_time": "23:00", "crowd-new-typical_people": "3000", "crowd-new-peak_people": "8000"}
    response = login(client, officer).post(reverse("sites:part-add", args=[site.pk, "crowd"]), data,
                                           HTTP_HX_REQUEST="true")
    html = response.content.decode()
    site.refresh_from_db()
    assert site.priority_score > 0
    assert 'id="site-facts" hx-swap-oob="true"' in html and f"<strong class=\"priority-value\">{site.priority}" in html


def test_crowd_peak_below_typical_is_refused(client, officer, site):
    data = {"crowd-new-label": "Odd", "crowd-new-start_time": "08:00", "crowd-new-end_time": "09:00",
            "crowd-new-typical_people": "500", "crowd-new-peak_people": "100"}
    response = login(client, officer).post(reverse("sites:part-add", args=[site.pk, "crowd"]), data)
    assert response.status_code == 400 and "cannot be lower than the typical" in response.content.decode()
    assert not CrowdSlot.objects.exists()


def test_event_edit_and_delete(client, officer, site):
    event = factories.make_event(site)
    login(client, officer)
    form = client.get(reverse("sites:part-edit", args=["events", event.pk]), HTTP_HX_REQUEST="true")
    assert f'events-{event.pk}-name' in form.content.decode()
    prefix = f"events-{event.pk}-"
    values = {"name": "Christmas market", "start_date": "2026-12-01", "end_date": "2026-12-24",
              "expected_peak": "12000", "recurrence": "yearly", "layout": "", "notes": ""}
    data = {prefix + key: value for key, value in values.items()}
    assert client.post(reverse("sites:part-edit", args=["events", event.pk]), data).status_code == 302
    event.refresh_from_db()
    assert event.expected_peak == 12000
    removed = client.post(reverse("sites:part-delete", args=["events", event.pk]), HTTP_HX_REQUEST="true")
    assert removed.status_code == 200
    assert not SiteEvent.objects.exists()


def test_unknown_part_kind_is_not_found(client, officer, site):
    login(client, officer)
    assert client.get(f"/sites/{site.pk}/stalls/add/").status_code == 404


# --- attachments ------------------------------------------------------------------------------

def _upload(name, content, content_type="application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def test_photo_upload_download_and_remove(client, officer, site):
    login(client, officer)
    response = client.post(reverse("sites:attachment-add", args=[site.pk]), {
        "attachment-kind": "photo", "attachment-title": "North side",
        "attachment-file": _upload("north.png", PNG, "image/png")}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png" and attachment.size == len(PNG)
    assert reverse("sites:attachment-download", args=[attachment.pk]) in response.content.decode()
    download = client.get(reverse("sites:attachment-download", args=[attachment.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == PNG
    assert "sandbox" in download["Content-Security-Policy"]
    assert download["Content-Disposition"] == 'inline; filename="north-side.png"'
    client.post(reverse("sites:attachment-delete", args=[attachment.pk]))
    assert not Attachment.objects.exists()


def test_upload_is_checked_by_content_not_by_name(client, officer, site):
    login(client, officer)
    response = client.post(reverse("sites:attachment-add", args=[site.pk]), {
        "attachment-kind": "photo", "attachment-title": "Fake",
        "attachment-file": _upload("fake.png", b"<script>alert(1)</script>", "image/png")})
    assert response.status_code == 400 and "not an accepted type" in response.content.decode()
    pdf_as_photo = client.post(reverse("sites:attachment-add", args=[site.pk]), {
        "attachment-kind": "photo", "attachment-title": "Plan", "attachment-file": _upload("plan.pdf", PDF)})
    assert pdf_as_photo.status_code == 400
    plan = client.post(reverse("sites:attachment-add", args=[site.pk]), {
        "attachment-kind": "plan", "attachment-title": "Plan", "attachment-file": _upload("plan.bin", PDF)})
    assert plan.status_code == 302
    stored = Attachment.objects.get()
    assert stored.content_type == "application/pdf" and stored.file.name.endswith(".pdf")


def test_upload_over_the_size_limit_is_refused(client, settings, officer, site):
    settings.MAX_UPLOAD_BYTES = 32
    response = login(client, officer).post(reverse("sites:attachment-add", args=[site.pk]), {
        "attachment-kind": "photo", "attachment-title": "Big", "attachment-file": _upload("big.png", PNG)})
    assert response.status_code == 400 and "the limit is" in response.content.decode()
    assert not Attachment.objects.exists()


def test_media_is_never_served_directly(client, officer, site):
    login(client, officer)
    client.post(reverse("sites:attachment-add", args=[site.pk]), {
        "attachment-kind": "photo", "attachment-title": "North", "attachment-file": _upload("n.png", PNG)})
    attachment = Attachment.objects.get()
    assert client.get("/media/" + attachment.file.name).status_code == 404


# --- sharing ----------------------------------------------------------------------------------

def test_share_and_unshare(client, officer, other_org, site):
    receiver = factories.make_user(other_org, "viewer")
    login(client, officer)
    page = client.get(reverse("sites:detail", args=[site.pk]))
    assert "Elsewhere" in page.content.decode()  # offered in the organisation chooser
    response = client.post(reverse("sites:share-add", args=[site.pk]), {
        "share-organisation": other_org.pk, "share-access": "read", "share-reason": "joint patrol"},
        HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "joint patrol" in response.content.decode()
    share = SiteShare.objects.get()
    assert share.shared_by == officer and share.access == "read"
    client.post(reverse("sites:share-add", args=[site.pk]), {"share-organisation": other_org.pk,
                                                             "share-access": "edit", "share-reason": "assessment"})
    share.refresh_from_db()
    assert share.access == "edit" and SiteShare.objects.count() == 1
    client.force_login(receiver)
    seen = client.get(reverse("sites:detail", args=[site.pk]))
    assert seen.status_code == 200 and "shared this public space with your organisation" in seen.content.decode()
    assert "joint patrol" not in seen.content.decode()
    client.force_login(officer)
    client.post(reverse("sites:share-remove", args=[site.pk, share.pk]))
    assert not SiteShare.objects.exists()
    client.force_login(receiver)
    assert client.get(reverse("sites:detail", args=[site.pk])).status_code == 404


def test_a_site_cannot_be_shared_with_its_own_organisation(client, org, officer, site):
    response = login(client, officer).post(reverse("sites:share-add", args=[site.pk]), {
        "share-organisation": org.pk, "share-access": "read"})
    assert response.status_code == 400 and not SiteShare.objects.exists()


# --- import and export ------------------------------------------------------------------------

def test_import_page_refuses_a_bad_file_with_its_problems_and_writes_nothing(client, officer, categories, site):
    bad = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "", "category": "SQUARE"}, "geometry": factories.SQUARE},
        {"type": "Feature", "properties": {"name": "Crossed", "category": "SQUARE"}, "geometry": CROSSING},
        {"type": "Feature", "properties": {"name": "Fine", "category": "NOPE"}, "geometry": factories.SQUARE},
    ]}
    before = Site.objects.count()
    response = login(client, officer).post(reverse("sites:import"), {
        "file": _upload("bad.geojson", json.dumps(bad).encode())})
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
        "file": _upload("good.geojson", json.dumps(good).encode())}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("sites:list")
    assert "1 public space imported" in response.content.decode()
    assert Site.objects.get().organisation == org


def test_import_page_refuses_other_file_types(client, officer):
    response = login(client, officer).post(reverse("sites:import"), {"file": _upload("sites.xlsx", b"PK\x03\x04")})
    assert response.status_code == 400 and "Choose a .geojson, .json or .csv file." in response.content.decode()


def test_viewer_may_export_but_not_import(client, viewer, site):
    login(client, viewer)
    page = client.get(reverse("sites:import"))
    assert page.status_code == 200 and "Export as GeoJSON" in page.content.decode()
    assert 'type="file"' not in page.content.decode()
    assert client.post(reverse("sites:import"), {"file": _upload("x.csv", b"name\n")}).status_code == 403


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
