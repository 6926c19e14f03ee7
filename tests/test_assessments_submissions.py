"""Importing ODK Central / KoboToolbox submission exports: formats, checks, all or nothing, access."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from stoa.accounts.roles import Action
from stoa.assessments.field.submissions import AssessmentNotEditable, SubmissionRejected, import_submissions
from stoa.assessments.models import Answer, AnswerSource, Assessment, Status, TeamMember
from tests import factories
from tests.assessment_samples import make_assessment
from tests.conftest import ROLES
from tests.test_api_access_matrix import SCOPES, effective

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def assessment(site) -> Assessment:
    return make_assessment(site)


def odk_csv(assessment: Assessment, *rows: dict[str, str]) -> bytes:
    """ODK Central's CSV: group path joined with '-', metadata columns around the answers."""
    columns = ["SubmissionDate", "stoa_assessment", "stoa_site", "PROFILE-T01", "PROFILE-T02", "PROFILE-T03",
               "PROFILE-T04", "meta-instanceID", "KEY", "SubmitterName", "ReviewState"]
    lines = [",".join(columns)]
    for i, row in enumerate(rows, start=1):
        cells = {"SubmissionDate": "2026-11-20T10:00:00.000Z", "stoa_assessment": str(assessment.pk),
                 "stoa_site": str(assessment.site_id), "meta-instanceID": f"uuid:{i:04d}", "KEY": f"uuid:{i:04d}",
                 "SubmitterName": "phone 1", "ReviewState": ""} | row
        lines.append(",".join(f'"{cells.get(c, "")}"' for c in columns))
    return ("\n".join(lines) + "\n").encode()


def answers_of(assessment: Assessment, user: Any) -> dict[str, Any]:
    return dict(Answer.objects.filter(assessment=assessment, assessor=user).values_list("question", "value"))


def test_an_odk_central_csv_becomes_the_assessors_answers(assessment, officer):
    data = odk_csv(assessment, {"PROFILE-T01": "no", "PROFILE-T02": "1500", "PROFILE-T03": "cctv guards",
                                "PROFILE-T04": "  Gates open at 6.  "})
    result = import_submissions(assessment, data, "stoa.csv", officer)
    assert result.submissions == 1 and result.count == 4
    assert answers_of(assessment, officer) == {"T01": "no", "T02": 1500, "T03": ["cctv", "guards"],
                                               "T04": "Gates open at 6."}
    assert set(Answer.objects.values_list("source", flat=True)) == {AnswerSource.XLSFORM}
    vehicle = assessment.scenarios.get(threat__ref_id="VEHICLE")
    assert vehicle.proposed_likelihood == 4  # the proposals follow the imported answer


def test_a_kobo_csv_with_semicolons_slashes_and_split_choice_columns(assessment, officer):
    header = "start;end;stoa_assessment;stoa_site;PROFILE/T01;PROFILE/T03;PROFILE/T03/cctv;PROFILE/T03/guards;_id;_uuid"
    row = f"x;y;{assessment.pk};{assessment.site_id};yes;guards;0;1;17;abc"
    import_submissions(assessment, f"{header}\n{row}\n".encode(), "kobo.csv", officer)
    assert answers_of(assessment, officer) == {"T01": "yes", "T03": ["guards"]}


def test_kobo_split_columns_alone_rebuild_the_multiple_choice(assessment, officer):
    header = "stoa_assessment,stoa_site,PROFILE/T03/cctv,PROFILE/T03/guards"
    data = f"{header}\n{assessment.pk},{assessment.site_id},1,1\n".encode()
    import_submissions(assessment, data, "kobo.csv", officer)
    assert answers_of(assessment, officer) == {"T03": ["cctv", "guards"]}


def test_odk_odata_json_with_nested_groups(assessment, officer):
    doc = {"@odata.context": "x", "value": [{
        "__id": "uuid:1", "stoa_assessment": str(assessment.pk), "stoa_site": str(assessment.site_id),
        "PROFILE": {"T01": "unknown", "T02": 250, "T03": "cctv"}, "meta": {"instanceID": "uuid:1"},
        "__system": {"submitterName": "phone"}}]}
    import_submissions(assessment, json.dumps(doc).encode(), "submissions.json", officer)
    assert answers_of(assessment, officer) == {"T01": "unknown", "T02": 250, "T03": ["cctv"]}


def test_kobo_json_results_with_flat_paths(assessment, officer):
    doc = {"count": 1, "results": [{"_id": 3, "stoa_assessment": str(assessment.pk),
                                    "stoa_site": str(assessment.site_id), "PROFILE/T04": "Two entrances"}]}
    import_submissions(assessment, json.dumps(doc).encode(), "data.json", officer)
    assert answers_of(assessment, officer) == {"T04": "Two entrances"}


def _refused(assessment: Assessment, data: bytes, user: Any, filename: str = "x.csv") -> list[str]:
    with pytest.raises(SubmissionRejected) as caught:
        import_submissions(assessment, data, filename, user)
    assert not Answer.objects.exists()
    return [str(p) for p in caught.value.problems]


def test_a_submission_for_another_public_space_is_refused(assessment, officer, org):
    elsewhere = make_assessment(factories.make_site(org, name="Station Forecourt"))
    data = odk_csv(assessment, {"PROFILE-T01": "yes"}, {"PROFILE-T01": "yes", "stoa_site": str(elsewhere.site_id),
                                                        "stoa_assessment": str(elsewhere.pk)})
    problems = _refused(assessment, data, officer)
    assert problems == ["submission 2 (uuid:0002), stoa_site: this submission was collected for another public "
                        "space, not Market Square"]


def test_a_submission_for_another_assessment_of_the_same_space_is_refused(assessment, officer, site):
    earlier = make_assessment(site)
    problems = _refused(assessment, odk_csv(assessment, {"PROFILE-T01": "yes", "stoa_assessment": str(earlier.pk)}),
                        officer)
    assert len(problems) == 1 and "collected for another assessment of Market Square" in problems[0]


def test_a_file_without_the_hidden_ids_is_refused(assessment, officer):
    problems = _refused(assessment, b"PROFILE-T01\nyes\n", officer)
    assert "no stoa_assessment and stoa_site columns" in problems[0]
    problems = _refused(assessment, odk_csv(assessment, {"stoa_assessment": "", "PROFILE-T01": "yes"}), officer)
    assert "does not say which assessment" in problems[0]


@pytest.mark.parametrize(("row", "message"), [
    ({"PROFILE-T02": "lots"}, "T02: This question expects a number"),
    ({"PROFILE-T02": "-3"}, "T02: The number cannot be negative"),
    ({"PROFILE-T01": "Yes"}, "T01: Choose one of: yes, no, unknown"),
    ({"PROFILE-T03": "cctv drones"}, "T03: Choose any of: cctv, guards"),
])
def test_a_wrong_answer_refuses_the_whole_file(assessment, officer, row, message):
    data = odk_csv(assessment, {"PROFILE-T01": "no", "PROFILE-T04": "fine"}, row)
    problems = _refused(assessment, data, officer)
    assert len(problems) == 1 and message in problems[0] and problems[0].startswith("submission 2")


def test_a_question_not_asked_at_this_depth_is_refused(assessment, officer):
    header = "stoa_assessment,stoa_site,PROFILE-T05"
    problems = _refused(assessment, f"{header}\n{assessment.pk},{assessment.site_id},high\n".encode(), officer)
    assert problems == ["submission 1, T05: this question is not asked in a quick scan"]


def test_two_submissions_that_disagree_are_refused_but_agreeing_ones_merge(assessment, officer):
    problems = _refused(assessment, odk_csv(assessment, {"PROFILE-T01": "no"}, {"PROFILE-T01": "yes"}), officer)
    assert "submission 1 (uuid:0001) gives a different answer" in problems[0]
    result = import_submissions(assessment, odk_csv(assessment, {"PROFILE-T01": "no"},
                                                    {"PROFILE-T01": "no", "PROFILE-T02": "12"}), "x.csv", officer)
    assert result.submissions == 2 and answers_of(assessment, officer) == {"T01": "no", "T02": 12}


@pytest.mark.parametrize(("data", "filename", "message"), [
    (b"", "x.csv", "the file is empty"),
    (b"\xff\xfe\x00junk", "x.csv", "not UTF-8"),
    (b"{not json", "x.json", "not valid JSON"),
    (b'"just a string"', "x.json", "expected a list of submissions"),
    (b"stoa_assessment,stoa_site,PROFILE-T01\n", "x.csv", "no submissions"),
    (b"stoa_assessment,stoa_site,Is there a barrier?\n1,2,Yes\n", "x.csv", "XML values and headers"),
    (b"a,a,PROFILE-T01\n1,2,yes\n", "x.csv", "appear twice: a"),
])
def test_unreadable_files_get_a_specific_message(assessment, officer, data, filename, message):
    problems = _refused(assessment, data, officer, filename)
    assert message in problems[0]


def test_empty_cells_and_other_assessors_answers_are_left_alone(assessment, officer, org):
    colleague = factories.make_user(org, "assessor")
    Answer.objects.create(assessment=assessment, question="T01", assessor=colleague, value="yes")
    Answer.objects.create(assessment=assessment, question="T04", assessor=officer, value="kept")
    Answer.objects.create(assessment=assessment, question="T02", assessor=officer, value=5)
    import_submissions(assessment, odk_csv(assessment, {"PROFILE-T01": "no", "PROFILE-T02": "40"}), "x.csv", officer)
    assert answers_of(assessment, officer) == {"T01": "no", "T02": 40, "T04": "kept"}
    assert answers_of(assessment, colleague) == {"T01": "yes"}


def test_photos_are_skipped_with_a_note(assessment, officer):
    from stoa.library.models import ReferenceObject

    t04 = ReferenceObject.objects.get(kind="question", ref_id="T04")
    t04.data = {**t04.data, "type": "photo"}
    t04.save()
    result = import_submissions(assessment, odk_csv(assessment, {"PROFILE-T04": "1700000.jpg",
                                                                 "PROFILE-T01": "yes"}), "x.csv", officer)
    assert result.photos_skipped == ["T04"] and answers_of(assessment, officer) == {"T01": "yes"}


def test_a_submitted_assessment_takes_no_import(assessment, officer):
    Assessment.objects.filter(pk=assessment.pk).update(status=Status.SUBMITTED)
    assessment.refresh_from_db()
    with pytest.raises(AssessmentNotEditable) as caught:
        import_submissions(assessment, odk_csv(assessment, {"PROFILE-T01": "no"}), "x.csv", officer)
    assert "only a draft assessment takes new answers" in str(caught.value)
    assert not Answer.objects.exists()


# --- the page ---------------------------------------------------------------------------------------

def _upload(data: bytes, name: str = "export.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_the_page_imports_for_a_chosen_team_member(client, assessment, officer, org):
    colleague = factories.make_user(org, "assessor", first_name="Ana", last_name="Lopes")
    TeamMember.objects.create(assessment=assessment, name="Ana Lopes", user=colleague)
    client.force_login(officer)
    page = client.get(reverse("assessments:field", args=[assessment.pk])).content.decode()
    assert "Ana Lopes" in page
    response = client.post(reverse("assessments:submissions", args=[assessment.pk]), {
        "file": _upload(odk_csv(assessment, {"PROFILE-T01": "no"})), "assessor": str(colleague.pk)}, follow=True)
    assert response.status_code == 200
    assert "1 answer imported from export.csv (submissions read: 1)" in response.content.decode()
    assert answers_of(assessment, colleague) == {"T01": "no"} and answers_of(assessment, officer) == {}


def test_the_page_lists_the_problems_and_imports_nothing(client, assessment, officer, org):
    client.force_login(officer)
    elsewhere = make_assessment(factories.make_site(org, name="Station Forecourt"))
    response = client.post(reverse("assessments:submissions", args=[assessment.pk]), {
        "file": _upload(odk_csv(elsewhere, {"PROFILE-T01": "no"})), "assessor": str(officer.pk)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported" in html and "collected for another public space, not Market Square" in html
    assert not Answer.objects.exists()


def test_the_page_refuses_an_assessor_outside_the_team(client, assessment, officer, org):
    stranger = factories.make_user(org, "assessor")
    client.force_login(officer)
    response = client.post(reverse("assessments:submissions", args=[assessment.pk]), {
        "file": _upload(odk_csv(assessment, {"PROFILE-T01": "no"})), "assessor": str(stranger.pk)})
    assert response.status_code == 400 and not Answer.objects.exists()


def test_the_page_says_a_submitted_assessment_takes_no_import(client, assessment, officer):
    Assessment.objects.filter(pk=assessment.pk).update(status=Status.SUBMITTED)
    client.force_login(officer)
    assert "only a draft takes new answers" in client.get(
        reverse("assessments:field", args=[assessment.pk])).content.decode()
    response = client.post(reverse("assessments:submissions", args=[assessment.pk]), {
        "file": _upload(odk_csv(assessment, {"PROFILE-T01": "no"})), "assessor": str(officer.pk)})
    assert response.status_code == 409 and not Answer.objects.exists()


# --- the API: every role × scope, and the refusals ----------------------------------------------------

CASES = [pytest.param(role, scope, id=f"{role}-{scope}") for role in ROLES for scope in SCOPES]


@pytest.mark.parametrize(("role", "scope"), CASES)
def test_api_access_follows_the_site(assessment, org, other_org, role, scope):
    if scope == "own":
        user = factories.make_user(org, role)
    else:
        if scope != "other":
            factories.share(assessment.site, other_org, scope.removeprefix("shared_"))
        user = factories.make_user(other_org, role)
    client = APIClient()
    client.force_authenticate(user)
    rights = effective(role, scope)
    seen = Action.VIEW in rights
    xlsform = client.get(f"/api/v1/assessments/{assessment.pk}/xlsform/")
    assert xlsform.status_code == (200 if seen else 404)
    response = client.post(f"/api/v1/assessments/{assessment.pk}/submissions/",
                           {"file": _upload(odk_csv(assessment, {"PROFILE-T01": "no"}))}, format="multipart")
    expected = 201 if Action.CHANGE in rights else (403 if seen else 404)
    assert response.status_code == expected, response.content
    assert Answer.objects.filter(assessment=assessment, assessor=user).exists() == (expected == 201)


def test_api_refusals_carry_the_problems(assessment, officer, org):
    client = APIClient()
    client.force_authenticate(officer)
    url = f"/api/v1/assessments/{assessment.pk}/submissions/"
    response = client.post(url, {"file": _upload(odk_csv(assessment, {"PROFILE-T02": "lots"}))}, format="multipart")
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "T02"
    stranger = factories.make_user(org, "assessor")
    response = client.post(url, {"file": _upload(odk_csv(assessment, {})), "assessor": str(stranger.pk)},
                           format="multipart")
    assert response.status_code == 400 and "assessor" in response.json()["errors"]
    Assessment.objects.filter(pk=assessment.pk).update(status=Status.SIGNED_OFF)
    response = client.post(url, {"file": _upload(odk_csv(assessment, {"PROFILE-T01": "no"}))}, format="multipart")
    assert response.status_code == 409 and "only a draft" in response.json()["problems"][0]["message"]
    assert not Answer.objects.exists()
