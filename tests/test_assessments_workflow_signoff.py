"""Submit, sign off (four eyes), send back, re-assess; the freeze rule on pages, API and models;
the trend on the PSOI page; the workflow API for every role × scope."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from stoa.accounts.roles import Action
from stoa.assessments import workflow
from stoa.assessments.locking import AssessmentLocked
from stoa.assessments.merge import settle
from stoa.assessments.models import (
    Answer,
    AnswerSource,
    Assessment,
    ExistingMeasure,
    Objective,
    Scenario,
    SettledAnswer,
    TeamMember,
)
from tests import factories
from tests.assessment_pages.workflow import complete
from tests.assessment_samples import make_assessment
from tests.conftest import ROLES
from tests.test_api_access_matrix import SCOPES, effective

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def lead(org):
    return factories.make_user(org, "assessor", username="lead")


@pytest.fixture
def approver(org):
    return factories.make_user(org, "security_officer", username="approver")


@pytest.fixture
def draft(site, lead):
    assessment = make_assessment(site, date=datetime.date(2025, 5, 4))
    assessment.lead = lead
    assessment.save()
    return assessment


def rate_all(assessment: Assessment, likelihood: int = 3, consequence: int = 3) -> None:
    for scenario in assessment.scenarios.all():
        scenario.likelihood, scenario.consequence = likelihood, consequence
        scenario.override_justification = "Seen on site." if (likelihood, consequence) != (3, 3) else ""
        scenario.save()


# --- the steps ------------------------------------------------------------------------------------

def test_an_incomplete_draft_cannot_be_submitted_and_says_what_is_missing(draft, lead):
    with pytest.raises(workflow.NotReady) as refused:
        workflow.submit(draft, lead)
    assert "Rate these threat types" in refused.value.problems[0]
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.submitted_at is None


def test_unsettled_disagreement_blocks_submission_until_the_lead_settles(draft, lead, org):
    rate_all(draft)
    other = factories.make_user(org, "assessor")
    Answer.objects.create(assessment=draft, question="T01", assessor=lead, value="yes")
    Answer.objects.create(assessment=draft, question="T01", assessor=other, value="no")
    with pytest.raises(workflow.NotReady) as refused:
        workflow.submit(draft, lead)
    assert "T01" in " ".join(refused.value.problems)
    settle(draft, "T01", "yes", lead, "Bollards seen at both entrances.")
    assert workflow.submit(draft, lead).status == "submitted"


def test_only_the_named_lead_submits(draft, org):
    complete(draft)
    officer = factories.make_user(org, "security_officer")
    with pytest.raises(PermissionDenied):
        workflow.submit(draft, officer)


def test_sign_off_needs_another_approver_than_the_submitter(site, org, approver):
    assessment = complete(make_assessment(site))  # no lead named: an officer may submit
    workflow.submit(assessment, approver)
    with pytest.raises(PermissionDenied, match="four-eyes"):
        workflow.sign_off(assessment, approver)
    second = factories.make_user(org, "admin")
    signed = workflow.sign_off(assessment, second)
    assert signed.status == "signed_off" and signed.signed_off_by == second and signed.is_frozen


def test_an_assessor_cannot_sign_off(draft, lead, org):
    complete(draft)
    workflow.submit(draft, lead)
    with pytest.raises(PermissionDenied):
        workflow.sign_off(draft, factories.make_user(org, "assessor"))


def test_send_back_needs_a_reason_and_returns_a_draft(draft, lead, approver):
    complete(draft)
    workflow.submit(draft, lead)
    with pytest.raises(workflow.NotReady):
        workflow.send_back(draft, approver, "  ")
    back = workflow.send_back(draft, approver, "Rate the vehicle scenario again.")
    assert back.status == "draft" and back.returned_reason == "Rate the vehicle scenario again."
    assert back.submitted_by is None
    TeamMember.objects.create(assessment=back, name="Editable again")  # a draft again: no lock


def test_steps_in_the_wrong_status_are_refused(draft, lead, approver):
    with pytest.raises(workflow.WrongStatus):
        workflow.sign_off(draft, approver)
    with pytest.raises(workflow.WrongStatus):
        workflow.reassess(draft, approver)


# --- the freeze rule --------------------------------------------------------------------------------

@pytest.fixture
def signed(draft, lead, approver, org):
    rate_all(draft, 4, 4)
    Answer.objects.create(assessment=draft, question="T01", assessor=lead, value="no")
    TeamMember.objects.create(assessment=draft, name="A. Martin", role="Police")
    ExistingMeasure.objects.create(assessment=draft, description="Bollards", threats=["VEHICLE"])
    SettledAnswer.objects.create(assessment=draft, question="T02", value=2000, note="Counted")
    Objective.objects.create(assessment=draft, title="Stop vehicles")
    workflow.submit(draft, lead)
    return workflow.sign_off(draft, approver)


def test_a_signed_off_assessment_refuses_every_content_change(signed):
    scenario = signed.scenarios.first()
    scenario.narrative = "changed"
    attempts = [
        scenario.save,
        lambda: TeamMember.objects.create(assessment=signed, name="Late member"),
        lambda: signed.teammembers.first().delete(),
        lambda: Answer.objects.create(assessment=signed, question="T03", value=["cctv"]),
        lambda: SettledAnswer.objects.filter(assessment=signed).first().delete(),
        lambda: signed.objectives.first().scenarios.add(scenario),
        signed.delete,
    ]
    for attempt in attempts:
        with pytest.raises(AssessmentLocked), transaction.atomic():
            attempt()
    stale = Assessment.objects.get(pk=signed.pk)
    stale.managing_body = "Someone else"
    with pytest.raises(AssessmentLocked):
        stale.save()
    assert Scenario.objects.get(pk=scenario.pk).narrative == ""


def test_a_submitted_assessment_is_locked_but_its_workflow_moves(draft, lead, approver):
    complete(draft)
    workflow.submit(draft, lead)
    stale_member = TeamMember(assessment=Assessment.objects.get(pk=draft.pk), name="X")
    with pytest.raises(AssessmentLocked, match="submitted"):
        stale_member.save()
    assert workflow.sign_off(draft, approver).status == "signed_off"


def test_pages_answer_409_on_a_locked_assessment(client, signed, lead):
    client.force_login(lead)
    response = client.post(reverse("assessments:answer", args=[signed.pk, "T01"]), {"value": "yes"})
    assert response.status_code == 409
    assert "signed off" in response.content.decode()
    assert Answer.objects.get(assessment=signed, assessor=lead).value == "no"
    response = client.post(reverse("assessments:team-add", args=[signed.pk]), {"name": "Late"})
    assert response.status_code == 409


def test_the_api_answers_409_on_a_locked_assessment(signed, lead):
    api = APIClient()
    api.force_authenticate(lead)
    scenario = signed.scenarios.first()
    response = api.patch(f"{API}/scenarios/{scenario.pk}/", {"narrative": "late"}, format="json")
    assert response.status_code == 409 and "signed off" in response.json()["detail"]
    answer = Answer.objects.get(assessment=signed, assessor=lead)
    assert api.patch(f"{API}/answers/{answer.pk}/", {"value": "yes"}, format="json").status_code == 409


def test_locked_pages_hide_the_editing_controls_and_say_why(client, signed, lead):
    client.force_login(lead)
    html = client.get(reverse("assessments:detail", args=[signed.pk])).content.decode()
    assert reverse("assessments:edit", args=[signed.pk]) not in html
    assert reverse("assessments:team-add", args=[signed.pk]) not in html
    assert "can no longer change" in html
    html = client.get(reverse("assessments:questions", args=[signed.pk, "PROFILE"])).content.decode()
    assert "no longer a draft" in html and "disabled" in html


# --- re-assessment and trend ----------------------------------------------------------------------------

def test_reassessment_starts_as_a_copy(signed, approver):
    new = workflow.reassess(signed, approver)
    assert new.status == "draft" and new.previous == signed and new.site == signed.site
    assert new.date == datetime.date.today() and new.lead == signed.lead
    assert list(new.teammembers.values_list("name", "role")) == [("A. Martin", "Police")]
    copied = new.answers.get(question="T01")
    assert copied.value == "no" and copied.source == AnswerSource.COPY and copied.assessor == signed.lead
    assert new.settledanswers.get(question="T02").value == 2000
    assert new.existingmeasures.get().threats == ["VEHICLE"]
    vehicle = new.scenarios.get(threat__ref_id="VEHICLE")
    assert (vehicle.likelihood, vehicle.consequence) == (4, 4)
    assert not new.objectives.exists()
    with pytest.raises(workflow.WrongStatus):  # one re-assessment in progress at a time
        workflow.reassess(signed, approver)


def test_a_viewer_cannot_reassess(signed, viewer):
    with pytest.raises(PermissionDenied):
        workflow.reassess(signed, viewer)


def test_the_site_page_shows_the_trend_with_arrows(client, signed, approver, viewer, site):
    new = workflow.reassess(signed, approver)
    vehicle = new.scenarios.get(threat__ref_id="VEHICLE")
    vehicle.likelihood, vehicle.consequence = 1, 1
    vehicle.save()
    firearms = new.scenarios.get(threat__ref_id="FIREARMS")
    firearms.likelihood, firearms.consequence = 5, 5
    firearms.save()
    client.force_login(viewer)
    response = client.get(reverse("sites:detail", args=[site.pk]))
    html = response.content.decode()
    assert "Risk trend across assessments" in html
    assert "(lower than before)" in html and "(higher than before)" in html and "(unchanged)" in html
    assert reverse("assessments:detail", args=[signed.pk]) in html
    assert reverse("assessments:detail", args=[new.pk]) in html


def test_a_share_shows_the_trend_and_an_empty_site_shows_none(client, signed, other_org, site, org):
    factories.share(site, other_org, "read")
    client.force_login(factories.make_user(other_org, "viewer"))
    assert "Risk trend across assessments" in client.get(reverse("sites:detail", args=[site.pk])).content.decode()
    bare = factories.make_site(org, name="Quiet Street")
    client.force_login(factories.make_user(org, "viewer"))
    assert "Risk trend" not in client.get(reverse("sites:detail", args=[bare.pk])).content.decode()


# --- pages ---------------------------------------------------------------------------------------------

def test_the_pages_walk_the_whole_workflow(client, draft, lead, approver):
    rate_all(draft)
    client.force_login(lead)
    assert client.post(reverse("assessments:submit", args=[draft.pk])).status_code == 302
    client.force_login(approver)
    response = client.post(reverse("assessments:send-back", args=[draft.pk]), {"reason": ""})
    assert response.status_code == 400 and "Say why" in response.content.decode()
    assert client.post(reverse("assessments:send-back", args=[draft.pk]), {"reason": "Check T01"}).status_code == 302
    client.force_login(lead)
    assert "Check T01" in client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
    assert client.post(reverse("assessments:submit", args=[draft.pk])).status_code == 302
    client.force_login(approver)
    assert client.post(reverse("assessments:sign-off", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "signed_off"
    response = client.post(reverse("assessments:sign-off", args=[draft.pk]))
    assert response.status_code == 409
    response = client.post(reverse("assessments:reassess", args=[draft.pk]))
    new = Assessment.objects.get(previous=draft)
    assert response.status_code == 302 and response["Location"] == reverse("assessments:detail", args=[new.pk])


def test_the_submit_page_lists_what_is_missing(client, draft, lead):
    client.force_login(lead)
    response = client.post(reverse("assessments:submit", args=[draft.pk]))
    assert response.status_code == 400
    assert "Rate these threat types" in response.content.decode()


def test_the_submitter_sees_the_four_eyes_note(client, site, approver):
    assessment = complete(make_assessment(site))
    workflow.submit(assessment, approver)
    client.force_login(approver)
    html = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert "four-eyes" in html and reverse("assessments:sign-off", args=[assessment.pk]) not in html
    assert client.post(reverse("assessments:sign-off", args=[assessment.pk])).status_code == 403


# --- API: every role × scope --------------------------------------------------------------------------

def _caller(role: str, scope: str, site: Any, org: Any, other_org: Any) -> APIClient:
    if scope == "own":
        user = factories.make_user(org, role)
    else:
        if scope != "other":
            factories.share(site, other_org, scope.removeprefix("shared_"))
        user = factories.make_user(other_org, role)
    client = APIClient()
    client.force_authenticate(user)
    return client


def _status(rights: frozenset[str], action: str, ok: int) -> int:
    if action in rights:
        return ok
    return 403 if Action.VIEW in rights else 404


@pytest.mark.parametrize(("role", "scope"), [pytest.param(r, s, id=f"{r}-{s}") for r in ROLES for s in SCOPES])
def test_the_workflow_api_follows_the_roles(site, org, other_org, role, scope):
    submitter = factories.make_user(org, "security_officer")
    ready = complete(make_assessment(site))
    submitted = workflow.submit(complete(make_assessment(site)), submitter)
    to_send_back = workflow.submit(complete(make_assessment(site)), submitter)
    signed = workflow.sign_off(workflow.submit(complete(make_assessment(site)), submitter),
                               factories.make_user(org, "admin"))
    client = _caller(role, scope, site, org, other_org)
    rights = effective(role, scope)
    response = client.post(f"{API}/assessments/{ready.pk}/submit/")
    assert response.status_code == _status(rights, Action.CHANGE, 200)
    response = client.post(f"{API}/assessments/{submitted.pk}/sign-off/")
    assert response.status_code == _status(rights, Action.APPROVE, 200)
    response = client.post(f"{API}/assessments/{to_send_back.pk}/send-back/", {"reason": "Redo T01"}, format="json")
    assert response.status_code == _status(rights, Action.APPROVE, 200)
    response = client.post(f"{API}/assessments/{signed.pk}/reassess/")
    assert response.status_code == _status(rights, Action.CHANGE, 201)
    expected = {ready.pk: "submitted" if Action.CHANGE in rights else "draft",
                submitted.pk: "signed_off" if Action.APPROVE in rights else "submitted",
                to_send_back.pk: "draft" if Action.APPROVE in rights else "submitted"}
    assert {pk: Assessment.objects.get(pk=pk).status for pk in expected} == expected


def test_the_workflow_api_explains_refusals(site, approver, org):
    api = APIClient()
    api.force_authenticate(approver)
    draft = make_assessment(site)
    response = api.post(f"{API}/assessments/{draft.pk}/submit/")
    assert response.status_code == 400 and "Rate these threat types" in response.json()["errors"]["non_field_errors"][0]
    response = api.post(f"{API}/assessments/{draft.pk}/sign-off/")
    assert response.status_code == 409
    complete(draft)
    assert api.post(f"{API}/assessments/{draft.pk}/submit/").json()["status"] == "submitted"
    response = api.post(f"{API}/assessments/{draft.pk}/sign-off/")
    assert response.status_code == 403 and "four-eyes" in response.json()["detail"]
    response = api.post(f"{API}/assessments/{draft.pk}/send-back/", {"reason": ""}, format="json")
    assert response.status_code == 400
    stranger = make_assessment(factories.make_site(factories.make_org(), name="Far"))
    assert api.post(f"{API}/assessments/{stranger.pk}/submit/").status_code == 404
