"""Every upload path checks size and content (stoa.web.uploads) and stores pictures re-encoded.

Attachments (site photos and plans, RFI answer attachments) on the pages and the API; data imports
(sites, field submissions, case bundles, street networks): a file whose content is not what the
path takes is refused with a message saying so, whatever its name.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from stoa.procurement.models import SubmissionAttachment
from stoa.sites.models import Attachment, Site
from tests import factories
from tests.assessment_samples import make_assessment
from tests.core.test_files import GPS_IFD, photo_with_gps
from tests.evaluation_samples import make_rfi, make_submission, make_vendor


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def named(content: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


def stored_picture(field: Any) -> tuple[Image.Image, bytes]:
    with field.open("rb") as handle:
        data = handle.read()
    return Image.open(io.BytesIO(data)), data


def test_a_site_photo_is_stored_without_its_gps_position_through_the_api(officer, site):
    response = api(officer).post("/api/v1/attachments/", {
        "site": str(site.pk), "kind": "photo", "title": "North side", "file": named(photo_with_gps(), "n.jpg")},
        format="multipart")
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get()
    picture, data = stored_picture(attachment.file)
    assert picture.size == (20, 40) and not picture.getexif().get_ifd(GPS_IFD) and b"appended" not in data
    assert response.json()["size"] == attachment.size == len(data)


def test_a_site_photo_is_stored_without_its_gps_position_through_the_page(client, officer, site):
    client.force_login(officer)
    response = client.post(reverse("sites:attachment-add", args=[site.pk]), {
        "attachment-kind": "photo", "attachment-title": "North side",
        "attachment-file": SimpleUploadedFile("n.jpeg", photo_with_gps(), "image/jpeg")})
    assert response.status_code == 302
    picture, data = stored_picture(Attachment.objects.get().file)
    assert dict(picture.getexif()) == {} and b"PhoneMaker" not in data


def test_a_picture_with_too_many_pixels_is_refused_with_the_limit(client, settings, officer, site):
    settings.MAX_IMAGE_PIXELS = 100
    client.force_login(officer)
    response = client.post(reverse("sites:attachment-add", args=[site.pk]), {
        "attachment-kind": "photo", "attachment-title": "Huge",
        "attachment-file": SimpleUploadedFile("huge.png", factories.png_bytes(20, 10))})
    assert response.status_code == 400 and "million pixels" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_damaged_picture_is_refused_on_the_api(officer, site):
    response = api(officer).post("/api/v1/attachments/", {
        "site": str(site.pk), "kind": "photo", "title": "Broken",
        "file": named(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "b.png")}, format="multipart")
    assert response.status_code == 400 and "cannot be read" in response.json()["errors"]["file"][0]


@pytest.fixture
def answer(site: Any) -> Any:
    vendor, user = make_vendor()
    rfi = make_rfi(make_assessment(site), evaluation=None, invite=[vendor])
    return make_submission(rfi, vendor), user


def test_an_rfi_answer_attachment_is_re_encoded_on_the_api_and_the_page(client, answer):
    submission, vendor_user = answer
    response = api(vendor_user).post(f"/api/v1/submissions/{submission.pk}/attachments/",
                                     {"file": named(photo_with_gps(), "drawing.jpg")}, format="multipart")
    assert response.status_code == 201, response.content
    client.force_login(vendor_user)
    page = client.post(reverse("procurement:attachment-add", args=[submission.pk]),
                       {"att-file": SimpleUploadedFile("drawing.jpg", photo_with_gps())})
    assert page.status_code == 302
    for attachment in SubmissionAttachment.objects.all():
        picture, data = stored_picture(attachment.file)
        assert attachment.content_type == "image/jpeg" and attachment.size == len(data)
        assert dict(picture.getexif()) == {} and b"appended" not in data


PICTURE_AS_DATA = factories.png_bytes()


def test_a_site_import_that_is_not_text_is_refused_on_the_page_and_the_api(client, officer):
    client.force_login(officer)
    page = client.post(reverse("sites:import"), {"file": SimpleUploadedFile("sites.csv", PICTURE_AS_DATA)})
    assert page.status_code == 400 and "whatever its name says" in page.content.decode()
    response = api(officer).post("/api/v1/sites/import/", {"file": named(PICTURE_AS_DATA, "sites.geojson")},
                                 format="multipart")
    assert response.status_code == 400 and "whatever its name says" in response.json()["problems"][0]["message"]
    assert not Site.objects.exists()


def test_field_submissions_and_case_bundles_that_are_not_data_are_refused(client, officer, site):
    assessment = make_assessment(site)
    response = api(officer).post(f"/api/v1/assessments/{assessment.pk}/submissions/",
                                 {"file": named(PICTURE_AS_DATA, "export.csv")}, format="multipart")
    assert response.status_code == 400 and "whatever its name says" in response.json()["problems"][0]["message"]
    bundle = api(officer).post("/api/v1/cases/import/", {"file": named(PICTURE_AS_DATA, "x.stoa-case.json")},
                               format="multipart")
    assert bundle.status_code == 400 and "not JSON" in bundle.json()["errors"]["bundle"][0]
    client.force_login(officer)
    page = client.post("/cases/import/", {"file": SimpleUploadedFile("x.stoa-case.json", PICTURE_AS_DATA)})
    assert page.status_code == 400 and "not JSON" in page.content.decode()


def test_a_case_bundle_body_over_the_limit_is_refused(settings, officer):
    settings.MAX_UPLOAD_BYTES = 64
    response = api(officer).post("/api/v1/cases/import/", b"{" + b" " * 200 + b"}", content_type="application/json")
    assert response.status_code == 400 and "larger than the limit" in response.json()["detail"]


def test_a_street_file_is_checked_for_its_content_and_the_settings_limit(client, settings, officer):
    client.force_login(officer)
    picture = client.post(reverse("engineering:networks"), {
        "name": "Centre", "file": SimpleUploadedFile("streets.geojson", PICTURE_AS_DATA)})
    assert picture.status_code == 400 and "whatever its name says" in picture.content.decode()
    settings.MAX_NETWORK_UPLOAD_BYTES = 10
    big = client.post(reverse("engineering:networks"), {
        "name": "Centre", "file": SimpleUploadedFile("streets.geojson", b'{"type": "FeatureCollection"}')})
    assert big.status_code == 400 and "the limit is" in big.content.decode()
