"""The page of one public space: facts, zones, access points, crowd slots and events edited with
HTMX, attachments (checked by content, served only through an access check) and sharing."""

from __future__ import annotations

import json
import os

import pytest
from django.urls import reverse

from stoa.sites.models import AccessPoint, Attachment, CrowdSlot, SiteEvent, SiteShare, Zone
from tests import factories
from tests.test_pages_sites import CROSSING, PDF, PNG, login, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


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


@pytest.mark.parametrize("kind,field", [("zones", "zones-new-name"), ("access-points", "access-points-new-kind"),
                                        ("crowd", "crowd-new-peak_people"), ("events", "events-new-name")])
def test_add_forms_come_when_asked_for(client, officer, site, kind, field):
    client = login(client, officer)
    html = client.get(reverse("sites:detail", args=[site.pk])).content.decode()
    add_url = reverse("sites:part-add", args=[site.pk, kind])
    assert f'hx-get="{add_url}"' in html and f'href="{add_url}"' in html
    assert f'name="{field}"' not in html  # not drawn until asked for
    fragment = client.get(add_url, HTTP_HX_REQUEST="true").content.decode()
    assert f'name="{field}"' in fragment and "<html" not in fragment and "Cancel" in fragment
    page = client.get(add_url)  # without JavaScript: the form on a page of its own
    assert page.status_code == 200 and f'name="{field}"' in page.content.decode() and "<html" in page.content.decode()


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

def test_photo_upload_download_and_remove(client, officer, site, django_capture_on_commit_callbacks):
    login(client, officer)
    response = client.post(reverse("sites:attachment-add", args=[site.pk]), {
        "attachment-kind": "photo", "attachment-title": "North side",
        "attachment-file": upload("north.png", PNG, "image/png")}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png" and attachment.size == len(PNG)
    assert reverse("sites:attachment-download", args=[attachment.pk]) in response.content.decode()
    download = client.get(reverse("sites:attachment-download", args=[attachment.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == PNG
    assert "sandbox" in download["Content-Security-Policy"]
    assert download["Content-Disposition"] == 'inline; filename="north-side.png"'
    stored = attachment.file.path
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sites:attachment-delete", args=[attachment.pk]))
    assert not Attachment.objects.exists()
    assert not os.path.exists(stored)


def test_upload_is_checked_by_content_not_by_name(client, officer, site):
    login(client, officer)
    response = client.post(reverse("sites:attachment-add", args=[site.pk]), {
        "attachment-kind": "photo", "attachment-title": "Fake",
        "attachment-file": upload("fake.png", b"<script>alert(1)</script>", "image/png")})
    assert response.status_code == 400 and "is not accepted as" in response.content.decode()
    pdf_as_photo = client.post(reverse("sites:attachment-add", args=[site.pk]), {
        "attachment-kind": "photo", "attachment-title": "Plan", "attachment-file": upload("plan.pdf", PDF)})
    assert pdf_as_photo.status_code == 400
    plan = client.post(reverse("sites:attachment-add", args=[site.pk]), {
        "attachment-kind": "plan", "attachment-title": "Plan", "attachment-file": upload("plan.bin", PDF)})
    assert plan.status_code == 302
    stored = Attachment.objects.get()
    assert stored.content_type == "application/pdf" and stored.file.name.endswith(".pdf")


def test_upload_over_the_size_limit_is_refused(client, settings, officer, site):
    settings.MAX_UPLOAD_BYTES = 32
    response = login(client, officer).post(reverse("sites:attachment-add", args=[site.pk]), {
        "attachment-kind": "photo", "attachment-title": "Big", "attachment-file": upload("big.png", PNG)})
    assert response.status_code == 400 and "the limit is" in response.content.decode()
    assert not Attachment.objects.exists()


def test_media_is_never_served_directly(client, officer, site):
    login(client, officer)
    client.post(reverse("sites:attachment-add", args=[site.pk]), {
        "attachment-kind": "photo", "attachment-title": "North", "attachment-file": upload("n.png", PNG)})
    attachment = Attachment.objects.get()
    assert client.get("/media/" + attachment.file.name).status_code == 404


# --- sharing ----------------------------------------------------------------------------------

def test_share_and_unshare(client, officer, other_org, site):
    receiver = factories.make_user(other_org, "viewer")
    login(client, officer)
    page = client.get(reverse("sites:detail", args=[site.pk])).content.decode()
    share_url = reverse("sites:share-add", args=[site.pk])
    assert f'hx-get="{share_url}"' in page and "Elsewhere" not in page  # the form comes when asked for
    fragment = client.get(share_url, HTTP_HX_REQUEST="true").content.decode()
    assert "Elsewhere" in fragment and "<html" not in fragment  # offered in the organisation chooser
    assert "Elsewhere" in client.get(share_url).content.decode()  # without JavaScript: a page of its own
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


def test_empty_event_layout_box_is_empty_not_null():
    from stoa.sites.forms import SiteEventForm

    html = str(SiteEventForm()["layout"])
    assert ">null<" not in html and "null</textarea>" not in html
