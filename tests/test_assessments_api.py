"""The assessments API: every role × (own, other, shared read, shared edit), and bad input.

Expectations come from ``stoa.accounts.roles`` through ``effective`` (tests/test_api_access_matrix.py):
an assessment, its answers and its scenarios follow the site they belong to.
"""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from stoa.accounts.roles import ROLE_ACTIONS, Action
from stoa.assessments.models import Answer, Assessment, Scenario
from tests import factories
from tests.assessment_samples import make_assessment
from tests.conftest import ROLES
from tests.test_api_access_matrix import SCOPES, effective

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(org, other_org) -> dict[str, Any]:
    site = factories.make_site(org, name="Market Square")
    stranger = factories.make_site(factories.make_org(name="Stranger"), name="Far Square")
    return {"site": site, "assessment": make_assessment(site), "hidden": make_assessment(stranger)}


def _caller(role: str, scope: str, world: dict[str, Any], org: Any, other_org: Any) -> APIClient:
    if scope == "own":
        user = factories.make_user(org, role)
    else:
        if scope != "other":
            factories.share(world["site"], other_org, scope.removeprefix("shared_"))
        user = factories.make_user(other_org, role)
    client = APIClient()
    client.force_authenticate(user)
    return client


def _status(rights: frozenset[str], action: str, ok: int, unseen: int = 404) -> int:
    if action in rights:
        return ok
    return 403 if Action.VIEW in rights else unseen


CASES = [pytest.param(role, scope, id=f"{role}-{scope}") for role in ROLES for scope in SCOPES]


@pytest.mark.parametrize(("role", "scope"), CASES)
def test_reading_follows_the_site(world, org, other_org, role, scope):
    client = _caller(role, scope, world, org, other_org)
    rights = effective(role, scope)
    assessment = world["assessment"]
    listed = {row["id"] for row in client.get(f"{API}/assessments/").json()["results"]}
    assert listed == ({str(assessment.pk)} if Action.VIEW in rights else set())
    assert client.get(f"{API}/assessments/{assessment.pk}/").status_code == _status(rights, Action.VIEW, 200)
    scenarios = client.get(f"{API}/scenarios/", {"assessment": str(assessment.pk)}).json()["results"]
    assert len(scenarios) == (10 if Action.VIEW in rights else 0)
    assert client.get(f"{API}/scenarios/", {"assessment": str(world["hidden"].pk)}).json()["results"] == []


@pytest.mark.parametrize(("role", "scope"), CASES)
def test_changing_follows_the_site(world, org, other_org, role, scope):
    client = _caller(role, scope, world, org, other_org)
    rights = effective(role, scope)
    assessment = world["assessment"]
    scenario = assessment.scenarios.get(threat__ref_id="VEHICLE")
    response = client.patch(f"{API}/scenarios/{scenario.pk}/", {"narrative": "A van at the Saturday market."},
                            format="json")
    assert response.status_code == _status(rights, Action.CHANGE, 200)
    response = client.post(f"{API}/answers/", {"assessment": str(assessment.pk), "question": "T01", "value": "no"},
                           format="json")
    assert response.status_code == _status(rights, Action.CHANGE, 201, unseen=400)
    assert Answer.objects.filter(assessment=assessment).exists() == (Action.CHANGE in rights)
    response = client.post(f"{API}/assessments/", {"site": str(world["site"].pk), "date": "2026-06-01"},
                           format="json")
    assert response.status_code == _status(rights, Action.CHANGE, 201, unseen=400)
    response = client.delete(f"{API}/assessments/{assessment.pk}/")
    assert response.status_code == _status(rights, Action.DELETE, 204)
    assert Assessment.objects.filter(pk=world["hidden"].pk).exists()


def test_the_matrix_exercises_every_outcome():
    outcomes = {_status(effective(r, s), a, 200) for r in ROLES for s in SCOPES for a in Action.values
                if a in ROLE_ACTIONS["admin"]}
    assert {200, 403, 404} <= outcomes


@pytest.fixture
def officer_api(officer) -> APIClient:
    client = APIClient()
    client.force_authenticate(officer)
    return client


def test_creating_through_the_api_makes_ten_scenarios(officer_api, site):
    make_assessment(site)  # loads the libraries
    response = officer_api.post(f"{API}/assessments/", {"site": str(site.pk), "date": "2026-06-01", "depth": "full"},
                                format="json")
    assert response.status_code == 201, response.json()
    created = Assessment.objects.get(pk=response.json()["id"])
    assert created.scenarios.count() == 10 and created.depth == "full"
    assert response.json()["risk_matrix"]["urn"] == "urn:stoa:risk-matrix:default-5x5"


@pytest.mark.parametrize(("question", "value", "message"), [
    ("T02", "lots", "expects a number"),
    ("T02", True, "expects a number"),
    ("T01", "maybe", "Choose one of: yes, no, unknown"),
    ("T03", ["cctv", "drones"], "Choose any of: cctv, guards"),
    ("T04", 12, "expects a text"),
    ("T05", "high", "no question T05 at this assessment's depth"),
])
def test_an_answer_of_the_wrong_type_is_refused(officer_api, site, question, value, message):
    assessment = make_assessment(site)
    response = officer_api.post(f"{API}/answers/", {"assessment": str(assessment.pk), "question": question,
                                                    "value": value}, format="json")
    assert response.status_code == 400
    assert message in str(response.json())
    assert not Answer.objects.exists()


def test_an_answer_updates_the_proposals_and_each_assessor_answers_once(officer_api, site):
    assessment = make_assessment(site)
    body = {"assessment": str(assessment.pk), "question": "T01", "value": "no"}
    response = officer_api.post(f"{API}/answers/", body, format="json")
    assert response.status_code == 201 and response.json()["value"] == "no"
    vehicle = assessment.scenarios.get(threat__ref_id="VEHICLE")
    assert vehicle.proposed_likelihood == 4
    assert officer_api.post(f"{API}/answers/", body, format="json").status_code == 400
    answer_id = response.json()["id"]
    assert officer_api.patch(f"{API}/answers/{answer_id}/", {"value": 7}, format="json").status_code == 400
    assert officer_api.patch(f"{API}/answers/{answer_id}/", {"value": "yes"}, format="json").status_code == 200
    vehicle.refresh_from_db()
    assert vehicle.proposed_likelihood == 2


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"likelihood": 6, "consequence": 3}, "likelihood", "outside this assessment's risk matrix (1 to 5)"),
    ({"likelihood": 3, "consequence": 0}, "consequence", "outside this assessment's risk matrix (1 to 5)"),
    ({"likelihood": 3}, "consequence", "Rate both likelihood and consequence"),
    ({"likelihood": 5, "consequence": 5}, "override_justification", "differs from the proposal"),
    ({"not_applicable": True}, "not_applicable_reason", "Say why"),
])
def test_a_bad_rating_is_refused_and_nothing_changes(officer_api, site, body, field, message):
    scenario = make_assessment(site).scenarios.get(threat__ref_id="VEHICLE")
    response = officer_api.patch(f"{API}/scenarios/{scenario.pk}/", body, format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])
    fresh = Scenario.objects.get(pk=scenario.pk)
    assert (fresh.likelihood, fresh.consequence, fresh.not_applicable) == (None, None, False)


def test_an_override_with_justification_is_kept_and_the_level_is_given(officer_api, site):
    scenario = make_assessment(site).scenarios.get(threat__ref_id="VEHICLE")
    response = officer_api.patch(f"{API}/scenarios/{scenario.pk}/", {
        "likelihood": 5, "consequence": 5, "override_justification": "Delivery lorries cross the crowd."},
        format="json")
    assert response.status_code == 200
    assert response.json()["level"] == "very_high"
    assert response.json()["proposed_likelihood"] == 3


def test_scenarios_cannot_be_created_or_deleted_on_their_own(officer_api, site):
    scenario = make_assessment(site).scenarios.first()
    assert officer_api.delete(f"{API}/scenarios/{scenario.pk}/").status_code == 405
    assert officer_api.post(f"{API}/scenarios/", {}, format="json").status_code == 405


def test_an_assessor_changes_only_their_own_answer(officer_api, site, org):
    assessment = make_assessment(site)
    answer_id = officer_api.post(f"{API}/answers/", {"assessment": str(assessment.pk), "question": "T01",
                                                     "value": "no"}, format="json").json()["id"]
    colleague = APIClient()
    colleague.force_authenticate(factories.make_user(org, "assessor"))
    assert colleague.patch(f"{API}/answers/{answer_id}/", {"value": "yes"}, format="json").status_code == 403
    assert colleague.get(f"{API}/answers/{answer_id}/").json()["value"] == "no"


def test_the_scenario_list_pages_through_each_assessment_in_threat_order(officer_api, site,
                                                                         django_assert_max_num_queries):
    assessments = [make_assessment(site) for _ in range(3)]
    Scenario.objects.filter(assessment=assessments[1], threat__ref_id="VEHICLE").update(likelihood=1, consequence=2)
    Scenario.objects.filter(assessment=assessments[2], threat__ref_id="VEHICLE").update(likelihood=5, consequence=5)
    officer_api.get(f"{API}/scenarios/?limit=12")
    with django_assert_max_num_queries(8):  # the matrices read once per page, not once per scenario
        first = officer_api.get(f"{API}/scenarios/?limit=12").json()
    rest = officer_api.get(f"{API}/scenarios/?limit=12&offset=12").json()["results"]
    rest += officer_api.get(f"{API}/scenarios/?limit=12&offset=24").json()["results"]
    rows = first["results"] + rest
    assert first["count"] == 30 and len({r["id"] for r in rows}) == 30  # no scenario twice, none left out
    expected = sorted(Scenario.objects.filter(assessment__in=assessments).select_related("threat"),
                      key=lambda s: (str(s.assessment_id), s.threat.order, s.threat.ref_id))
    assert [r["id"] for r in rows] == [str(s.pk) for s in expected]
    levels = {(r["assessment"], r["threat"]): r["level"] for r in rows}
    assert levels[(str(assessments[1].pk), "VEHICLE")] == "low"
    assert levels[(str(assessments[2].pk), "VEHICLE")] == "very_high"
    assert levels[(str(assessments[0].pk), "VEHICLE")] is None


def test_the_assessment_list_gives_each_assessment_its_own_frozen_matrix(officer_api, site,
                                                                        django_assert_max_num_queries):
    """The list reads each distinct matrix copy once and shares it; a copy that differs stays its own."""
    assessments = [make_assessment(site) for _ in range(4)]
    changed = dict(assessments[2].risk_matrix, name="Matrix of 2019")
    Assessment.objects.filter(pk=assessments[2].pk).update(risk_matrix=changed)
    officer_api.get(f"{API}/assessments/?limit=50")
    with django_assert_max_num_queries(10):  # as many whatever the number of assessments
        rows = officer_api.get(f"{API}/assessments/?limit=50").json()["results"]
    stored = {str(a.pk): a.risk_matrix for a in Assessment.objects.filter(pk__in=[a.pk for a in assessments])}
    assert {r["id"]: r["risk_matrix"] for r in rows} == stored
    assert {r["id"]: r["risk_matrix"]["name"] for r in rows}[str(assessments[2].pk)] == "Matrix of 2019"
    one = officer_api.get(f"{API}/assessments/{assessments[2].pk}/").json()
    assert one["risk_matrix"] == changed
