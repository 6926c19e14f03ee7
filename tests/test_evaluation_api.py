"""The evaluation API: criteria, an evaluation and its panel, weights, results, sensitivity, the decision.

Role × scope expectations for every endpoint are in tests/test_api_access_matrix.py; here, what each
endpoint does, the specific messages for bad input, the frozen rule and need-to-know for an outsider.
"""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from stoa.evaluation.models import CriteriaSet, Evaluation, Expert, Score, Weighting
from tests import factories
from tests.assessment_samples import make_assessment
from tests.evaluation_samples import make_evaluation, score_panel, small_criteria

pytestmark = pytest.mark.django_db
API = "/api/v1"
GROUPS = ["PERFORMANCE", "COST", "COMPLIANCY"]
CONSISTENT = [[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]]
INCONSISTENT = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
TABLE = {  # two experts, two solutions: bollards are better on effect and privacy, cheaper too
    "Ana": {"Bollards": {"EFFECT": 5, "CAPITAL": 40000, "PRIVACY": 5}, "Planters": {"EFFECT": 3, "CAPITAL": 90000,
                                                                                    "PRIVACY": 4}},
    "Ben": {"Bollards": {"EFFECT": 4, "CAPITAL": 50000, "PRIVACY": 5}, "Planters": {"EFFECT": 3, "CAPITAL": 80000,
                                                                                    "PRIVACY": 3}},
}


@pytest.fixture(autouse=True)
def _fast(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def api(officer: Any) -> APIClient:
    return client_for(officer)


@pytest.fixture
def evaluation(site: Any) -> Evaluation:
    return make_evaluation(make_assessment(site))


@pytest.fixture
def scored(evaluation: Evaluation) -> dict[str, Any]:
    return score_panel(evaluation, TABLE)


def under(evaluation: Evaluation, part: str = "") -> str:
    return f"{API}/evaluations/{evaluation.pk}/{part}"


def errors(response: Any, field: str) -> str:
    assert response.status_code == 400, response.content
    return " ".join(response.json()["errors"][field])


# -- criteria ------------------------------------------------------------------------------------


def test_an_evaluation_starts_from_a_criteria_source_and_keeps_its_own_copy(api, officer, site, org):
    own = CriteriaSet.objects.create(organisation=org, name="Our criteria", data=small_criteria())
    sources = api.get(f"{API}/criteria-sources/").json()["results"]
    assert {"key": f"own:{own.pk}", "label": "Our criteria", "shipped": False} in sources
    assessment = make_assessment(site)
    scenario = assessment.scenarios.get(threat__ref_id="VEHICLE")
    body = {"assessment": str(assessment.pk), "scenario": str(scenario.pk), "title": "Entrances",
            "purpose": "Stop vehicles", "criteria_source": f"own:{own.pk}", "method": "topsis", "shortlist_size": 3}
    response = api.post(f"{API}/evaluations/", body, format="json")
    assert response.status_code == 201, response.json()
    made = Evaluation.objects.get(pk=response.json()["id"])
    assert made.criteria == small_criteria() and made.criteria_source == f"own:{own.pk}"
    assert made.created_by == officer and made.method == "topsis" and made.organisation == org
    assert response.json()["weights"] == pytest.approx({"EFFECT": 0.5, "CAPITAL": 0.3, "PRIVACY": 0.2})
    own.data["groups"].pop()
    own.save()
    assert api.get(f"{API}/evaluations/{made.pk}/").json()["criteria"] == small_criteria()
    unknown = api.post(f"{API}/evaluations/", {**body, "criteria_source": "own:nothing"}, format="json")
    assert "own:nothing" in errors(unknown, "criteria_source")


def test_a_criteria_set_with_a_broken_tree_is_refused_naming_the_place(api, org):
    data = small_criteria()
    data["groups"][0]["criteria"][0]["direction"] = "sideways"
    response = api.post(f"{API}/criteria-sets/", {"name": "Broken", "data": data}, format="json")
    assert "groups.0.criteria.0.direction" in errors(response, "data")
    response = api.post(f"{API}/criteria-sets/", {"name": "Ours", "data": small_criteria()}, format="json")
    assert response.status_code == 201 and response.json()["organisation"] == org.slug
    assert response.json()["key"] == f"own:{response.json()['id']}"


# -- the panel -----------------------------------------------------------------------------------


def test_alternatives_experts_and_scores_make_a_ranking(api, evaluation):
    ids = {}
    for name in ("Bollards", "Planters"):
        response = api.post(under(evaluation, "alternatives/"), {"name": name}, format="json")
        assert response.status_code == 201, response.json()
        ids[name] = response.json()["id"]
    response = api.post(under(evaluation, "experts/"), {"name": "Ana", "conflicts": ""}, format="json")
    assert "none" in errors(response, "conflicts")
    expert = api.post(under(evaluation, "experts/"), {"name": "Ana", "conflicts": "none"}, format="json").json()
    for name, cells in TABLE["Ana"].items():
        for criterion, value in cells.items():
            response = api.post(under(evaluation, "scores/"), {"expert": expert["id"], "alternative": ids[name],
                                                               "criterion": criterion, "value": value}, format="json")
            assert response.status_code == 201, response.json()
            assert response.json()["stage"] == "rfi" and response.json()["entered_by"] == "officer"
    results = api.get(under(evaluation, "results/")).json()
    assert results["ranking"] == [ids["Bollards"], ids["Planters"]]
    assert set(results["methods"]) == {"weighted_sum", "topsis", "promethee_ii"}
    assert results["knocked_out"] == {} and len(results["raw"]) == 2 * 3
    assert len(api.get(under(evaluation, "scores/"), {"expert": expert["id"]}).json()["results"]) == 6
    score = Score.objects.filter(criterion="EFFECT", alternative_id=ids["Planters"]).get()
    response = api.patch(under(evaluation, f"scores/{score.pk}/"), {"value": 1, "justification": "Poor"},
                         format="json")
    assert response.status_code == 200 and response.json()["value"] == 1


@pytest.mark.parametrize(("criterion", "value", "message"), [
    ("EFFECT", 6, "6 is not on the 1–5 scale of “Effect”"),
    ("EFFECT", 2.5, "2.5 is not on the 1–5 scale"),
    ("CAPITAL", -5, "cannot be negative"),
    ("NOISE", 3, "This evaluation has no criterion NOISE."),
])
def test_a_score_outside_its_scale_is_refused_with_the_criterion_message(api, evaluation, scored, criterion, value,
                                                                         message):
    expert, alternative = scored["experts"]["Ana"], scored["alternatives"]["Bollards"]
    before = Score.objects.count()
    response = api.post(under(evaluation, "scores/"), {"expert": str(expert.pk), "alternative": str(alternative.pk),
                                                       "criterion": criterion, "stage": "demonstration",
                                                       "value": value}, format="json")
    assert message in errors(response, "value")
    assert Score.objects.count() == before


def test_an_expert_with_an_account_enters_only_their_own_scores(evaluation, scored, org):
    liaison = factories.make_user(org, "police_liaison")
    seat = Expert.objects.create(evaluation=evaluation, name="Inspector", user=liaison, conflicts="none")
    client, alternative = client_for(liaison), scored["alternatives"]["Planters"]
    body = {"alternative": str(alternative.pk), "criterion": "EFFECT", "value": 2}
    response = client.post(under(evaluation, "scores/"), {**body, "expert": str(seat.pk)}, format="json")
    assert response.status_code == 201, response.json()
    someone_else = scored["experts"]["Ana"]
    response = client.post(under(evaluation, "scores/"), {**body, "criterion": "PRIVACY", "expert": str(
        someone_else.pk)}, format="json")
    assert response.status_code == 403
    theirs = Score.objects.filter(expert=someone_else).first()
    assert client.patch(under(evaluation, f"scores/{theirs.pk}/"), {"value": 1}, format="json").status_code == 403
    assert client.post(under(evaluation, "alternatives/"), {"name": "Mine"}, format="json").status_code == 403


def test_an_alternative_from_the_catalogue_brings_its_facts(api, evaluation, org):
    from tests.test_catalogue_api import local_measure

    measure = local_measure(org)
    response = api.post(under(evaluation, "alternatives/"), {"kind": "catalogue", "catalogue_key": measure.key},
                        format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["name"] == measure.name and response.json()["facts"]["trl"] == 9
    again = api.post(under(evaluation, "alternatives/"), {"kind": "catalogue", "catalogue_key": measure.key},
                     format="json")
    assert "already an alternative" in errors(again, "catalogue_key")
    unknown = api.post(under(evaluation, "alternatives/"), {"kind": "catalogue", "catalogue_key": "local:nothing"},
                       format="json")
    assert "Not in the catalogue" in errors(unknown, "catalogue_key")


# -- weights -------------------------------------------------------------------------------------


def test_a_consistent_ahp_matrix_sets_the_weights_with_a_ratio_near_zero(api, officer, evaluation):
    response = api.post(under(evaluation, "weightings/"), {
        "method": "ahp", "inputs": {"level": "groups", "items": GROUPS, "matrix": CONSISTENT},
        "note": "Agreed at the panel meeting"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["consistency_ratio"] == pytest.approx(0, abs=1e-9) and body["warning"] is None
    assert body["weights"] == pytest.approx({"EFFECT": 4 / 7, "CAPITAL": 2 / 7, "PRIVACY": 1 / 7})
    assert api.get(f"{API}/evaluations/{evaluation.pk}/").json()["weights"]["EFFECT"] == pytest.approx(4 / 7)
    api.post(under(evaluation, "weightings/"), {"method": "rank", "inputs": {"ranks": {"EFFECT": 1, "CAPITAL": 2}},
                                                "note": ""}, format="json")
    history = api.get(under(evaluation, "weightings/")).json()["results"]
    assert [h["method"] for h in history] == ["rank", "ahp"]
    assert history[1]["created_by"] == "officer" and history[1]["note"] == "Agreed at the panel meeting"
    assert history[1]["inputs"]["matrix"] == CONSISTENT


@pytest.mark.parametrize("items", [GROUPS, None])
def test_an_inconsistent_ahp_matrix_is_kept_with_a_warning_naming_the_judgement(api, evaluation, items):
    inputs: dict[str, Any] = {"matrix": INCONSISTENT, **({"items": items} if items else {})}
    response = api.post(under(evaluation, "weightings/"), {"method": "ahp", "inputs": inputs}, format="json")
    assert response.status_code == 201, response.json()
    warning = response.json()["warning"]
    assert response.json()["consistency_ratio"] > 0.1 and warning["ratio"] > warning["limit"] == 0.1
    assert {warning["first"], warning["second"]} <= {"Performance", "Cost", "Compliancy"}
    assert Weighting.objects.filter(evaluation=evaluation).count() == 1


@pytest.mark.parametrize(("method", "inputs", "message"), [
    ("ahp", {"items": GROUPS, "matrix": [[1, 3, 1], [3, 1, 1], [1, 1, 1]]},
     "not reciprocal: a[1][2] = 3 but a[2][1] = 3 (should be 1/3)"),
    ("ahp", {"items": GROUPS, "matrix": [[1, 0, 1], [0, 1, 1], [1, 1, 1]]}, "cannot be zero or negative: a[1][2] = 0"),
    ("direct", {"points": {"EFFECT": 0, "CAPITAL": 0, "PRIVACY": 0}}, "must sum to a positive number"),
    ("swing", {"swings": {"EFFECT": 120}}, "a swing is rated from 0 to 100"),
])
def test_bad_weights_are_refused_with_a_specific_message(api, evaluation, method, inputs, message):
    response = api.post(under(evaluation, "weightings/"), {"method": method, "inputs": inputs}, format="json")
    assert message in errors(response, "inputs")
    assert not Weighting.objects.exists()


# -- sensitivity ---------------------------------------------------------------------------------


def test_sensitivity_break_even_and_acceptability(api, evaluation, scored):
    bollards, planters = (str(scored["alternatives"][n].pk) for n in ("Bollards", "Planters"))
    moved = api.get(under(evaluation, "sensitivity/"), {"criterion": "CAPITAL", "weight": 0.4}).json()
    assert moved["weights"]["CAPITAL"] == pytest.approx(0.4) and sum(moved["weights"].values()) == pytest.approx(1)
    assert [row["alternative"] for row in moved["ranking"]] == moved["baseline"] == [bollards, planters]
    evens = api.get(under(evaluation, "break-even/")).json()
    assert evens["first"] == bollards and evens["second"] == planters
    assert set(evens["break_even"]) == {"EFFECT", "CAPITAL", "PRIVACY"}
    ranks = api.get(under(evaluation, "acceptability/"), {"samples": 500, "seed": 3}).json()
    assert ranks["alternatives"] == [bollards, planters] and ranks["samples"] == 500
    assert [sum(row) for row in ranks["matrix"]] == pytest.approx([1, 1])
    assert api.get(under(evaluation, "acceptability/"), {"samples": 500, "seed": 3}).json() == ranks
    assert "20000" in errors(api.get(under(evaluation, "acceptability/"), {"samples": 50_000}), "samples")
    assert "seed" in api.get(under(evaluation, "acceptability/"), {"seed": -1}).json()["errors"]
    assert "weight" in api.get(under(evaluation, "sensitivity/"), {"criterion": "EFFECT", "weight": 2}).json()["errors"]
    assert "NOISE" in errors(api.get(under(evaluation, "sensitivity/"), {"criterion": "NOISE", "weight": 0.1}),
                             "criterion")


# -- the decision --------------------------------------------------------------------------------


def test_freezing_records_the_decision_and_then_nothing_changes(api, officer, evaluation, scored):
    bollards = scored["alternatives"]["Bollards"]
    assert api.get(under(evaluation, "record/")).status_code == 404
    response = api.post(under(evaluation, "freeze/"), {"chosen": str(bollards.pk), "rationale": ""}, format="json")
    assert response.status_code == 400 and "reasons" in response.json()["detail"]
    response = api.post(under(evaluation, "freeze/"), {"chosen": str(bollards.pk), "rationale": "Best and cheapest"},
                        format="json")
    assert response.status_code == 201, response.json()
    record = response.json()
    assert record["chosen"] == str(bollards.pk) and record["frozen_by"] == "officer" and len(record["sha256"]) == 64
    assert record["outputs"]["ranking"][0] == str(bollards.pk)
    assert api.get(under(evaluation, "record/")).json()["sha256"] == record["sha256"]
    assert api.get(under(evaluation, "record/check/")).json() == {"identical": True, "checksum_ok": True,
                                                                  "differences": []}
    again = api.post(under(evaluation, "freeze/"), {"rationale": "Again"}, format="json")
    assert again.status_code == 400 and again.json()["detail"] == "This evaluation is already frozen."

    score = Score.objects.filter(evaluation=evaluation).first()
    refused = [
        api.patch(under(evaluation, f"scores/{score.pk}/"), {"value": 1}, format="json"),
        api.delete(under(evaluation, f"alternatives/{bollards.pk}/")),
        api.post(under(evaluation, "alternatives/"), {"name": "Late"}, format="json"),
        api.post(under(evaluation, "weightings/"), {"method": "direct", "inputs": {"points": {"EFFECT": 1}}},
                 format="json"),
        api.patch(f"{API}/evaluations/{evaluation.pk}/", {"title": "Renamed"}, format="json"),
        api.delete(f"{API}/evaluations/{evaluation.pk}/"),
    ]
    for response in refused:
        assert response.status_code == 409, response.content
        assert "frozen" in response.json()["detail"]
    score.refresh_from_db()
    assert score.value != 1 and Evaluation.objects.get(pk=evaluation.pk).title != "Renamed"


def test_the_stage_moves_forward_only_once_alternatives_are_shortlisted(api, evaluation, scored):
    url = f"{API}/evaluations/{evaluation.pk}/"
    assert "Shortlist" in errors(api.patch(url, {"stage": "demonstration"}, format="json"), "stage")
    bollards = scored["alternatives"]["Bollards"]
    assert api.patch(under(evaluation, f"alternatives/{bollards.pk}/"), {"shortlisted": True},
                     format="json").json()["shortlisted"] is True
    assert api.patch(url, {"stage": "demonstration"}, format="json").json()["stage"] == "demonstration"
    assert "only moves forward" in errors(api.patch(url, {"stage": "rfi"}, format="json"), "stage")


# -- need-to-know --------------------------------------------------------------------------------


def test_an_outsider_sees_nothing_of_an_evaluation(evaluation, scored, outsider, org):
    CriteriaSet.objects.create(organisation=org, name="Our criteria", data=small_criteria())
    client = client_for(outsider)
    assert client.get(f"{API}/evaluations/").json()["results"] == []
    assert client.get(f"{API}/criteria-sets/").json()["results"] == []
    assert all(row["shipped"] for row in client.get(f"{API}/criteria-sources/").json()["results"])
    score = Score.objects.filter(evaluation=evaluation).first()
    for path in ("", "results/", "sensitivity/?criterion=EFFECT&weight=0.5", "break-even/", "acceptability/",
                 "record/", "record/check/", "alternatives/", "experts/", "scores/", f"scores/{score.pk}/",
                 "weightings/"):
        assert client.get(under(evaluation, path)).status_code == 404, path
    expert, alternative = scored["experts"]["Ana"], scored["alternatives"]["Planters"]
    assert client.post(under(evaluation, "scores/"), {"expert": str(expert.pk), "alternative": str(alternative.pk),
                                                      "criterion": "EFFECT", "value": 1},
                       format="json").status_code == 404
    assert client.post(under(evaluation, "freeze/"), {"rationale": "Mine"}, format="json").status_code == 404
    assert client.patch(f"{API}/evaluations/{evaluation.pk}/", {"title": "Mine"}, format="json").status_code == 404
    assert not Evaluation.objects.get(pk=evaluation.pk).is_frozen


def test_without_credentials_nothing_is_served(evaluation):
    client = APIClient()
    for path in (f"{API}/evaluations/", under(evaluation, "results/"), under(evaluation, "scores/"),
                 f"{API}/criteria-sets/", f"{API}/criteria-sources/"):
        assert client.get(path).status_code == 401, path
