"""The catalogue API: the catalogue, local measures, recommendations and what-if options.

Access expectations come from ``stoa.accounts.roles`` through ``effective``
(tests/test_api_access_matrix.py): recommendations and what-if options follow the assessment's
site, like the assessment; a local measure is seen by its own organisation only.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from rest_framework.test import APIClient

from stoa.accounts.roles import ROLE_ACTIONS, Action
from stoa.assessments.models import Assessment, ExistingMeasure, Objective, Requirement, Scenario
from stoa.catalogue.models import LocalMeasure, WhatIfOption
from stoa.library.loader import load_library, shipped_files
from stoa.library.models import ReferenceObject
from tests import factories
from tests.assessment_samples import load_assessment_libraries, make_assessment
from tests.conftest import ROLES
from tests.test_api_access_matrix import SCOPES, effective

pytestmark = pytest.mark.django_db
API = "/api/v1"
CATALOGUE_FILES = ("technology-categories.yaml", "measure-uses.yaml", "measures-organisational.yaml",
                   "measures-physical.yaml", "measures-technology.yaml")
BOLLARDS = "urn:stoa:measure:rated-fixed-bollards"
TRUCKS: dict[str, Any] = {  # a local measure: cheap and strong against vehicles, so it ranks first
    "technology_category": "PHYSICAL", "solution_type": "physical_design", "timing": "event",
    "application": ["target_hardening"], "phases": ["EXECUTION"], "uses": ["PROTECT"],
    "effects": [{"threat": "VEHICLE", "likelihood": 0.9, "consequence": 0.5,
                 "basis": {"en": "Our own crash test.", "fr": "Notre essai."}}],
    "cost": {"capital_eur": [0, 500], "yearly_eur": [100, 200], "basis": {"en": "two trucks", "fr": "deux camions"}},
    "deploy_days": [1, 2], "trl": 9, "privacy": "none", "gdpr": False, "normal_use_impact": "low",
    "aesthetic_impact": "medium", "accessibility_impact": "low",
}


@pytest.fixture(autouse=True)
def _fast(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def libraries(db: Any) -> None:
    """The assessment libraries (tests.assessment_samples) and the shipped measures catalogue."""
    load_assessment_libraries()
    for path in shipped_files():
        if path.name in CATALOGUE_FILES:
            load_library(path)


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def officer_api(officer: Any, libraries: None) -> APIClient:
    return client_for(officer)


@pytest.fixture
def assessment(site: Any, libraries: None) -> Assessment:
    """An assessment whose vehicle scenario is rated high (5 × 5), firearms low (2 × 2)."""
    made = make_assessment(site)
    Scenario.objects.filter(assessment=made, threat__ref_id="VEHICLE").update(likelihood=5, consequence=5)
    Scenario.objects.filter(assessment=made, threat__ref_id="FIREARMS").update(likelihood=2, consequence=2)
    return made


def local_measure(org: Any, **kw: Any) -> LocalMeasure:
    kw.setdefault("name", "Trucks across the entrances")
    kw.setdefault("description", "Municipal trucks parked across the street entrances during events.")
    kw.setdefault("data", copy.deepcopy(TRUCKS))
    return LocalMeasure.objects.create(organisation=org, **kw)


def listed(client: APIClient, path: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(f"{API}/{path}", {"limit": 1000, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def keys(rows: list[dict[str, Any]]) -> set[str]:
    return {row["key"] for row in rows}


# -- the catalogue -------------------------------------------------------------------------------


def test_the_catalogue_lists_every_shipped_measure_with_its_details(officer_api):
    rows = listed(officer_api, "catalogue/measures/")
    shipped = set(ReferenceObject.objects.filter(kind="measure").values_list("urn", flat=True))
    assert len(shipped) > 20 and keys(rows) == shipped
    bollards = next(row for row in rows if row["key"] == BOLLARDS)
    assert bollards["name"] == "Rated fixed bollards" and bollards["origin"] == "shipped"
    assert bollards["replaces"] == "" and bollards["library"] == "urn:stoa:library:measures-physical v2"
    assert bollards["solution_type"] == "physical_design" and bollards["cost"]["capital_eur"] == [40000, 150000]
    assert {"threat": "VEHICLE", "likelihood": 0.7, "consequence": 0.2}.items() <= bollards["effects"][0].items()
    for name in ("technology_category", "timing", "application", "phases", "uses", "deploy_days", "trl", "privacy",
                 "gdpr", "legal", "normal_use_impact", "aesthetic_impact", "accessibility_impact", "standards",
                 "questions"):
        assert name in bollards


def test_the_catalogue_is_paginated_like_every_list(officer_api):
    response = officer_api.get(f"{API}/catalogue/measures/", {"limit": 2})
    body = response.json()
    assert len(body["results"]) == 2 and body["count"] > 2 and body["next"]


def test_a_search_finds_measures_in_either_language(officer_api):
    found = keys(listed(officer_api, "catalogue/measures/", q="bollards"))
    assert BOLLARDS in found and len(found) < ReferenceObject.objects.filter(kind="measure").count()
    assert BOLLARDS in keys(listed(officer_api, "catalogue/measures/", q="bornes"))
    assert listed(officer_api, "catalogue/measures/", q="zzqx-nothing-like-it") == []


def test_facets_narrow_the_catalogue_as_on_the_browse_page(officer_api):
    physical = listed(officer_api, "catalogue/measures/", type="physical_design")
    assert physical and all(row["solution_type"] == "physical_design" for row in physical)
    technological = listed(officer_api, "catalogue/measures/", type="technological")
    either = listed(officer_api, "catalogue/measures/", type=["physical_design", "technological"])
    assert keys(either) == keys(physical) | keys(technological)  # values of one facet: any of them

    vehicle_physical = listed(officer_api, "catalogue/measures/", type="physical_design", threat="VEHICLE")
    assert BOLLARDS in keys(vehicle_physical) and keys(vehicle_physical) < keys(physical)  # facets: all of them
    for row in vehicle_physical:
        assert any(e["threat"] in ("VEHICLE", "ALL") and (e["likelihood"] or e["consequence"])
                   for e in row["effects"])
    assert listed(officer_api, "catalogue/measures/", origin="local") == []


def test_one_measure_by_its_urn(officer_api):
    response = officer_api.get(f"{API}/catalogue/measures/{BOLLARDS}/")
    assert response.status_code == 200
    assert response.json()["key"] == BOLLARDS and response.json()["trl"] >= 1
    assert officer_api.get(f"{API}/catalogue/measures/urn:stoa:measure:no-such-thing/").status_code == 404
    assert officer_api.get(f"{API}/catalogue/measures/local:not-a-uuid/").status_code == 404


def test_a_caller_without_a_membership_reads_the_shipped_catalogue(org, libraries):
    local_measure(org)
    loner = client_for(factories.make_user(None))
    rows = listed(loner, "catalogue/measures/")
    assert keys(rows) == set(ReferenceObject.objects.filter(kind="measure").values_list("urn", flat=True))



def test_without_credentials_nothing_is_served(assessment, org):
    measure, client = local_measure(org), APIClient()
    for url in ("catalogue/measures/", f"catalogue/measures/{BOLLARDS}/", "local-measures/",
                f"local-measures/{measure.pk}/", f"assessments/{assessment.pk}/recommendations/", "whatif-options/"):
        assert client.get(f"{API}/{url}").status_code == 401


def test_the_schema_describes_the_catalogue_endpoints(officer):
    text = client_for(officer).get(f"{API}/schema/").content.decode()
    for path in ("/api/v1/catalogue/measures/", "/api/v1/catalogue/measures/{key}/", "/api/v1/local-measures/",
                 "/api/v1/local-measures/{id}/", "/api/v1/assessments/{id}/recommendations/",
                 "/api/v1/whatif-options/", "/api/v1/whatif-options/{id}/"):
        assert f"{path}:" in text


def test_a_member_of_several_organisations_picks_one_catalogue(org, other_org, libraries):
    mine, theirs = local_measure(org), local_measure(other_org, name="Elsewhere's trucks")
    both = factories.make_user(org, "viewer")
    factories.Membership.objects.create(user=both, organisation=other_org, role="viewer")
    client = client_for(both)
    response = client.get(f"{API}/catalogue/measures/")
    assert response.status_code == 400 and "organisation" in response.json()["errors"]
    assert mine.key in keys(listed(client, "catalogue/measures/", organisation=org.slug))
    assert theirs.key not in keys(listed(client, "catalogue/measures/", organisation=org.slug))
    assert theirs.key in keys(listed(client, "catalogue/measures/", organisation=other_org.slug))
    stranger = factories.make_org(slug="stranger-test")
    response = client.get(f"{API}/catalogue/measures/", {"organisation": stranger.slug})
    assert response.status_code == 400 and "organisation" in response.json()["errors"]


# -- local measures ------------------------------------------------------------------------------


def test_an_officer_adds_changes_and_removes_a_local_measure(officer_api, officer, org):
    body = {"name": "Trucks across the entrances", "description": "Municipal trucks at the entrances.",
            "data": TRUCKS}
    response = officer_api.post(f"{API}/local-measures/", body, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    measure = LocalMeasure.objects.get(pk=created["id"])
    assert created["key"] == f"local:{measure.pk}" and created["organisation"] == org.slug
    assert measure.organisation == org and measure.created_by == officer and measure.data["trl"] == 9

    entry = officer_api.get(f"{API}/catalogue/measures/{measure.key}/").json()
    assert entry["origin"] == "local" and entry["name"] == body["name"] and entry["library"] == ""
    assert keys(listed(officer_api, "catalogue/measures/", origin="local")) == {measure.key}
    assert measure.key in keys(listed(officer_api, "catalogue/measures/", q="trucks"))

    response = officer_api.patch(f"{API}/local-measures/{measure.pk}/", {"name": "Trucks and buses"}, format="json")
    assert response.status_code == 200 and response.json()["name"] == "Trucks and buses"
    changed = {**TRUCKS, "trl": 8}
    response = officer_api.put(f"{API}/local-measures/{measure.pk}/", {**body, "data": changed}, format="json")
    assert response.status_code == 200, response.json()
    measure.refresh_from_db()
    assert measure.data["trl"] == 8 and measure.name == body["name"]
    assert [row["id"] for row in listed(officer_api, "local-measures/")] == [str(measure.pk)]

    assert officer_api.delete(f"{API}/local-measures/{measure.pk}/").status_code == 204
    assert not LocalMeasure.objects.exists()
    assert officer_api.get(f"{API}/catalogue/measures/{measure.key}/").status_code == 404


def test_a_local_version_replaces_the_shipped_measure_for_its_organisation(officer_api, outsider):
    body = {"name": "Our bollards", "description": "Bollards at our prices.", "based_on": BOLLARDS, "data": TRUCKS}
    response = officer_api.post(f"{API}/local-measures/", body, format="json")
    assert response.status_code == 201, response.json()
    entry = officer_api.get(f"{API}/catalogue/measures/{BOLLARDS}/").json()
    assert entry["origin"] == "local" and entry["replaces"] == BOLLARDS and entry["name"] == "Our bollards"
    rows = listed(officer_api, "catalogue/measures/")
    assert BOLLARDS not in keys(rows) and len(rows) == ReferenceObject.objects.filter(kind="measure").count()
    assert client_for(outsider).get(f"{API}/catalogue/measures/{BOLLARDS}/").json()["origin"] == "shipped"

    again = officer_api.post(f"{API}/local-measures/", body, format="json")
    assert again.status_code == 400 and "based_on" in again.json()["errors"]
    unknown = officer_api.post(f"{API}/local-measures/", {**body, "based_on": "urn:stoa:measure:nothing"},
                               format="json")
    assert unknown.status_code == 400 and "urn:stoa:measure:nothing" in str(unknown.json()["errors"]["based_on"])
    assert LocalMeasure.objects.count() == 1


def test_a_viewer_cannot_add_a_local_measure(viewer, libraries):
    response = client_for(viewer).post(f"{API}/local-measures/", {
        "name": "Trucks", "description": "Trucks.", "data": TRUCKS}, format="json")
    assert response.status_code == 403
    assert not LocalMeasure.objects.exists()


def test_another_organisation_never_sees_a_local_measure(org, outsider, libraries):
    measure = local_measure(org)
    client = client_for(outsider)
    assert listed(client, "local-measures/") == []
    assert client.get(f"{API}/local-measures/{measure.pk}/").status_code == 404
    assert client.patch(f"{API}/local-measures/{measure.pk}/", {"name": "Mine"}, format="json").status_code == 404
    assert client.delete(f"{API}/local-measures/{measure.pk}/").status_code == 404
    assert client.get(f"{API}/catalogue/measures/{measure.key}/").status_code == 404
    assert measure.key not in keys(listed(client, "catalogue/measures/"))
    assert listed(client, "catalogue/measures/", origin="local") == []
    measure.refresh_from_db()
    assert measure.name == "Trucks across the entrances"


def _broken(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(TRUCKS)
    *parents, last = path.split(".")
    target: Any = data
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return data


@pytest.mark.parametrize(("path", "value", "named"), [
    ("effects.0.likelihood", 1.5, "effects.0.likelihood"),
    ("effects.0.threat", "DRAGONS", "effects.0.threat"),
    ("cost.capital_eur", [900, 100], "cost.capital_eur"),
    ("trl", 12, "trl"),
    ("cost", KeyError, "cost"),
    ("colour", "red", "colour"),
])
def test_a_local_measure_with_broken_details_is_refused_naming_the_field(officer_api, path, value, named):
    body = {"name": "Trucks", "description": "Trucks.", "data": _broken(path, value)}
    response = officer_api.post(f"{API}/local-measures/", body, format="json")
    assert response.status_code == 400, response.content
    messages = response.json()["errors"]["data"]
    assert any(message.startswith(f"{named}:") for message in messages), messages
    assert not LocalMeasure.objects.exists()


def test_broken_details_are_refused_on_a_change_too(officer_api, org):
    measure = local_measure(org)
    response = officer_api.patch(f"{API}/local-measures/{measure.pk}/",
                                 {"data": _broken("effects.0.likelihood", 1.5)}, format="json")
    assert response.status_code == 400 and "effects.0.likelihood" in str(response.json()["errors"]["data"])
    assert officer_api.patch(f"{API}/local-measures/{measure.pk}/", {"data": "lots"},
                             format="json").status_code == 400
    measure.refresh_from_db()
    assert measure.data == TRUCKS


# -- recommendations -----------------------------------------------------------------------------


def _scenario(body: dict[str, Any], threat: str) -> dict[str, Any]:
    return next(s for s in body["scenarios"] if s["threat"] == threat)


def test_recommendations_propose_measures_for_a_high_scenario_with_reasons(officer_api, assessment, org):
    trucks = local_measure(org)
    execution = ReferenceObject.objects.get(kind="attack_phase", ref_id="EXECUTION")
    Scenario.objects.filter(assessment=assessment, threat__ref_id="VEHICLE").update(attack_phase=execution)
    assert officer_api.post(f"{API}/answers/", {"assessment": str(assessment.pk), "question": "T01", "value": "no"},
                            format="json").status_code == 201
    response = officer_api.get(f"{API}/assessments/{assessment.pk}/recommendations/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["assessment"] == str(assessment.pk) and body["level"] == "high" and body["horizon_years"] == 5
    assert [s["threat"] for s in body["scenarios"]] == ["VEHICLE"]  # firearms, rated low, is not covered
    vehicle = _scenario(body, "VEHICLE")
    assert (vehicle["likelihood"], vehicle["consequence"], vehicle["level"]) == (5, 5, "very_high")
    proposals = vehicle["proposals"]
    assert [p["rank"] for p in proposals] == list(range(1, len(proposals) + 1))
    first = proposals[0]
    assert first["measure"] == trucks.key and first["name"] == trucks.name
    assert first["reduction"] > 0 and first["per_euro"] > 0 and first["likelihood"] < 5
    assert first["effect"] == {"likelihood": 0.9, "consequence": 0.5} and first["basis"] == "Our own crash test."
    assert vehicle["attack_phase"] == "EXECUTION"
    assert first["phases"] == [{"id": "EXECUTION", "name": execution.label(), "focus": True}]
    assert {"question": "Question T01", "answer": "no", "dimension": "likelihood", "delta": 1.0,
            "answered_by_measure": False} in first["answers"]
    bollards = next(p for p in proposals if p["measure"] == BOLLARDS)
    assert bollards["basis"].startswith("A rated line stops") and bollards["desirable_unmet"] == []
    assert [(p["id"], p["focus"]) for p in bollards["phases"]] == [
        ("INITIAL_TARGET_IDENTIFICATION", False), ("PRE_ATTACK_PREPARATION", False), ("EXECUTION", True)]


def test_recommendations_leave_out_what_is_in_place_and_what_a_must_have_rules_out(officer_api, assessment):
    ExistingMeasure.objects.create(assessment=assessment, description="Bollards on the north side",
                                   catalogue_key=BOLLARDS)
    objective = Objective.objects.create(assessment=assessment, title="Keep vehicles out")
    objective.scenarios.add(assessment.scenarios.get(threat__ref_id="VEHICLE"))
    must = Requirement.objects.create(assessment=assessment, objective=objective, text="Under €20,000",
                                      priority="must", criterion="max_capital_eur", limit="20000")
    nice = Requirement.objects.create(assessment=assessment, objective=objective, text="Ready within a week",
                                      priority="desirable", criterion="max_deploy_days", limit="7")
    body = officer_api.get(f"{API}/assessments/{assessment.pk}/recommendations/").json()
    assert body["present"] == [BOLLARDS]
    vehicle = _scenario(body, "VEHICLE")
    assert vehicle["objectives"] == [str(objective.pk)]
    proposed = {p["measure"] for p in vehicle["proposals"]}
    assert BOLLARDS not in proposed
    excluded = {e["measure"]: e["requirements"] for e in vehicle["excluded"]}
    assert excluded and all(r == [str(must.pk)] for r in excluded.values())
    assert not proposed & set(excluded)
    assert "urn:stoa:measure:rated-road-blockers" in excluded
    slow = [p for p in vehicle["proposals"] if p["desirable_unmet"]]
    assert slow and all(p["desirable_unmet"] == [str(nice.pk)] for p in slow)


def test_recommendation_settings(officer_api, assessment):
    url = f"{API}/assessments/{assessment.pk}/recommendations/"
    low = officer_api.get(url, {"level": "low", "limit": 2, "horizon": 10}).json()
    assert {s["threat"] for s in low["scenarios"]} == {"VEHICLE", "FIREARMS"}
    assert low["level"] == "low" and low["horizon_years"] == 10
    assert all(len(s["proposals"]) <= 2 for s in low["scenarios"])
    assert [lv["id"] for lv in low["levels"]] == ["low", "medium", "high", "very_high"]
    only = officer_api.get(url, {"only_objectives": "true"}).json()
    assert only["only_objectives"] is True and only["scenarios"] == []  # no objective addresses a scenario


@pytest.mark.parametrize(("params", "field"), [
    ({"level": "extreme"}, "level"),
    ({"horizon": 0}, "horizon"),
    ({"horizon": 31}, "horizon"),
    ({"horizon": "soon"}, "horizon"),
    ({"only_objectives": "perhaps"}, "only_objectives"),
    ({"limit": 0}, "limit"),
])
def test_bad_recommendation_settings_are_refused(officer_api, assessment, params, field):
    response = officer_api.get(f"{API}/assessments/{assessment.pk}/recommendations/", params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_recommendations_of_an_unseen_assessment_are_not_found(assessment, outsider):
    client = client_for(outsider)
    assert client.get(f"{API}/assessments/{assessment.pk}/recommendations/").status_code == 404
    assert client.get(f"{API}/assessments/00000000-0000-0000-0000-000000000000/recommendations/").status_code == 404


# -- what-if options -----------------------------------------------------------------------------


def test_a_what_if_option_shows_what_a_strong_measure_lowers(officer_api, officer, assessment):
    body = {"assessment": str(assessment.pk), "name": "Bollards", "notes": "North side first.",
            "measures": [BOLLARDS]}
    response = officer_api.post(f"{API}/whatif-options/", body, format="json")
    assert response.status_code == 201, response.json()
    option = WhatIfOption.objects.get(pk=response.json()["id"])
    assert option.created_by == officer and option.organisation_id == assessment.organisation_id
    outcome = response.json()["outcome"]
    assert outcome["capital_eur"] == [40000, 150000] and outcome["yearly_eur"] == [500, 3000]
    assert outcome["horizon_years"] == 5 and outcome["cost_over_horizon"] == 95000 + 5 * 1750
    assert outcome["already_present"] == [] and outcome["unknown"] == []
    assert outcome["lowered_count"] >= 1 and outcome["residual_total"] < outcome["current_total"]
    vehicle = next(s for s in outcome["scenarios"] if s["threat"] == "VEHICLE")
    assert vehicle["current"] == {"likelihood": 5, "consequence": 5, "level": "very_high"}
    assert vehicle["residual"]["likelihood"] < 5 and vehicle["residual"]["consequence"] <= 5
    assert vehicle["lowered"] is True and vehicle["measures"] == [BOLLARDS]
    for scenario in outcome["scenarios"]:
        if scenario["residual"] is None:
            assert scenario["current"]["level"] is None
            continue
        assert scenario["residual"]["likelihood"] <= scenario["current"]["likelihood"]
        assert scenario["residual"]["consequence"] <= scenario["current"]["consequence"]
    firearms = next(s for s in outcome["scenarios"] if s["threat"] == "FIREARMS")
    assert firearms["residual"] == firearms["current"] and firearms["measures"] == []

    rows = listed(officer_api, "whatif-options/", assessment=str(assessment.pk))
    assert [row["id"] for row in rows] == [str(option.pk)] and rows[0]["outcome"]["lowered_count"] >= 1
    assert listed(officer_api, "whatif-options/", assessment="00000000-0000-0000-0000-000000000000") == []
    response = officer_api.patch(f"{API}/whatif-options/{option.pk}/", {"measures": []}, format="json")
    assert response.status_code == 200 and response.json()["outcome"]["lowered_count"] == 0
    assert officer_api.delete(f"{API}/whatif-options/{option.pk}/").status_code == 204


def test_a_what_if_option_leaves_out_a_measure_already_in_place(officer_api, assessment, org):
    ExistingMeasure.objects.create(assessment=assessment, description="Bollards", catalogue_key=BOLLARDS)
    trucks = local_measure(org)
    response = officer_api.post(f"{API}/whatif-options/", {
        "assessment": str(assessment.pk), "name": "Both", "measures": [BOLLARDS, trucks.key]}, format="json")
    assert response.status_code == 201, response.json()
    outcome = response.json()["outcome"]
    assert outcome["already_present"] == [BOLLARDS] and outcome["capital_eur"] == [0, 500]


@pytest.mark.parametrize(("measures", "message"), [
    (["urn:stoa:measure:no-such-thing"], "Not in the catalogue: urn:stoa:measure:no-such-thing"),
    ([BOLLARDS, BOLLARDS], "listed twice"),
])
def test_a_what_if_option_with_bad_measures_is_refused(officer_api, assessment, measures, message):
    response = officer_api.post(f"{API}/whatif-options/", {
        "assessment": str(assessment.pk), "name": "Option", "measures": measures}, format="json")
    assert response.status_code == 400
    assert message in str(response.json()["errors"]["measures"])
    assert not WhatIfOption.objects.exists()


def test_a_what_if_option_cannot_use_another_organisations_local_measure(officer_api, assessment, other_org):
    theirs = local_measure(other_org)
    response = officer_api.post(f"{API}/whatif-options/", {
        "assessment": str(assessment.pk), "name": "Option", "measures": [theirs.key]}, format="json")
    assert response.status_code == 400 and "measures" in response.json()["errors"]


def test_a_what_if_option_may_be_drawn_up_on_a_signed_off_assessment(officer_api, assessment):
    Assessment.objects.filter(pk=assessment.pk).update(status="signed_off")
    response = officer_api.post(f"{API}/whatif-options/", {
        "assessment": str(assessment.pk), "name": "Later", "measures": [BOLLARDS]}, format="json")
    assert response.status_code == 201, response.json()
    option_id = response.json()["id"]
    assert officer_api.patch(f"{API}/whatif-options/{option_id}/", {"name": "Much later"},
                             format="json").status_code == 200


def test_an_outsider_never_sees_a_what_if_option(assessment, outsider):
    option = WhatIfOption.objects.create(assessment=assessment, name="Bollards", measures=[BOLLARDS])
    client = client_for(outsider)
    assert listed(client, "whatif-options/") == []
    assert client.get(f"{API}/whatif-options/{option.pk}/").status_code == 404
    assert client.patch(f"{API}/whatif-options/{option.pk}/", {"name": "Mine"}, format="json").status_code == 404
    response = client.post(f"{API}/whatif-options/", {"assessment": str(assessment.pk), "name": "Mine"},
                           format="json")
    assert response.status_code == 400 and "assessment" in response.json()["errors"]  # as if it did not exist
    assert WhatIfOption.objects.count() == 1


def test_a_viewer_sees_options_but_cannot_create_one(viewer, assessment):
    WhatIfOption.objects.create(assessment=assessment, name="Bollards", measures=[BOLLARDS])
    client = client_for(viewer)
    assert len(listed(client, "whatif-options/")) == 1
    response = client.post(f"{API}/whatif-options/", {"assessment": str(assessment.pk), "name": "Mine"},
                           format="json")
    assert response.status_code == 403
    assert WhatIfOption.objects.count() == 1


def test_a_read_share_lets_another_organisation_view_but_not_create(assessment, site, other_org, outsider):
    factories.share(site, other_org, "read")
    option = WhatIfOption.objects.create(assessment=assessment, name="Bollards", measures=[BOLLARDS])
    client = client_for(outsider)
    assert [row["id"] for row in listed(client, "whatif-options/")] == [str(option.pk)]
    assert client.get(f"{API}/whatif-options/{option.pk}/").json()["outcome"]["lowered_count"] >= 1
    assert client.get(f"{API}/assessments/{assessment.pk}/recommendations/").status_code == 200
    response = client.post(f"{API}/whatif-options/", {"assessment": str(assessment.pk), "name": "Ours"},
                           format="json")
    assert response.status_code == 403
    assert client.patch(f"{API}/whatif-options/{option.pk}/", {"name": "Ours"}, format="json").status_code == 403
    assert WhatIfOption.objects.count() == 1


# -- every role × (own, other, shared read, shared edit) -----------------------------------------


def _status(rights: frozenset[str], action: str, ok: int, unseen: int = 404) -> int:
    if action in rights:
        return ok
    return 403 if Action.VIEW in rights else unseen


@pytest.fixture
def world(org: Any, other_org: Any, assessment: Assessment) -> dict[str, Any]:
    return {"assessment": assessment, "local": local_measure(org),
            "option": WhatIfOption.objects.create(assessment=assessment, name="Bollards", measures=[BOLLARDS])}


def _caller(role: str, scope: str, site: Any, org: Any, other_org: Any) -> APIClient:
    if scope != "own" and scope != "other":
        factories.share(site, other_org, scope.removeprefix("shared_"))
    return client_for(factories.make_user(org if scope == "own" else other_org, role))


CASES = [pytest.param(role, scope, id=f"{role}-{scope}") for role in ROLES for scope in SCOPES]


@pytest.mark.parametrize(("role", "scope"), CASES)
def test_recommendations_and_options_follow_the_site(world, site, org, other_org, role, scope):
    client = _caller(role, scope, site, org, other_org)
    rights = effective(role, scope)
    assessment, option = world["assessment"], world["option"]
    response = client.get(f"{API}/assessments/{assessment.pk}/recommendations/")
    assert response.status_code == _status(rights, Action.VIEW, 200)
    listed_ids = {row["id"] for row in listed(client, "whatif-options/")}
    assert listed_ids == ({str(option.pk)} if Action.VIEW in rights else set())
    assert client.get(f"{API}/whatif-options/{option.pk}/").status_code == _status(rights, Action.VIEW, 200)
    response = client.post(f"{API}/whatif-options/", {"assessment": str(assessment.pk), "name": "New",
                                                      "measures": [BOLLARDS]}, format="json")
    assert response.status_code == _status(rights, Action.CHANGE, 201, unseen=400), response.content
    response = client.patch(f"{API}/whatif-options/{option.pk}/", {"name": "Renamed"}, format="json")
    assert response.status_code == _status(rights, Action.CHANGE, 200)
    response = client.delete(f"{API}/whatif-options/{option.pk}/")
    assert response.status_code == _status(rights, Action.DELETE, 204)
    assert WhatIfOption.objects.filter(pk=option.pk).exists() is (Action.DELETE not in rights)


@pytest.mark.parametrize(("role", "scope"), CASES)
def test_local_measures_stay_with_their_organisation(world, site, org, other_org, role, scope):
    client = _caller(role, scope, site, org, other_org)
    own = ROLE_ACTIONS[role] if scope == "own" else frozenset()  # a site share never reaches local measures
    local = world["local"]
    assert {row["id"] for row in listed(client, "local-measures/")} == (
        {str(local.pk)} if Action.VIEW in own else set())
    assert client.get(f"{API}/local-measures/{local.pk}/").status_code == _status(own, Action.VIEW, 200)
    in_catalogue = client.get(f"{API}/catalogue/measures/{local.key}/").status_code
    assert in_catalogue == (200 if scope == "own" else 404)
    response = client.patch(f"{API}/local-measures/{local.pk}/", {"name": "Renamed"}, format="json")
    assert response.status_code == _status(own, Action.CHANGE, 200)
    before = LocalMeasure.objects.count()
    response = client.post(f"{API}/local-measures/", {"name": "Ours", "description": "Ours.", "data": TRUCKS},
                           format="json")
    expected = 201 if Action.ADD in ROLE_ACTIONS[role] else 403  # always in the caller's own organisation
    assert response.status_code == expected, response.content
    assert LocalMeasure.objects.count() == before + (expected == 201)
    response = client.delete(f"{API}/local-measures/{local.pk}/")
    assert response.status_code == _status(own, Action.DELETE, 204)


def test_the_role_tests_exercise_every_outcome():
    outcomes = {_status(effective(r, s), a, 200) for r in ROLES for s in SCOPES
                for a in (Action.VIEW, Action.CHANGE, Action.DELETE)}
    assert {200, 403, 404} <= outcomes
