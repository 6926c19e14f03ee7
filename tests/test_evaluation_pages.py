"""Evaluation pages by behaviour and by role: a full run through a small evaluation."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from stoa.evaluation.models import DecisionRecord, Score, Weighting
from tests import factories
from tests.assessment_samples import make_assessment
from tests.evaluation_samples import make_evaluation, score_panel

pytestmark = pytest.mark.django_db

TABLE = {
    "Ana": {"Bollards": {"EFFECT": 5, "CAPITAL": 90000, "PRIVACY": 5},
            "Planters": {"EFFECT": 3, "CAPITAL": 20000, "PRIVACY": 5},
            "Cameras": {"EFFECT": 2, "CAPITAL": 50000, "PRIVACY": 1}},
    "Ben": {"Bollards": {"EFFECT": 4, "CAPITAL": 100000, "PRIVACY": 4},
            "Planters": {"EFFECT": 3},
            "Cameras": {"EFFECT": 3, "CAPITAL": 40000, "PRIVACY": 2}},
}


@pytest.fixture
def evaluation(site: Any) -> Any:
    return make_evaluation(make_assessment(site))


def client_for(user: Any) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def test_every_step_page_opens_for_an_officer(officer: Any, evaluation: Any) -> None:
    world = score_panel(evaluation, TABLE)
    client = client_for(officer)
    expert, alternative = world["experts"]["Ana"], world["alternatives"]["Bollards"]
    for path in ("", "criteria/", "weights/", "alternatives/", "panel/", "scores/", "sensitivity/", "freeze/",
                 f"score/{expert.pk}/{alternative.pk}/", "settings/"):
        response = client.get(f"/evaluation/{evaluation.pk}/{path}")
        assert response.status_code == 200, path
    assert client.get("/evaluation/").status_code == 200


def test_ranking_shows_knock_outs_and_missing_cells(officer: Any, evaluation: Any) -> None:
    score_panel(evaluation, TABLE)
    page = client_for(officer).get(f"/evaluation/{evaluation.pk}/").content.decode()
    assert "knocked out" in page  # cameras: privacy mean 1.5 below the must-have 2
    assert "not scored" in page  # planters: nobody scored privacy → also knocked out
    ranking = page.split('id="ranking"')[1].split("</table>")[0]
    assert "Bollards" in ranking and "Cameras" not in ranking


def test_an_outsider_gets_404_and_a_viewer_cannot_change(outsider: Any, viewer: Any, evaluation: Any) -> None:
    score_panel(evaluation, TABLE)
    for path in ("", "weights/", "panel/", "sensitivity/", "record/"):
        assert client_for(outsider).get(f"/evaluation/{evaluation.pk}/{path}").status_code == 404
    viewer_client = client_for(viewer)
    assert viewer_client.get(f"/evaluation/{evaluation.pk}/").status_code == 200
    response = viewer_client.post(f"/evaluation/{evaluation.pk}/weights/", {"method": "direct", "points_EFFECT": "1"})
    assert response.status_code == 403
    assert not Weighting.objects.exists()


def test_ahp_weights_warn_when_inconsistent_and_refuse_a_zero(officer: Any, evaluation: Any) -> None:
    client = client_for(officer)
    # Groups PERFORMANCE, COST, COMPLIANCY: P = 9 C, C = 9 K, but K = 9 P: contradictory.
    response = client.post(f"/evaluation/{evaluation.pk}/weights/",
                           {"method": "ahp", "level": "groups", "ahp_0_1": "9", "ahp_1_2": "9", "ahp_0_2": "0.111111"},
                           follow=True)
    assert "not consistent enough" in response.content.decode()
    assert Weighting.objects.get().consistency_ratio > 0.1
    response = client.post(f"/evaluation/{evaluation.pk}/weights/",
                           {"method": "ahp", "level": "groups", "ahp_0_1": "0", "ahp_1_2": "1", "ahp_0_2": "1"})
    assert response.status_code == 400
    assert Weighting.objects.count() == 1


def test_weights_that_do_not_sum_to_a_positive_number_are_refused(officer: Any, evaluation: Any) -> None:
    response = client_for(officer).post(f"/evaluation/{evaluation.pk}/weights/", {
        "method": "direct", "points_EFFECT": "0", "points_CAPITAL": "0", "points_PRIVACY": "0"})
    assert response.status_code == 400
    assert "positive" in response.content.decode()


def test_a_score_outside_its_scale_is_refused_and_the_sheet_saves_nothing(officer: Any, evaluation: Any) -> None:
    world = score_panel(evaluation, {"Ana": {"Bollards": {}}})
    expert, alternative = world["experts"]["Ana"], world["alternatives"]["Bollards"]
    url = f"/evaluation/{evaluation.pk}/score/{expert.pk}/{alternative.pk}/"
    response = client_for(officer).post(url, {"value_EFFECT": "4", "value_CAPITAL": "-5", "value_PRIVACY": "3"})
    assert response.status_code == 400
    assert "cannot be negative" in response.content.decode()
    assert not Score.objects.exists()
    response = client_for(officer).post(url, {"value_EFFECT": "4", "why_EFFECT": "Rated to IWA 14-1.",
                                              "value_CAPITAL": "80000", "value_PRIVACY": "5"})
    assert response.status_code == 302
    assert Score.objects.get(criterion="EFFECT").justification == "Rated to IWA 14-1."


def test_an_expert_with_a_view_role_scores_their_own_sheet_only(org: Any, evaluation: Any) -> None:
    liaison = factories.make_user(org, "police_liaison", username="liaison")
    world = score_panel(evaluation, {"Ana": {"Bollards": {}}, "Ben": {"Bollards": {}}})
    ana, ben, bollards = world["experts"]["Ana"], world["experts"]["Ben"], world["alternatives"]["Bollards"]
    ana.user = liaison
    ana.save()
    client = client_for(liaison)
    assert client.post(f"/evaluation/{evaluation.pk}/score/{ana.pk}/{bollards.pk}/",
                       {"value_EFFECT": "4"}).status_code == 302
    assert client.get(f"/evaluation/{evaluation.pk}/score/{ben.pk}/{bollards.pk}/").status_code == 403


def test_sliders_rerank_and_refuse_bad_weights(officer: Any, evaluation: Any) -> None:
    score_panel(evaluation, TABLE)
    client = client_for(officer)
    response = client.get(f"/evaluation/{evaluation.pk}/sensitivity/rerank/", {"criterion": "CAPITAL", "weight": "95"},
                          HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "reranked" in response.content.decode()
    bad = client.get(f"/evaluation/{evaluation.pk}/sensitivity/rerank/", {"criterion": "CAPITAL", "weight": "150"})
    assert bad.status_code == 400


def test_freezing_records_the_decision_and_locks_the_evaluation(officer: Any, evaluation: Any) -> None:
    world = score_panel(evaluation, TABLE)
    client = client_for(officer)
    url = f"/evaluation/{evaluation.pk}/freeze/"
    assert client.post(url, {"chosen": world["alternatives"]["Bollards"].pk, "rationale": " "}).status_code == 400
    response = client.post(url, {"chosen": world["alternatives"]["Bollards"].pk, "rationale": "Best effect."})
    assert response.status_code == 302
    record = DecisionRecord.objects.get()
    assert record.chosen == world["alternatives"]["Bollards"] and len(record.sha256) == 64
    check = client.get(f"/evaluation/{evaluation.pk}/record/?check=1").content.decode()
    assert "results are identical and the checksum matches" in check
    assert client.post(f"/evaluation/{evaluation.pk}/weights/", {"method": "direct",
                                                                 "points_EFFECT": "1"}).status_code == 409
    assert not Weighting.objects.exists()


def test_starting_an_evaluation_copies_the_chosen_criteria(officer: Any, site: Any) -> None:
    from stoa.evaluation.models import CriteriaSet, Evaluation
    from tests.evaluation_samples import small_criteria

    assessment = make_assessment(site)
    own = CriteriaSet.objects.create(organisation=site.organisation, name="Ours", data=small_criteria())
    vehicle = assessment.scenarios.get(threat__ref_id="VEHICLE")
    client = client_for(officer)
    url = f"/evaluation/new/?assessment={assessment.pk}"
    assert client.post(url, {"assessment": assessment.pk, "title": "Barriers"}).status_code == 400
    response = client.post(url, {"assessment": assessment.pk, "title": "Barriers", "scenario": vehicle.pk,
                                 "criteria_source": f"own:{own.pk}", "method": "weighted_sum",
                                 "topsis_normalization": "vector", "promethee_preference": "usual",
                                 "shortlist_size": "5"})
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert evaluation.criteria == own.data and evaluation.criteria_source == f"own:{own.pk}"
    own.data = {"groups": []}
    own.save()
    evaluation.refresh_from_db()
    assert evaluation.tree.ids == ["EFFECT", "CAPITAL", "PRIVACY"]
