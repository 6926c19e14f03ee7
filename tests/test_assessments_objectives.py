"""Objectives and requirements (road-map step 3): pages by behaviour, API by role × scope, bad input.

Access expectations come from ``stoa.accounts.roles`` through ``effective`` (tests/test_api_access_matrix.py);
the page access matrix is in tests/assessment_pages/results.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from stoa.accounts.roles import Action
from stoa.assessments.models import Assessment, Objective, Requirement
from tests import factories
from tests.assessment_samples import make_assessment
from tests.conftest import ROLES
from tests.test_api_access_matrix import SCOPES, effective
from tests.test_assessments_api import _caller, _status

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(org) -> dict[str, Any]:
    site = factories.make_site(org, name="Market Square")
    assessment = make_assessment(site)
    vehicle = assessment.scenarios.get(threat__ref_id="VEHICLE")
    vehicle.likelihood, vehicle.consequence = 4, 5
    vehicle.save()
    objective = Objective.objects.create(assessment=assessment, title="Keep vehicles out of the market")
    objective.scenarios.set([vehicle])
    requirement = Requirement.objects.create(assessment=assessment, objective=objective, text="Stops a 7.5 t truck",
                                             threats=["VEHICLE"])
    stranger = make_assessment(factories.make_site(factories.make_org(name="Stranger"), name="Far Square"))
    other_mine = make_assessment(factories.make_site(org, name="Station Forecourt"))
    return {"site": site, "assessment": assessment, "vehicle": vehicle, "objective": objective,
            "requirement": requirement, "hidden": stranger, "other_mine": other_mine}


def lock(assessment: Assessment, status: str = "signed_off") -> None:
    Assessment.objects.filter(pk=assessment.pk).update(status=status)  # the workflow's own path is W's to test
    assessment.refresh_from_db()


# --- pages -------------------------------------------------------------------------------------


def test_the_page_lists_objectives_with_their_vulnerabilities_and_requirements(client, world, org):
    client.force_login(factories.make_user(org, "viewer"))
    response = client.get(reverse("assessments:objectives", args=[world["assessment"].pk]))
    html = response.content.decode()
    assert "Keep vehicles out of the market" in html and "Stops a 7.5 t truck" in html
    assert "Vehicle ramming attack (Very high)" in html  # the chosen vulnerability with its risk level
    assert response.context["objective_form"] is None  # a viewer gets no forms
    assert reverse("assessments:objective-add", args=[world["assessment"].pk]) not in html


def test_recording_an_objective_links_the_chosen_scenarios(client, world, org):
    client.force_login(factories.make_user(org, "security_officer"))
    ied = world["assessment"].scenarios.get(threat__ref_id="IED")
    response = client.post(reverse("assessments:objective-add", args=[world["assessment"].pk]), {
        "new-title": "Detect explosives early", "new-description": "Bag checks at events.",
        "new-scenarios": [str(ied.pk), str(world["vehicle"].pk)]})
    assert response.status_code == 302
    objective = Objective.objects.get(title="Detect explosives early")
    assert set(objective.scenarios.all()) == {ied, world["vehicle"]}
    assert objective.organisation_id == org.pk


def test_a_bad_objective_keeps_what_was_typed_and_saves_nothing(client, world, org):
    client.force_login(factories.make_user(org, "security_officer"))
    foreign = world["other_mine"].scenarios.first()
    response = client.post(reverse("assessments:objective-add", args=[world["assessment"].pk]), {
        "new-title": "", "new-description": "Typed text that must not be lost", "new-scenarios": [str(foreign.pk)]})
    assert response.status_code == 400
    form = response.context["objective_form"]
    assert set(form.errors) == {"title", "scenarios"}  # required; a scenario of another assessment is no choice
    assert "Typed text that must not be lost" in response.content.decode()
    assert Objective.objects.count() == 1


def test_requirements_are_added_changed_and_removed(client, world, org):
    client.force_login(factories.make_user(org, "security_officer"))
    objective = world["objective"]
    add = reverse("assessments:requirement-add", args=[objective.pk])
    response = client.post(add, {f"r-{objective.pk}-text": "Certified to IWA 14", f"r-{objective.pk}-scope": "general",
                                 f"r-{objective.pk}-priority": "desirable",
                                 f"r-{objective.pk}-threats": ["VEHICLE", "VBIED"]})
    assert response.status_code == 302
    added = Requirement.objects.get(text="Certified to IWA 14")
    assert (added.assessment_id, added.scope, added.priority, added.threats) == (
        world["assessment"].pk, "general", "desirable", ["VEHICLE", "VBIED"])
    response = client.post(add, {f"r-{objective.pk}-text": "", f"r-{objective.pk}-scope": "everywhere"})
    assert response.status_code == 400 and Requirement.objects.count() == 2
    assert "<details open>" in response.content.decode()  # the failed form stays open with its errors
    response = client.post(reverse("assessments:requirement-edit", args=[added.pk]), {
        "text": "Certified to IWA 14-1", "scope": "site", "priority": "must", "threats": ["VEHICLE"]})
    added.refresh_from_db()
    assert response.status_code == 302 and (added.text, added.priority, added.threats) == (
        "Certified to IWA 14-1", "must", ["VEHICLE"])
    client.post(reverse("assessments:requirement-remove", args=[added.pk]))
    assert not Requirement.objects.filter(pk=added.pk).exists()


def test_changing_and_removing_an_objective(client, world, org):
    client.force_login(factories.make_user(org, "security_officer"))
    objective = world["objective"]
    response = client.post(reverse("assessments:objective-edit", args=[objective.pk]),
                           {"title": "Keep heavy vehicles out", "scenarios": []})
    objective.refresh_from_db()
    assert response.status_code == 302 and objective.title == "Keep heavy vehicles out"
    assert not objective.scenarios.exists()
    client.post(reverse("assessments:objective-remove", args=[objective.pk]))
    assert not Objective.objects.exists() and not Requirement.objects.exists()  # its requirements go with it


@pytest.mark.parametrize("status", ["submitted", "signed_off"])
def test_a_locked_assessment_shows_no_forms_and_refuses_changes(client, world, org, status):
    lock(world["assessment"], status)
    client.force_login(factories.make_user(org, "security_officer"))
    page = client.get(reverse("assessments:objectives", args=[world["assessment"].pk]))
    assert page.status_code == 200 and page.context["objective_form"] is None
    assert reverse("assessments:objective-edit", args=[world["objective"].pk]) not in page.content.decode()
    objective, requirement = world["objective"], world["requirement"]
    for url, data in [
        (reverse("assessments:objective-add", args=[world["assessment"].pk]), {"new-title": "Late idea"}),
        (reverse("assessments:objective-edit", args=[objective.pk]), {"title": "Changed"}),
        (reverse("assessments:objective-remove", args=[objective.pk]), {}),
        (reverse("assessments:requirement-add", args=[objective.pk]), {
            f"r-{objective.pk}-text": "Late", f"r-{objective.pk}-scope": "site", f"r-{objective.pk}-priority": "must"}),
        (reverse("assessments:requirement-edit", args=[requirement.pk]), {
            "text": "Changed", "scope": "site", "priority": "must"}),
        (reverse("assessments:requirement-remove", args=[requirement.pk]), {}),
    ]:
        assert client.post(url, data).status_code == 409, url
    assert client.get(reverse("assessments:objective-edit", args=[objective.pk])).status_code == 409
    assert list(Objective.objects.values_list("title", flat=True)) == ["Keep vehicles out of the market"]
    assert list(Requirement.objects.values_list("text", flat=True)) == ["Stops a 7.5 t truck"]


def test_the_steps_navigation_links_the_objectives(client, world, org):
    client.force_login(factories.make_user(org, "viewer"))
    html = client.get(reverse("assessments:results", args=[world["assessment"].pk])).content.decode()
    assert reverse("assessments:objectives", args=[world["assessment"].pk]) in html


# --- API (callers and expected statuses as in tests/test_assessments_api.py) ---------------------


CASES = [pytest.param(role, scope, id=f"{role}-{scope}") for role in ROLES for scope in SCOPES]


@pytest.mark.parametrize(("role", "scope"), CASES)
def test_api_reading_follows_the_site(world, org, other_org, role, scope):
    client = _caller(role, scope, world, org, other_org)
    rights = effective(role, scope)
    seen = Action.VIEW in rights
    objectives = {r["id"] for r in client.get(f"{API}/objectives/").json()["results"]}
    requirements = {r["id"] for r in client.get(f"{API}/requirements/").json()["results"]}
    assert objectives == ({str(world["objective"].pk)} if seen else set())
    assert requirements == ({str(world["requirement"].pk)} if seen else set())
    assert client.get(f"{API}/objectives/{world['objective'].pk}/").status_code == _status(rights, Action.VIEW, 200)
    assert client.get(f"{API}/requirements/{world['requirement'].pk}/").status_code == _status(
        rights, Action.VIEW, 200)


@pytest.mark.parametrize(("role", "scope"), CASES)
def test_api_changing_follows_the_site(world, org, other_org, role, scope):
    client = _caller(role, scope, world, org, other_org)
    rights = effective(role, scope)
    assessment, objective, requirement = world["assessment"], world["objective"], world["requirement"]
    response = client.post(f"{API}/objectives/", {"assessment": str(assessment.pk), "title": "Shorter queues",
                                                  "scenarios": [str(world["vehicle"].pk)]}, format="json")
    # An assessment the caller cannot see reads as an unknown id: 400, never a hint that it exists.
    assert response.status_code == _status(rights, Action.CHANGE, 201, unseen=400), response.content
    response = client.post(f"{API}/requirements/", {"objective": str(objective.pk), "text": "Opens for emergencies",
                                                    "priority": "must", "threats": ["VEHICLE"]}, format="json")
    assert response.status_code == _status(rights, Action.CHANGE, 201, unseen=400), response.content
    if response.status_code == 201:
        assert response.json()["assessment"] == str(assessment.pk)
    response = client.patch(f"{API}/objectives/{objective.pk}/", {"title": "Keep all vehicles out"}, format="json")
    assert response.status_code == _status(rights, Action.CHANGE, 200)
    response = client.patch(f"{API}/requirements/{requirement.pk}/", {"priority": "desirable"}, format="json")
    assert response.status_code == _status(rights, Action.CHANGE, 200)
    assert client.delete(f"{API}/requirements/{requirement.pk}/").status_code == _status(rights, Action.DELETE, 204)
    assert client.delete(f"{API}/objectives/{objective.pk}/").status_code == _status(rights, Action.DELETE, 204)


def test_api_bad_input_gets_a_specific_error_and_changes_nothing(world, org):
    client = APIClient()
    client.force_authenticate(factories.make_user(org, "security_officer"))
    foreign = world["other_mine"].scenarios.first()
    response = client.post(f"{API}/objectives/", {"assessment": str(world["assessment"].pk), "title": "X",
                                                  "scenarios": [str(foreign.pk)]}, format="json")
    assert response.status_code == 400 and "another assessment" in str(response.json()["errors"]["scenarios"])
    response = client.post(f"{API}/requirements/", {"objective": str(world["objective"].pk), "text": "Y",
                                                    "threats": ["TSUNAMI"]}, format="json")
    assert response.status_code == 400 and "threats" in response.json()["errors"]
    response = client.post(f"{API}/requirements/", {"objective": str(world["objective"].pk), "text": "Y",
                                                    "priority": "someday"}, format="json")
    assert response.status_code == 400 and "priority" in response.json()["errors"]
    hidden_objective = Objective.objects.create(assessment=world["hidden"], title="Theirs")
    response = client.post(f"{API}/requirements/", {"objective": str(hidden_objective.pk), "text": "Y"}, format="json")
    assert response.status_code == 400 and "objective" in response.json()["errors"]
    assert (Objective.objects.count(), Requirement.objects.count()) == (2, 1)


def test_api_refuses_changes_to_a_signed_off_assessment(world, org):
    lock(world["assessment"])
    client = APIClient()
    client.force_authenticate(factories.make_user(org, "security_officer"))
    response = client.post(f"{API}/objectives/", {"assessment": str(world["assessment"].pk), "title": "Late"},
                           format="json")
    assert response.status_code == 409
    assert client.patch(f"{API}/requirements/{world['requirement'].pk}/", {"text": "Z"},
                        format="json").status_code == 409
    assert client.delete(f"{API}/objectives/{world['objective'].pk}/").status_code == 409
    assert (Objective.objects.filter(assessment=world["assessment"]).count(), Requirement.objects.count()) == (1, 1)
