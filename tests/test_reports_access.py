"""Who may make, follow and download reports, on the pages and the API.

The rule (``stoa.reports.services``): every member whose role lets them read the organisation's
records may make a report (viewers too: a report prints only what they can already read) and see
and download the organisation's reports; another organisation never sees them (404, as if they did
not exist); vendors make none; only an administrator changes what is sensitive."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from stoa.plans.models import ActionPlan
from stoa.reports.models import RedactionPolicy, ReportJob
from stoa.reports.services import request_report
from tests import factories
from tests.assessment_samples import make_assessment

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def job(org: Any, officer: Any, site: Any) -> ReportJob:
    return request_report(officer, org, kind="register")


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_viewer_makes_a_report_follows_it_and_downloads_it(client, viewer, site):
    client.force_login(viewer)
    page = client.get(reverse("reports:list"))
    assert page.status_code == 200 and 'href="/reports/"' in page.content.decode()  # the nav item
    response = client.post(reverse("reports:list"), {"kind": "register"})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and job.created_by == viewer and job.format == "xlsx"
    html = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert 'role="progressbar"' in html and 'aria-valuenow="100"' in html and "100 %" in html
    assert reverse("reports:download", args=[job.pk]) in html
    download = client.get(reverse("reports:download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    assert download["Cache-Control"] == "private, no-store" and "attachment" in download["Content-Disposition"]
    assert job.get_kind_display() in client.get(reverse("reports:list")).content.decode()


def test_a_running_job_page_is_polled_every_second_and_htmx_gets_the_fragment_only(client, viewer, job):
    ReportJob.objects.filter(pk=job.pk).update(status="running", progress=42, step="City heat map")
    client.force_login(viewer)
    html = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html and 'aria-valuenow="42"' in html and "42 %" in html
    assert "City heat map" in html and 'aria-live="polite"' in html
    fragment = client.get(reverse("reports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'aria-valuenow="42"' in fragment
    assert reverse("reports:download", args=[job.pk]) not in fragment


def test_another_organisation_never_sees_or_downloads_a_report(client, outsider, job):
    client.force_login(outsider)
    for name in ("job", "download"):
        assert client.get(reverse(f"reports:{name}", args=[job.pk])).status_code == 404
    assert str(job.pk) not in client.get(reverse("reports:list")).content.decode()
    for url in (f"/api/v1/reports/{job.pk}/", f"/api/v1/reports/{job.pk}/download/"):
        assert api(outsider).get(url).status_code == 404
    listed = api(outsider).get("/api/v1/reports/").json()
    assert str(job.pk) not in str(listed)


def test_an_unknown_id_is_404_and_a_report_without_file_has_nothing_to_download(client, viewer, job):
    client.force_login(viewer)
    assert client.get("/reports/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/reports/not-a-uuid/").status_code == 404
    ReportJob.objects.filter(pk=job.pk).update(status="running", file="")
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404
    assert client.post(reverse("reports:download", args=[job.pk])).status_code == 405


def test_vendors_make_no_reports_and_see_no_menu_item(client):
    vendor = factories.make_org(kind="vendor", name="Bollards Inc", slug="bollards-inc")
    seller = factories.make_user(vendor, "admin", username="seller")
    client.force_login(seller)
    assert client.get(reverse("reports:list")).status_code == 403
    assert api(seller).post("/api/v1/reports/", {"kind": "register"}, format="json").status_code == 403
    assert 'href="/reports/"' not in client.get(reverse("home")).content.decode()


def test_only_an_administrator_changes_what_is_sensitive(client, org, viewer):
    admin = factories.make_user(org, "admin", username="boss")
    client.force_login(viewer)
    assert client.get(reverse("reports:settings")).status_code == 403
    client.force_login(admin)
    page = client.get(reverse("reports:settings")).content.decode()
    assert page.count("checked") == 5  # everything is sensitive until saved
    response = client.post(reverse("reports:settings"), {"sensitive": ["narratives", "people"]})
    assert response.status_code == 302
    assert RedactionPolicy.objects.get(organisation=org).sensitive == ["narratives", "people"]


def test_the_api_starts_a_report_with_202_and_reports_its_progress_and_file(viewer, site):
    client = api(viewer)
    started = client.post("/api/v1/reports/", {"kind": "register", "redacted": True}, format="json")
    assert started.status_code == 202, started.content
    body = started.json()
    assert body["status"] == "done" and body["progress"] == 100 and body["redacted"] is True
    assert body["url"].endswith(f"/api/v1/reports/{body['id']}/")
    polled = client.get(f"/api/v1/reports/{body['id']}/").json()
    assert polled["download_url"].endswith(f"/api/v1/reports/{body['id']}/download/")
    download = client.get(polled["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    assert client.delete(f"/api/v1/reports/{body['id']}/").status_code == 405
    assert client.put(f"/api/v1/reports/{body['id']}/", {}, format="json").status_code == 405


def test_the_api_refuses_a_plan_report_without_a_plan_or_with_another_organisations_plan(viewer, other_org):
    client = api(viewer)
    assert client.post("/api/v1/reports/", {"kind": "action_plan"}, format="json").status_code == 400
    away = factories.make_site(other_org, name="Away square")
    plan = ActionPlan.objects.create(site=away, assessment=make_assessment(away), title="Away plan")
    refused = client.post("/api/v1/reports/", {"kind": "action_plan", "plan": str(plan.pk)}, format="json")
    assert refused.status_code == 400 and "plan" in refused.json()["errors"]
    wrong = client.post("/api/v1/reports/", {"kind": "register", "format": "pdf"}, format="json")
    assert wrong.status_code == 400 and "format" in wrong.json()["errors"]
    assert ReportJob.objects.count() == 0
