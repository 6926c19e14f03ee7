"""The REST API for sites: CRUD, validation as 400s, parts, attachments, shares, import/export, tokens."""

from __future__ import annotations

import io
import json
import os
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.test import APIClient

from stoa.sites.models import Attachment, Site, SiteShare, Zone
from tests import factories
from tests.site_samples import OUTLINE, POINT, SQUARE, make_categories, square_at, swapped

pytestmark = pytest.mark.django_db

PNG = factories.PNG  # a real picture: uploads are re-encoded
PDF = b"%PDF-1.7\n" + b"0" * 64


@pytest.fixture(autouse=True)
def _categories(db: Any) -> None:
    make_categories()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def site_payload(**kw: Any) -> dict[str, Any]:
    return {"name": "Market Square", "category": "SQUARE", "boundary": SQUARE, **kw}


# -- sites ------------------------------------------------------------------------------------


def test_an_officer_creates_a_site_in_their_only_organisation(org, officer):
    response = client_for(officer).post("/api/v1/sites/", site_payload(symbolic_value=2), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["organisation"] == org.slug
    assert body["category"] == {"ref_id": "SQUARE", "name": "Square", "colour": "#1f77b4"}
    assert body["area_m2"] > 18_000 and body["lon"] == pytest.approx(4.351)
    site = Site.objects.get(pk=body["id"])
    assert site.organisation == org and site.symbolic_value == 2


def test_the_creator_is_the_audit_actor_even_with_token_authentication(officer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {factories.make_token(officer)}")
    response = client.post("/api/v1/sites/", site_payload(), format="json")
    assert response.status_code == 201
    entry = LogEntry.objects.get(object_pk=response.json()["id"], action=LogEntry.Action.CREATE)
    assert entry.actor == officer


def test_a_member_of_several_organisations_must_say_which(org, other_org, officer):
    from stoa.accounts.models import Membership

    Membership.objects.create(user=officer, organisation=other_org, role="security_officer")
    client = client_for(officer)
    refused = client.post("/api/v1/sites/", site_payload(), format="json")
    assert refused.status_code == 400
    assert "several organisations" in refused.json()["errors"]["organisation"][0]
    chosen = client.post("/api/v1/sites/", site_payload(organisation=other_org.slug), format="json")
    assert chosen.status_code == 201 and chosen.json()["organisation"] == other_org.slug


def test_an_organisation_one_does_not_belong_to_reads_as_unknown(org, other_org, officer):
    response = client_for(officer).post("/api/v1/sites/", site_payload(organisation=other_org.slug), format="json")
    assert response.status_code == 400
    assert "organisation" in response.json()["errors"]
    assert not Site.objects.filter(organisation=other_org).exists()


def test_a_site_stays_with_its_organisation(org, other_org, officer, site):
    client = client_for(officer)
    response = client.patch(f"/api/v1/sites/{site.pk}/", {"organisation": other_org.slug}, format="json")
    assert response.status_code == 200
    site.refresh_from_db()
    assert site.organisation == org


@pytest.mark.parametrize(("payload", "field"), [
    ({"name": ""}, "name"),
    ({"category": "PARKING"}, "category"),
    ({"category": 7}, "category"),
    ({"boundary": {"type": "Polygon", "coordinates": [[[4.35, 50.85], [4.352, 50.852], [4.352, 50.85],
                                                       [4.35, 50.852], [4.35, 50.85]]]}}, "boundary"),
    ({"boundary": {"type": "Point", "coordinates": [4.35, 50.85]}}, "boundary"),
    ({"boundary": "not geojson"}, "boundary"),
    ({"symbolic_value": 4}, "symbolic_value"),
    ({"ownership": "municipal"}, "ownership"),
    ({"priority_override": 80}, "priority_justification"),
    ({"priority_override": 180, "priority_justification": "x"}, "priority_override"),
    ({"boundary": None, "lon": 4.35}, "lat"),
    ({"boundary": None, "lon": 400, "lat": 50}, "lon"),
])
def test_invalid_sites_are_refused_with_the_field_named(officer, payload, field):
    response = client_for(officer).post("/api/v1/sites/", site_payload(**payload), format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not Site.objects.exists()


def test_latitude_first_is_caught_against_the_city(org, officer):
    org.outline = OUTLINE
    org.save()
    response = client_for(officer).post("/api/v1/sites/", site_payload(boundary=swapped(SQUARE)), format="json")
    assert response.status_code == 400
    assert "latitude, longitude order" in response.json()["errors"]["boundary"][0]


def test_a_point_only_site(officer):
    response = client_for(officer).post("/api/v1/sites/", site_payload(boundary=None, lon=4.36, lat=50.851),
                                        format="json")
    assert response.status_code == 201
    assert (response.json()["lon"], response.json()["lat"], response.json()["boundary"]) == (4.36, 50.851, None)


def test_update_and_delete(officer, site):
    client = client_for(officer)
    body = client.get(f"/api/v1/sites/{site.pk}/").json()
    body.update(name="Market Square (north)", category="TRANSPORT_HUB")
    assert client.put(f"/api/v1/sites/{site.pk}/", body, format="json").status_code == 200
    site.refresh_from_db()
    assert (site.name, site.category.ref_id) == ("Market Square (north)", "TRANSPORT_HUB")
    assert client.delete(f"/api/v1/sites/{site.pk}/").status_code == 204
    assert not Site.objects.filter(pk=site.pk).exists()


def test_list_filters_by_words_category_and_owner_type(org, officer):
    square, hub = make_categories()
    factories.make_site(org, name="Market Square", category=square, ownership="public")
    factories.make_site(org, name="Central Station", category=hub, ownership="mixed", description="tram and rail")
    client = client_for(officer)

    def names(**params: str) -> list[str]:
        return [s["name"] for s in client.get("/api/v1/sites/", params).json()["results"]]

    assert names() == ["Central Station", "Market Square"]
    assert names(q="tram") == ["Central Station"]
    assert names(category="SQUARE") == ["Market Square"]
    assert names(ownership="mixed") == ["Central Station"]
    assert names(sort="-name") == ["Market Square", "Central Station"]
    assert client.get("/api/v1/sites/", {"category": "PARKING"}).status_code == 400


def test_bad_ids_and_bodies_are_client_errors(officer):
    client = client_for(officer)
    assert client.get("/api/v1/sites/not-a-uuid/").status_code == 404
    assert client.post("/api/v1/sites/", "{broken", content_type="application/json").status_code == 400
    assert client.post("/api/v1/sites/", [1, 2], format="json").status_code == 400


# -- parts of a site --------------------------------------------------------------------------


def test_zones_are_created_on_a_site_and_filtered_by_it(org, officer, site):
    other_site = factories.make_site(org, name="Station", boundary=square_at(0.01))
    factories.make_zone(other_site, name="Platforms")
    client = client_for(officer)
    response = client.post("/api/v1/zones/", {"site": str(site.pk), "name": "Stalls", "geometry": SQUARE},
                           format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["area_m2"] > 0
    listed = client.get("/api/v1/zones/", {"site": str(site.pk)}).json()["results"]
    assert [z["name"] for z in listed] == ["Stalls"]


def test_a_part_cannot_move_to_another_site(org, officer, site):
    zone = factories.make_zone(site)
    other_site = factories.make_site(org, name="Station")
    response = client_for(officer).patch(f"/api/v1/zones/{zone.pk}/", {"site": str(other_site.pk), "name": "X"},
                                         format="json")
    assert response.status_code == 200
    zone.refresh_from_db()
    assert (zone.site, zone.name) == (site, "X")


def test_a_part_on_an_invisible_site_reads_as_an_unknown_site(officer, outsider, site):
    response = client_for(outsider).post("/api/v1/zones/", {"site": str(site.pk), "name": "Z", "geometry": SQUARE},
                                         format="json")
    assert response.status_code == 400
    assert "site" in response.json()["errors"]
    assert not Zone.objects.exists()


def test_an_invisible_site_and_a_missing_one_get_the_same_answer(outsider, site):
    import uuid

    client = client_for(outsider)

    def attempt(site_id: Any) -> Any:
        response = client.post("/api/v1/crowd-slots/", {
            "site": str(site_id), "label": "Market", "start_time": "08:00", "end_time": "12:00",
            "typical_people": 10, "peak_people": 20}, format="json")
        assert response.status_code == 400
        return response.json()["errors"]["site"][0].replace(str(site_id), "ID")

    assert attempt(site.pk) == attempt(uuid.uuid4())


@pytest.mark.parametrize(("url", "payload", "field"), [
    ("/api/v1/crowd-slots/", {"label": "Saturday", "start_time": "08:00", "end_time": "12:00",
                              "typical_people": 900, "peak_people": 100}, "peak_people"),
    ("/api/v1/events/", {"name": "Fair", "start_date": "2025-12-10", "end_date": "2025-12-01",
                         "expected_peak": 100}, "end_date"),
    ("/api/v1/events/", {"name": "Fair", "start_date": "2025-12-01", "end_date": "2025-12-10",
                         "expected_peak": 100, "layout": {"type": "Point"}}, "layout"),
    ("/api/v1/access-points/", {"name": "Gate", "kind": "vehicle", "width_m": 6, "geometry": SQUARE}, "geometry"),
    ("/api/v1/access-points/", {"name": "Gate", "kind": "tank", "width_m": 6, "geometry": POINT}, "kind"),
    ("/api/v1/zones/", {"name": "Z", "geometry": SQUARE, "usable_share": 3}, "usable_share"),
])
def test_model_rules_on_parts_answer_400(officer, site, url, payload, field):
    response = client_for(officer).post(url, {"site": str(site.pk), **payload}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()


def test_crowd_slots_and_events_update_the_priority(officer, site):
    client = client_for(officer)
    client.post("/api/v1/crowd-slots/", {"site": str(site.pk), "label": "Market", "start_time": "08:00",
                                         "end_time": "12:00", "typical_people": 3000, "peak_people": 6000},
                format="json")
    assert client.get(f"/api/v1/sites/{site.pk}/").json()["priority_score"] > 0


# -- attachments ------------------------------------------------------------------------------


def upload(client: APIClient, site: Site, content: bytes, name: str = "photo.png", kind: str = "photo") -> Any:
    file = io.BytesIO(content)
    file.name = name
    return client.post("/api/v1/attachments/", {"site": str(site.pk), "kind": kind, "title": "North side",
                                                "file": file}, format="multipart")


def test_an_image_is_uploaded_and_downloaded_only_through_the_api(officer, site):
    client = client_for(officer)
    response = upload(client, site, PNG, name="anything.jpg")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["content_type"], body["size"], body["uploaded_by"]) == ("image/png", len(PNG), "officer")
    assert "file" not in body
    download = client.get(body["download"])
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == PNG
    assert "attachment" in download["Content-Disposition"]


def test_a_pdf_plan_is_accepted_but_not_as_a_photo(officer, site):
    client = client_for(officer)
    assert upload(client, site, PDF, name="plan.pdf", kind="plan").status_code == 201
    refused = upload(client, site, PDF, name="plan.pdf", kind="photo")
    assert refused.status_code == 400 and "file" in refused.json()["errors"]


def test_content_decides_the_type_not_the_name(officer, site):
    response = upload(client_for(officer), site, b"<script>alert(1)</script>", name="photo.png")
    assert response.status_code == 400
    assert "file" in response.json()["errors"]
    assert not Attachment.objects.exists()


def test_an_upload_over_the_limit_is_refused(officer, site, settings):
    settings.MAX_UPLOAD_BYTES = 50
    response = upload(client_for(officer), site, PNG)
    assert response.status_code == 400 and "file" in response.json()["errors"]


def test_deleting_an_attachment_removes_the_stored_file(officer, site, django_capture_on_commit_callbacks):
    client = client_for(officer)
    attachment = Attachment.objects.get(pk=upload(client, site, PNG).json()["id"])
    path = attachment.file.path
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"/api/v1/attachments/{attachment.pk}/").status_code == 204
    assert not os.path.exists(path)


def test_a_missing_stored_file_is_a_404_not_a_500(officer, site):
    client = client_for(officer)
    attachment = Attachment.objects.get(pk=upload(client, site, PNG).json()["id"])
    attachment.file.storage.delete(attachment.file.name)
    assert client.get(f"/api/v1/attachments/{attachment.pk}/download/").status_code == 404


# -- shares and organisations -----------------------------------------------------------------


def test_sharing_a_site_is_recorded_with_who_shared_it(org, other_org, officer, site):
    client = client_for(officer)
    response = client.post("/api/v1/shares/", {"site": str(site.pk), "organisation": other_org.slug,
                                               "access": "read", "reason": "Joint patrols"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["shared_by"] == "officer"
    share = SiteShare.objects.get()
    assert (share.site, share.organisation, share.shared_by) == (site, other_org, officer)
    again = client.post("/api/v1/shares/", {"site": str(site.pk), "organisation": other_org.slug}, format="json")
    assert again.status_code == 400 and "organisation" in again.json()["errors"]
    own = client.post("/api/v1/shares/", {"site": str(site.pk), "organisation": org.slug}, format="json")
    assert own.status_code == 400


def test_shares_are_listed_to_the_sharer_and_the_receiver_only(org, other_org, officer, outsider, site):
    third = factories.make_org(name="Third")
    factories.share(site, other_org)
    factories.share(site, third)
    assert len(client_for(officer).get("/api/v1/shares/").json()["results"]) == 2
    received = client_for(outsider).get("/api/v1/shares/").json()["results"]
    assert [s["organisation"] for s in received] == [other_org.slug]
    stranger = factories.make_user(factories.make_org(name="Fourth"), "admin")
    assert client_for(stranger).get("/api/v1/shares/").json()["results"] == []


def test_organisations_are_the_callers_own_with_their_role(org, other_org, officer):
    client = client_for(officer)
    body = client.get("/api/v1/organisations/").json()["results"]
    assert [(o["slug"], o["role"]) for o in body] == [(org.slug, "security_officer")]
    assert client.get(f"/api/v1/organisations/{other_org.slug}/").status_code == 404
    assert client.post("/api/v1/organisations/", {"slug": "x"}, format="json").status_code == 405


# -- export and import ------------------------------------------------------------------------


def test_export_as_geojson_and_csv(org, officer, site):
    client = client_for(officer)
    geojson = client.get("/api/v1/sites/export/")
    assert geojson.status_code == 200 and geojson["Content-Type"].startswith("application/geo+json")
    assert geojson["X-Classification"] == "RESTRICTED"
    assert [f["properties"]["name"] for f in json.loads(geojson.content)["features"]] == [site.name]
    csv_response = client.get("/api/v1/sites/export/", {"format": "csv"})
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    assert csv_response.content.decode().startswith("id,organisation,name")
    assert ".csv" in csv_response["Content-Disposition"]
    refused = client.get("/api/v1/sites/export/", {"format": "xml"})
    assert refused.status_code == 400 and "format" in refused.json()["errors"]


def test_export_follows_the_list_filters(org, officer, site):
    factories.make_site(org, name="Central Station", category=make_categories()[1])
    body = client_for(officer).get("/api/v1/sites/export/", {"category": "TRANSPORT_HUB"})
    assert [f["properties"]["name"] for f in json.loads(body.content)["features"]] == ["Central Station"]


def import_file(client: APIClient, content: bytes, name: str = "sites.geojson", **extra: str) -> Any:
    file = io.BytesIO(content)
    file.name = name
    return client.post("/api/v1/sites/import/", {"file": file, **extra}, format="multipart")


def test_import_creates_the_sites(org, officer):
    data = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": SQUARE, "properties": {"name": "A", "category": "SQUARE"}}]}).encode()
    response = import_file(client_for(officer), data)
    assert response.status_code == 201
    assert response.json()["created"] == 1
    assert Site.objects.get().organisation == org


def test_a_refused_import_lists_every_problem_and_writes_nothing(officer):
    data = b"name,category,symbolic_value\n,SQUARE,1\nB,PARKING,7\n"
    response = import_file(client_for(officer), data, name="sites.csv")
    assert response.status_code == 400
    problems = {(p["location"], p["field"]) for p in response.json()["problems"]}
    assert problems == {("row 2", "name"), ("row 3", "category"), ("row 3", "symbolic_value")}
    assert len(response.json()["errors"]["file"]) == 3
    assert not Site.objects.exists()


def test_an_import_over_the_limit_is_refused_before_reading(officer, settings):
    settings.MAX_UPLOAD_BYTES = 10
    response = import_file(client_for(officer), b"name,category\nA,SQUARE\n", name="s.csv")
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "size"


# -- token authentication and schema ----------------------------------------------------------


@pytest.fixture
def fresh_throttle() -> Any:
    cache.clear()
    yield
    cache.clear()


def test_a_token_from_username_and_password_works(officer, site, fresh_throttle):
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": "officer", "password": factories.PASSWORD},
                           format="json")
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/sites/").json()["results"][0]["name"] == site.name


def test_a_bad_password_gets_no_token(officer, fresh_throttle):
    response = APIClient().post("/api/v1/auth/token/", {"username": "officer", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_token_requests_are_throttled(officer, fresh_throttle):
    client = APIClient()
    statuses = [client.post("/api/v1/auth/token/", {"username": "officer", "password": f"wrong-{n}"},
                            format="json").status_code for n in range(12)]
    assert statuses[0] == 400
    assert statuses[-1] == 429


def test_after_repeated_failures_even_the_right_password_gets_no_token(officer, fresh_throttle, settings):
    client = APIClient()
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/v1/auth/token/", {"username": "officer", "password": f"wrong-{n}"}, format="json")
    response = client.post("/api/v1/auth/token/", {"username": "officer", "password": factories.PASSWORD},
                           format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_without_credentials_nothing_is_served(site):
    client = APIClient()
    for url in ("/api/v1/sites/", f"/api/v1/sites/{site.pk}/", "/api/v1/sites/export/", "/api/v1/organisations/"):
        assert client.get(url).status_code == 401


def test_the_openapi_schema_is_generated_without_warnings(tmp_path, officer):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(target), "--validate", "--fail-on-warn")
    text = target.read_text()
    for path in ("/api/v1/sites/", "/api/v1/sites/import/", "/api/v1/sites/export/", "/api/v1/zones/",
                 "/api/v1/attachments/{id}/download/", "/api/v1/shares/", "/api/v1/organisations/"):
        assert f"{path}:" in text
    assert client_for(officer).get("/api/v1/schema/").status_code == 200


# -- robustness -------------------------------------------------------------------------------


def test_recording_the_actor_leaves_no_signal_receivers_behind(officer):
    from django.db.models.signals import pre_save

    client = client_for(officer)
    client.post("/api/v1/sites/", site_payload(name="Warm-up"), format="json")
    before = len(pre_save.receivers)
    for n in range(3):
        response = client.post("/api/v1/sites/", site_payload(name=f"Site {n}", boundary=square_at(0.01 * (n + 1))),
                               format="json")
        assert response.status_code == 201
    assert len(pre_save.receivers) == before


JUNK: list[Any] = [{}, [], "text", 7, None, {"site": "not-a-uuid"}, {"site": 12, "name": ["x"]},
                   {"name": {"a": 1}, "category": ["SQUARE"], "boundary": [1, 2], "geometry": "x", "layout": "x",
                    "start_time": "25:99", "start_date": "yesterday", "width_m": "wide", "organisation": 5,
                    "access": "all", "kind": None, "symbolic_value": "3.5", "lon": "east", "lat": None}]


@pytest.mark.parametrize("url", ["/api/v1/sites/", "/api/v1/zones/", "/api/v1/access-points/",
                                 "/api/v1/crowd-slots/", "/api/v1/events/", "/api/v1/shares/",
                                 "/api/v1/attachments/"])
def test_junk_input_is_a_client_error_never_a_server_error(officer, site, url):
    client = client_for(officer)
    zone = factories.make_zone(site)
    for body in JUNK:
        assert client.post(url, body, format="json").status_code == 400, body
        with_site = {**body, "site": str(site.pk)} if isinstance(body, dict) else body
        assert client.post(url, with_site, format="json").status_code == 400, with_site
    for body in JUNK:
        assert client.patch(f"/api/v1/sites/{site.pk}/", body, format="json").status_code in (200, 400), body
        assert client.patch(f"/api/v1/zones/{zone.pk}/", body, format="json").status_code in (200, 400), body
    for params in ({"site": "x"}, {"ownership": "x"}, {"sort": "x"}, {"limit": "x"}, {"offset": "-1"}):
        assert client.get(url, params).status_code in (200, 400), params
