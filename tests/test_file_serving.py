"""Stored files reach only those who may see their object: every kind of stored file, on its page
route and its API route, is served to an allowed user as a download that browsers must not sniff,
and is a 404 for another organisation's member. Nothing under MEDIA_URL is routed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from rest_framework.test import APIClient

from stoa.procurement.models import SubmissionAttachment
from stoa.reports.models import ReportJob
from stoa.sites.models import Attachment
from tests import factories
from tests.assessment_samples import make_assessment
from tests.evaluation_samples import make_rfi, make_submission, make_vendor

PDF = b"%PDF-1.4\n" + b"0" * 32


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def site_photo(site: Any) -> tuple[Attachment, str, str]:
    photo = Attachment(site=site, organisation_id=site.organisation_id, kind="photo", title="North side",
                       content_type="image/png", size=len(factories.PNG))
    photo.file.save("north.png", ContentFile(factories.PNG), save=False)
    photo.save()
    return photo, reverse("sites:attachment-download", args=[photo.pk]), f"/api/v1/attachments/{photo.pk}/download/"


def answer_attachment(site: Any) -> tuple[SubmissionAttachment, str, str]:
    vendor, _user = make_vendor()
    answer = make_submission(make_rfi(make_assessment(site), invite=[vendor]), vendor, status="submitted")
    attachment = SubmissionAttachment(submission=answer, name="Crash test", content_type="application/pdf",
                                      size=len(PDF))
    attachment.file.save("crash.pdf", ContentFile(PDF), save=False)
    attachment.save()
    return (attachment, reverse("procurement:attachment", args=[attachment.pk]),
            f"/api/v1/submissions/{answer.pk}/attachments/{attachment.pk}/download/")


def report_file(site: Any) -> tuple[ReportJob, str, str]:
    job = ReportJob(organisation=site.organisation, kind="register", format="xlsx", status="done", progress=100)
    job.file.save("register.xlsx", ContentFile(b"PK\x03\x04 a spreadsheet"), save=False)
    job.save()
    return job, reverse("reports:download", args=[job.pk]), f"/api/v1/reports/{job.pk}/download/"


KINDS: dict[str, Callable[[Any], tuple[Any, str, str]]] = {
    "site photo": site_photo, "RFI answer attachment": answer_attachment, "report": report_file}


@pytest.mark.parametrize("route", ["page", "api"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_a_stored_file_is_served_to_an_allowed_user_only(client, viewer, outsider, site, kind, route):
    stored, page_url, api_url = KINDS[kind](site)
    url = page_url if route == "page" else api_url
    with stored.file.open("rb") as handle:
        content = handle.read()

    def fetch(user: Any) -> Any:
        if route == "page":
            client.force_login(user)
            return client.get(url)
        api = APIClient()
        api.force_authenticate(user)
        return api.get(url)

    assert fetch(outsider).status_code == 404
    allowed = fetch(viewer)
    assert allowed.status_code == 200
    assert b"".join(allowed.streaming_content) == content
    assert allowed["X-Content-Type-Options"] == "nosniff"
    assert allowed["Content-Disposition"].startswith(("attachment;", "inline;"))
    assert "filename=" in allowed["Content-Disposition"]
    assert allowed["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("kind", list(KINDS))
def test_no_stored_file_is_reachable_under_the_media_url(client, settings, viewer, site, kind):
    stored, _page, _api = KINDS[kind](site)
    client.force_login(viewer)
    assert client.get(settings.MEDIA_URL + stored.file.name).status_code == 404
