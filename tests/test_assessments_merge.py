"""Several assessors: the rule for the answer used, disagreements, the lead settling (pages and API),
and dependent questions hidden until their parent answer calls for them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from stoa.accounts.roles import Action
from stoa.assessments import workflow
from stoa.assessments.merge import disagreements, settle
from stoa.assessments.models import Answer, SettledAnswer
from stoa.assessments.proposals import current_answers, used_answer
from stoa.library.models import ReferenceObject
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
def assessment(site):
    return make_assessment(site)


@pytest.fixture
def team(org):
    return [factories.make_user(org, "assessor", username=name, first_name=name.title()) for name in ("anna", "ben")]


def answer(assessment: Any, user: Any, question: str, value: Any) -> Answer:
    return Answer.objects.create(assessment=assessment, question=question, assessor=user, value=value)


# --- the rule -------------------------------------------------------------------------------------

def test_the_answer_used_settled_then_agreed_then_most_recent():
    assert used_answer(["yes", "no"], "no", has_settled=True) == "no"
    assert used_answer([250, 250.0]) == 250
    assert used_answer([["a", "b"], ["b", "a"]]) == ["a", "b"]
    assert used_answer(["yes", "no"]) == "no"
    assert used_answer([]) is None


def test_current_answers_follow_the_rule_and_drive_the_proposals(assessment, team, officer):
    anna, ben = team
    answer(assessment, anna, "T01", "yes")
    answer(assessment, ben, "T01", "no")  # most recent: no
    answer(assessment, anna, "T02", 400)
    answer(assessment, ben, "T02", 400)
    answer(assessment, ben, "T04", None)  # cleared: does not count
    assert current_answers(assessment) == {"T01": "no", "T02": 400}
    settle(assessment, "T01", "yes", officer, "Both entrances have bollards.")
    assert current_answers(assessment)["T01"] == "yes"
    vehicle = assessment.scenarios.get(threat__ref_id="VEHICLE")
    assert vehicle.proposed_likelihood == 2  # "yes" lowers the likelihood by one from the middle


def test_disagreements_list_only_questions_with_different_answers(assessment, team):
    anna, ben = team
    answer(assessment, anna, "T01", "yes")
    answer(assessment, ben, "T01", "no")
    answer(assessment, anna, "T03", ["cctv", "guards"])
    answer(assessment, ben, "T03", ["guards", "cctv"])
    answer(assessment, anna, "T02", 100)
    rows = disagreements(assessment)
    assert [r.question.ref_id for r in rows] == ["T01"]
    assert [(g.name, g.value) for g in rows[0].given] == [("Anna", "yes"), ("Ben", "no")]


# --- settling ------------------------------------------------------------------------------------

def test_settling_checks_the_value_like_any_answer(assessment, officer):
    with pytest.raises(ValidationError, match="Choose one of"):
        settle(assessment, "T01", "perhaps", officer)
    with pytest.raises(ValidationError, match="team's answer"):
        settle(assessment, "T01", "", officer)
    with pytest.raises(ValidationError, match="no question T05"):
        settle(assessment, "T05", "high", officer)  # full-depth question, quick assessment
    assert not SettledAnswer.objects.exists()


def test_only_the_lead_settles_when_one_is_named(assessment, team, officer, viewer):
    anna, ben = team
    assessment.lead = anna
    assessment.save()
    with pytest.raises(PermissionDenied, match="team lead"):
        settle(assessment, "T01", "yes", ben)
    with pytest.raises(PermissionDenied):
        settle(assessment, "T01", "yes", viewer)
    assert settle(assessment, "T01", "yes", anna).settled_by == anna


def test_the_merge_page_shows_and_settles_a_disagreement(client, assessment, team):
    anna, ben = team
    answer(assessment, anna, "T01", "yes")
    answer(assessment, ben, "T01", "no")
    client.force_login(anna)
    html = client.get(reverse("assessments:merge", args=[assessment.pk])).content.decode()
    assert "Not settled yet" in html and "Anna" in html and "Ben" in html
    url = reverse("assessments:settle", args=[assessment.pk, "T01"])
    response = client.post(url, {"value": "maybe"})
    assert response.status_code == 400 and "Choose one of" in response.content.decode()
    response = client.post(url, {"value": "yes", "note": "Checked together"})
    assert response.status_code == 302
    assert SettledAnswer.objects.get(assessment=assessment, question="T01").note == "Checked together"
    html = client.get(reverse("assessments:merge", args=[assessment.pk])).content.decode()
    assert "Settled:" in html and "Checked together" in html


def test_the_merge_page_of_a_signed_off_assessment_offers_no_form(client, site, team, org):
    anna, ben = team
    assessment = complete(make_assessment(site))
    answer(assessment, anna, "T01", "yes")
    answer(assessment, ben, "T01", "no")
    settle(assessment, "T01", "no", anna)
    submitter, approver = factories.make_user(org, "security_officer"), factories.make_user(org, "admin")
    workflow.sign_off(workflow.submit(assessment, submitter), approver)
    client.force_login(anna)
    html = client.get(reverse("assessments:merge", args=[assessment.pk])).content.decode()
    assert "no longer a draft" in html and reverse("assessments:settle", args=[assessment.pk, "T01"]) not in html
    response = client.post(reverse("assessments:settle", args=[assessment.pk, "T01"]), {"value": "yes"})
    assert response.status_code == 409
    assert SettledAnswer.objects.get(assessment=assessment).value == "no"


# --- dependent questions --------------------------------------------------------------------------

@pytest.fixture
def dependent(assessment):
    """T04 (text) is asked only when T01 is answered "no"."""
    question = ReferenceObject.objects.get(kind="question", ref_id="T04")
    question.data = {**question.data, "depends_on": {"question": "T01", "any_of": ["no"]}}
    question.save()
    return question


def test_a_dependent_question_is_hidden_until_its_parent_calls_for_it(client, assessment, dependent, officer):
    client.force_login(officer)
    page = reverse("assessments:questions", args=[assessment.pk, "PROFILE"])
    html = client.get(page).content.decode()
    assert '<div id="q-T04" hidden' in html and 'id="q-T04-input"' not in html
    url = reverse("assessments:answer", args=[assessment.pk, "T01"])
    response = client.post(url, {"value": "no"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="q-T04" class="border rounded p-3 mb-3" hx-swap-oob="outerHTML"' in html and 'id="q-T04-input"' in html
    assert 'id="q-T04-input"' in client.get(page).content.decode()
    response = client.post(url, {"value": "yes"}, HTTP_HX_REQUEST="true")
    assert '<div id="q-T04" hidden hx-swap-oob="outerHTML">' in response.content.decode()
    response = client.post(url, {"value": "unknown"}, HTTP_HX_REQUEST="true")
    assert "q-T04" not in response.content.decode()  # still hidden: nothing to swap


# --- API: settled answers, every role × scope -------------------------------------------------------

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


@pytest.mark.parametrize(("role", "scope"), [pytest.param(r, s, id=f"{r}-{s}") for r in ROLES for s in SCOPES])
def test_the_settled_answers_api_follows_the_roles(site, org, other_org, assessment, officer, role, scope):
    existing = settle(assessment, "T02", 300, officer)
    client = _caller(role, scope, site, org, other_org)
    rights = effective(role, scope)
    listed = client.get(f"{API}/settled-answers/", {"assessment": str(assessment.pk)}).json()["results"]
    assert [row["id"] for row in listed] == ([str(existing.pk)] if Action.VIEW in rights else [])
    response = client.post(f"{API}/settled-answers/", {"assessment": str(assessment.pk), "question": "T01",
                                                        "value": "yes", "note": "agreed"}, format="json")
    ok = Action.CHANGE in rights
    assert response.status_code == (201 if ok else 403 if Action.VIEW in rights else 400)
    response = client.patch(f"{API}/settled-answers/{existing.pk}/", {"value": 1500}, format="json")
    assert response.status_code == (200 if ok else 403 if Action.VIEW in rights else 404)
    existing.refresh_from_db()
    assert existing.value == (1500 if ok else 300)


def test_the_settled_answers_api_checks_values_and_duplicates(assessment, officer):
    api = APIClient()
    api.force_authenticate(officer)
    body = {"assessment": str(assessment.pk), "question": "T01", "value": "maybe"}
    response = api.post(f"{API}/settled-answers/", body, format="json")
    assert response.status_code == 400 and "Choose one of" in str(response.json()["errors"])
    assert api.post(f"{API}/settled-answers/", {**body, "value": "no"}, format="json").status_code == 201
    assert api.post(f"{API}/settled-answers/", {**body, "value": "yes"}, format="json").status_code == 400
    assert SettledAnswer.objects.get().value == "no"
