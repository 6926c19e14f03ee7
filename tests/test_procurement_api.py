"""The RFI API: a city drafts and publishes an RFI, invited vendors ask and answer, the city reads the
answers. Need-to-know: a vendor sees only what it may (its own answers, the RFI as written for the
market), never the city's assessment or evaluation, nor another vendor's answer; an outsider nothing.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from stoa.evaluation.models import Alternative, CriteriaSet, Evaluation
from stoa.procurement.models import Clarification, Rfi, RfiRequirement, Submission, SubmissionStatus
from tests import factories
from tests.assessment_samples import make_assessment
from tests.evaluation_samples import make_evaluation, make_rfi, make_submission, make_vendor, small_criteria

pytestmark = pytest.mark.django_db
API = "/api/v1"
PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.fixture(autouse=True)
def _fast(settings: Any, tmp_path: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def world(site: Any, officer: Any) -> dict[str, Any]:
    """A published RFI with an evaluation, vendors A and B invited, C not."""
    assessment = make_assessment(site)
    evaluation = make_evaluation(assessment)
    vendors = {key: make_vendor(f"Vendor {key}", f"vendor-{key.lower()}") for key in "ABC"}
    rfi = make_rfi(assessment, evaluation=evaluation, invite=[vendors["A"][0], vendors["B"][0]])
    RfiRequirement.objects.create(rfi=rfi, text="Rated against a 7.5 t truck at 48 km/h")
    return {"assessment": assessment, "evaluation": evaluation, "rfi": rfi, "city": client_for(officer),
            **{key: client_for(user) for key, (_org, user) in vendors.items()},
            "orgs": {key: org for key, (org, _user) in vendors.items()}}


def ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def upload(content: bytes = PDF, name: str = "crash-test.pdf") -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


ANSWER = {"solution": "Shallow bollards", "description": "Rated shallow-mount bollards.", "threats": ["VEHICLE"],
          "trl": 9, "capital_eur": 80000, "yearly_eur": 2000, "privacy_impact": "none"}


# -- the city's side -----------------------------------------------------------------------------


def test_a_city_drafts_an_rfi_from_its_assessment_and_publishes_it(world, org):
    city, assessment = world["city"], world["assessment"]
    own = CriteriaSet.objects.create(organisation=org, name="Ours", data=small_criteria())
    vehicle = assessment.scenarios.get(threat__ref_id="VEHICLE")
    opens = timezone.now() - timedelta(hours=1)
    body = {"assessment": str(assessment.pk), "scenarios": [str(vehicle.pk)], "criteria_source": f"own:{own.pk}",
            "title": "Barriers", "opens_at": opens.isoformat(), "closes_at": (opens + timedelta(days=20)).isoformat()}
    response = city.post(f"{API}/rfis/", body, format="json")
    assert response.status_code == 201, response.json()
    rfi = Rfi.objects.get(pk=response.json()["id"])
    assert rfi.status == "draft" and rfi.threats == ["VEHICLE"] and rfi.reference.startswith("RFI-")
    assert "vehicle" in rfi.problem and rfi.evaluation.criteria_source == f"own:{own.pk}"
    assert response.json()["evaluation"] == str(rfi.evaluation_id) and response.json()["phase"] == "draft"
    late = city.post(f"{API}/rfis/", {**body, "closes_at": (opens - timedelta(days=1)).isoformat()}, format="json")
    assert "deadline must come after" in " ".join(late.json()["errors"]["closes_at"])

    response = city.post(f"{API}/rfis/{rfi.pk}/publish/")
    assert response.status_code == 400 and "at least one requirement" in response.json()["detail"]
    response = city.post(f"{API}/rfis/{rfi.pk}/requirements/", {"text": "Crash rated", "priority": "must"},
                         format="json")
    assert response.status_code == 201, response.json()
    assert city.patch(f"{API}/rfis/{rfi.pk}/", {"title": "Vehicle barriers"}, format="json").status_code == 200
    response = city.post(f"{API}/rfis/{rfi.pk}/publish/")
    assert response.status_code == 200 and response.json()["status"] == "published"
    for refused in (city.patch(f"{API}/rfis/{rfi.pk}/", {"title": "Later"}, format="json"),
                    city.post(f"{API}/rfis/{rfi.pk}/requirements/", {"text": "More"}, format="json"),
                    city.delete(f"{API}/rfis/{rfi.pk}/"), city.post(f"{API}/rfis/{rfi.pk}/publish/")):
        assert refused.status_code == 409, refused.content
    invited = city.post(f"{API}/rfis/{rfi.pk}/invitations/", {"vendor": world["orgs"]["C"].slug}, format="json")
    assert invited.status_code == 201 and invited.json()["vendor_name"] == "Vendor C"
    assert world["C"].get(f"{API}/rfis/{rfi.pk}/").status_code == 200


def test_a_viewer_cannot_draft_and_another_city_cannot_draft_on_a_shared_space(world, site, viewer, other_org):
    body = {"assessment": str(world["assessment"].pk), "scenarios": [], "criteria_source": "x", "title": "T",
            "opens_at": timezone.now().isoformat(), "closes_at": timezone.now().isoformat()}
    assert client_for(viewer).post(f"{API}/rfis/", body, format="json").status_code == 403
    factories.share(site, other_org, "edit")
    editor = client_for(factories.make_user(other_org, "security_officer"))
    assert editor.post(f"{API}/rfis/", body, format="json").status_code == 403
    assert Rfi.objects.count() == 1


# -- the vendors' side ---------------------------------------------------------------------------


def test_an_invited_vendor_reads_the_rfi_as_written_for_the_market(world):
    rfi, vendor = world["rfi"], world["A"]
    assert ids(vendor.get(f"{API}/rfis/")) == {str(rfi.pk)}
    seen = vendor.get(f"{API}/rfis/{rfi.pk}/").json()
    assert seen["assessment"] is None and seen["evaluation"] is None and seen["scenarios"] == []
    assert seen["title"] == rfi.title and seen["phase"] == "open" and seen["city"] == "Valmont"
    assert len(ids(vendor.get(f"{API}/rfis/{rfi.pk}/requirements/"))) == 1
    assert ids(vendor.get(f"{API}/rfis/{rfi.pk}/invitations/")) == set()  # never who else is invited
    assert vendor.patch(f"{API}/rfis/{rfi.pk}/", {"title": "Mine"}, format="json").status_code == 403
    assert world["C"].get(f"{API}/rfis/{rfi.pk}/").status_code == 404
    assert ids(world["C"].get(f"{API}/rfis/")) == set()
    assert world["C"].get(f"{API}/rfis/{rfi.pk}/requirements/").status_code == 404


def test_vendor_a_answers_and_vendor_b_never_sees_the_answer_nor_the_city(world):
    rfi, a, b, city = world["rfi"], world["A"], world["B"], world["city"]
    response = a.post(f"{API}/submissions/", {**ANSWER, "rfi": str(rfi.pk)}, format="json")
    assert response.status_code == 201, response.json()
    answer = Submission.objects.get(pk=response.json()["id"])
    assert answer.organisation == world["orgs"]["A"] and answer.status == "draft"
    response = a.post(f"{API}/submissions/{answer.pk}/attachments/", {"file": upload(), "name": "Crash test"},
                      format="multipart")
    assert response.status_code == 201, response.json()
    attachment = response.json()
    assert attachment["content_type"] == "application/pdf" and attachment["size"] == len(PDF)
    assert ids(city.get(f"{API}/submissions/")) == set()  # a draft stays with the vendor
    assert city.get(f"{API}/submissions/{answer.pk}/").status_code == 404

    response = a.post(f"{API}/submissions/{answer.pk}/submit/")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert world["evaluation"].alternatives.filter(submission=answer).exists()
    assert ids(city.get(f"{API}/submissions/")) == {str(answer.pk)}
    screening = city.get(f"{API}/submissions/{answer.pk}/").json()["screening"]
    assert screening == []  # the requirement has no measurable condition
    download = city.get(attachment["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    assert ids(b.get(f"{API}/submissions/")) == set()
    for path in (f"submissions/{answer.pk}/", f"submissions/{answer.pk}/attachments/",
                 f"submissions/{answer.pk}/attachments/{attachment['id']}/download/",
                 f"assessments/{world['assessment'].pk}/", *(f"evaluations/{world['evaluation'].pk}/{part}"
                                                              for part in ("", "alternatives/", "results/"))):
        assert b.get(f"{API}/{path}").status_code == 404, path
    assert ids(b.get(f"{API}/assessments/")) == set() and ids(b.get(f"{API}/evaluations/")) == set()
    assert b.post(f"{API}/submissions/{answer.pk}/submit/").status_code == 404
    assert b.patch(f"{API}/submissions/{answer.pk}/", {"solution": "Mine"}, format="json").status_code == 404


def test_a_submitted_answer_no_longer_changes(world):
    answer = make_submission(world["rfi"], world["orgs"]["A"])
    client = world["A"]
    assert client.post(f"{API}/submissions/{answer.pk}/submit/").status_code == 200
    again = client.post(f"{API}/submissions/{answer.pk}/submit/")
    assert again.status_code == 400 and "already been submitted" in again.json()["detail"]
    for refused in (client.patch(f"{API}/submissions/{answer.pk}/", {"solution": "Other"}, format="json"),
                    client.delete(f"{API}/submissions/{answer.pk}/"),
                    client.post(f"{API}/submissions/{answer.pk}/attachments/", {"file": upload()},
                                format="multipart")):
        assert refused.status_code == 409 and "can no longer be edited" in refused.json()["detail"]
    assert world["city"].patch(f"{API}/submissions/{answer.pk}/", {"solution": "Ours"},
                               format="json").status_code == 403


def test_submitting_after_the_deadline_is_refused_and_the_answer_stays_a_draft(world):
    rfi = world["rfi"]
    answer = make_submission(rfi, world["orgs"]["A"])
    Rfi.objects.filter(pk=rfi.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    response = world["A"].post(f"{API}/submissions/{answer.pk}/submit/")
    assert response.status_code == 400
    assert "The deadline" in response.json()["detail"] and "has passed" in response.json()["detail"]
    answer.refresh_from_db()
    assert answer.status == SubmissionStatus.DRAFT and answer.submitted_at is None
    assert not world["evaluation"].alternatives.exists()
    late = world["B"].post(f"{API}/submissions/", {**ANSWER, "rfi": str(rfi.pk)}, format="json")
    assert late.status_code == 409 and "has passed" in late.json()["detail"]


@pytest.mark.parametrize(("content", "limit", "message"), [
    (b"just text, not a document", None, "not a PDF, PNG or JPEG"),
    (PDF, 10, "the limit is"),
])
def test_attachments_are_checked_by_content_and_size(world, settings, content, limit, message):
    if limit:
        settings.MAX_UPLOAD_BYTES = limit
    answer = make_submission(world["rfi"], world["orgs"]["A"])
    response = world["A"].post(f"{API}/submissions/{answer.pk}/attachments/", {"file": upload(content, "report.pdf")},
                               format="multipart")
    assert response.status_code == 400 and message in " ".join(response.json()["errors"]["file"])
    assert not answer.attachments.exists()


def test_only_a_vendor_that_may_answer_does(world, org):
    rfi = world["rfi"]
    body = {**ANSWER, "rfi": str(rfi.pk)}
    assert world["city"].post(f"{API}/submissions/", body, format="json").status_code == 403  # not a vendor
    reader = client_for(factories.make_user(world["orgs"]["A"], "viewer"))
    assert reader.post(f"{API}/submissions/", body, format="json").status_code == 403  # role may not add
    assert world["C"].post(f"{API}/submissions/", body, format="json").status_code == 400  # RFI unseen
    assert not Submission.objects.exists()


def test_clarifications_are_shared_without_saying_who_asked(world):
    rfi, a, b, city = world["rfi"], world["A"], world["B"], world["city"]
    url = f"{API}/rfis/{rfi.pk}/clarifications/"
    response = a.post(url, {"question": "Is a removable bollard acceptable?", "answer": "Yes"}, format="json")
    assert response.status_code == 201, response.json()
    asked = Clarification.objects.get(pk=response.json()["id"])
    assert asked.asked_by == world["orgs"]["A"] and asked.answer == "" and asked.organisation_id == rfi.organisation_id
    assert ids(b.get(url)) == set() and ids(a.get(url)) == {str(asked.pk)}
    assert a.patch(f"{url}{asked.pk}/", {"answer": "Yes"}, format="json").status_code == 403
    assert city.post(url, {"question": "Ours?"}, format="json").status_code == 403
    assert "Write the answer" in " ".join(city.patch(f"{url}{asked.pk}/", {"answer": " "}, format="json")
                                          .json()["errors"]["answer"])
    response = city.patch(f"{url}{asked.pk}/", {"answer": "Yes, if rated."}, format="json")
    assert response.status_code == 200 and response.json()["answered_at"] and response.json()["asked_by"] == "vendor-a"
    seen = b.get(url).json()["results"]
    assert [(row["answer"], row["asked_by"]) for row in seen] == [("Yes, if rated.", None)]
    Rfi.objects.filter(pk=rfi.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    late = b.post(url, {"question": "Still?"}, format="json")
    assert late.status_code == 409 and "has passed" in late.json()["detail"]


def test_demonstrations_are_scheduled_for_shortlisted_answers(world):
    rfi, city = world["rfi"], world["city"]
    answers = {key: make_submission(rfi, world["orgs"][key], solution=f"Barrier {key}") for key in "AB"}
    for key in "AB":
        assert world[key].post(f"{API}/submissions/{answers[key].pk}/submit/").status_code == 200
    body = {"rfi": str(rfi.pk), "submission": str(answers["A"].pk), "starts_at": timezone.now().isoformat(),
            "mode": "live", "place": "Grand-Place"}
    response = city.post(f"{API}/demonstrations/", body, format="json")
    assert "shortlisted" in " ".join(response.json()["errors"]["submission"])
    Alternative.objects.filter(submission=answers["A"]).update(shortlisted=True)
    response = city.post(f"{API}/demonstrations/", body, format="json")
    assert response.status_code == 201, response.json()
    assert ids(world["A"].get(f"{API}/demonstrations/")) == {response.json()["id"]}
    assert ids(world["B"].get(f"{API}/demonstrations/")) == set()
    assert world["A"].post(f"{API}/demonstrations/", body, format="json").status_code == 403


def test_an_outsider_city_sees_nothing_of_the_rfi(world, outsider):
    rfi, client = world["rfi"], client_for(outsider)
    answer = make_submission(rfi, world["orgs"]["A"])
    world["A"].post(f"{API}/submissions/{answer.pk}/submit/")
    for path in ("rfis/", "submissions/", "demonstrations/", "evaluations/"):
        assert ids(client.get(f"{API}/{path}")) == set(), path
    for path in (f"rfis/{rfi.pk}/", f"rfis/{rfi.pk}/requirements/", f"rfis/{rfi.pk}/clarifications/",
                 f"submissions/{answer.pk}/", f"submissions/{answer.pk}/attachments/"):
        assert client.get(f"{API}/{path}").status_code == 404, path
    assert Evaluation.objects.count() == 1


def test_the_schema_describes_the_evaluation_and_rfi_endpoints(officer):
    text = client_for(officer).get(f"{API}/schema/").content.decode()
    for path in ("criteria-sets/", "criteria-sources/", "evaluations/", "evaluations/{id}/results/",
                 "evaluations/{id}/sensitivity/", "evaluations/{id}/break-even/", "evaluations/{id}/acceptability/",
                 "evaluations/{id}/freeze/", "evaluations/{id}/record/", "evaluations/{id}/record/check/",
                 "evaluations/{evaluation_pk}/scores/{id}/", "evaluations/{evaluation_pk}/weightings/",
                 "rfis/", "rfis/{id}/publish/", "rfis/{rfi_pk}/clarifications/{id}/", "submissions/{id}/submit/",
                 "submissions/{submission_pk}/attachments/{id}/download/", "demonstrations/"):
        assert f"/api/v1/{path}:" in text, path
