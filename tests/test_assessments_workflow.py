"""Creating an assessment, editing its scenarios, rating them, answering questions, the results."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse

from stoa.assessments.models import Answer, Assessment, Scenario
from stoa.assessments.services import CannotCreate, create_assessment
from stoa.library.models import ReferenceObject
from tests import factories
from tests.assessment_samples import BANK_URN, load_assessment_libraries, make_assessment

pytestmark = pytest.mark.django_db

THREATS = ["FIREARMS", "SHARP_OBJECT", "VEHICLE", "IED", "PBIED", "UAVIED", "VBIED", "CHEMICAL", "BIOLOGICAL",
           "RADIOLOGICAL"]


@pytest.fixture
def libraries(db):
    load_assessment_libraries()


@pytest.fixture
def assessment(site, libraries):
    return create_assessment(site, date=datetime.date(2026, 5, 4), depth="quick")


def test_creating_makes_ten_scenarios_and_freezes_the_matrix(assessment, site):
    assert list(assessment.scenarios.values_list("threat__ref_id", flat=True)) == THREATS
    assert assessment.organisation_id == site.organisation_id
    assert assessment.risk_matrix["urn"] == "urn:stoa:risk-matrix:default-5x5"
    assert len(assessment.risk_matrix["data"]["grid"]) == 5
    assert assessment.question_bank_urn == BANK_URN and assessment.question_bank_version == 3
    # No answers yet: every proposal sits at the middle of the scale.
    assert set(assessment.scenarios.values_list("proposed_likelihood", "proposed_consequence")) == {(3, 3)}


def test_a_later_change_to_the_library_matrix_does_not_touch_the_assessment(assessment):
    matrix = ReferenceObject.objects.get(kind="risk_matrix")
    matrix.data = {**matrix.data, "grid": [["low"] * 5] * 5}
    matrix.save()
    assessment.refresh_from_db()
    assert assessment.risk_matrix["data"]["grid"][4][4] == "very_high"


def test_creating_without_threat_types_is_refused_and_writes_nothing(site):
    with pytest.raises(CannotCreate):
        create_assessment(site)
    assert not Assessment.objects.exists()


def test_create_page_makes_an_assessment(client, officer, site, libraries):
    client.force_login(officer)
    response = client.post(reverse("assessments:create", args=[site.pk]),
                           {"date": "2026-05-04", "depth": "full", "review_cycle_months": 12, "managing_body": "City"})
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("assessments:detail", args=[assessment.pk])
    assert assessment.created_by == officer and assessment.scenarios.count() == 10


def test_scenario_not_applicable_needs_a_reason(client, officer, assessment):
    scenario = assessment.scenarios.get(threat__ref_id="RADIOLOGICAL")
    client.force_login(officer)
    url = reverse("assessments:scenario-edit", args=[scenario.pk, "scenarios"])
    prefix = str(scenario.pk)
    response = client.post(url, {f"{prefix}-narrative": "Kept", f"{prefix}-not_applicable": "on"})
    assert response.status_code == 400
    assert "Say why this threat type does not apply" in response.content.decode()
    scenario.refresh_from_db()
    assert scenario.narrative == "" and not scenario.not_applicable
    response = client.post(url, {f"{prefix}-narrative": "Kept", f"{prefix}-not_applicable": "on",
                                 f"{prefix}-not_applicable_reason": "No source nearby."}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    scenario.refresh_from_db()
    assert scenario.not_applicable and scenario.not_applicable_reason == "No source nearby."


def _rate(client, scenario, **values):
    prefix = str(scenario.pk)
    url = reverse("assessments:scenario-edit", args=[scenario.pk, "ratings"])
    return client.post(url, {f"{prefix}-{k}": v for k, v in values.items()})


def test_rating_as_proposed_needs_no_justification(client, officer, assessment):
    scenario = assessment.scenarios.get(threat__ref_id="VEHICLE")
    client.force_login(officer)
    assert _rate(client, scenario, likelihood=3, consequence=3).status_code == 302
    scenario.refresh_from_db()
    assert (scenario.likelihood, scenario.consequence) == (3, 3) and not scenario.overridden


def test_override_without_justification_is_refused(client, officer, assessment):
    scenario = assessment.scenarios.get(threat__ref_id="VEHICLE")
    client.force_login(officer)
    response = _rate(client, scenario, likelihood=5, consequence=4)
    assert response.status_code == 400
    assert "differs from the proposal" in response.content.decode()
    scenario.refresh_from_db()
    assert scenario.likelihood is None
    assert _rate(client, scenario, likelihood=5, consequence=4,
                 override_justification="Lorries unload here daily.").status_code == 302
    scenario.refresh_from_db()
    assert scenario.overridden and scenario.override_justification == "Lorries unload here daily."


def test_a_rating_outside_the_matrix_is_refused(client, officer, assessment):
    scenario = assessment.scenarios.get(threat__ref_id="VEHICLE")
    client.force_login(officer)
    response = _rate(client, scenario, likelihood=6, consequence=3, override_justification="x")
    assert response.status_code == 400
    scenario.refresh_from_db()
    assert scenario.likelihood is None


def _answer(client, assessment, question, value, htmx=True):
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("assessments:answer", args=[assessment.pk, question]), {"value": value}, **extra)


def test_answers_are_saved_one_by_one_and_move_the_proposal(client, officer, assessment):
    client.force_login(officer)
    response = _answer(client, assessment, "T01", "no")
    assert response.status_code == 200 and "Saved." in response.content.decode()
    assert Answer.objects.get(question="T01", assessor=officer).value == "no"
    vehicle = assessment.scenarios.get(threat__ref_id="VEHICLE")
    assert (vehicle.proposed_likelihood, vehicle.proposed_consequence) == (4, 3)
    assert _answer(client, assessment, "T02", "2500").status_code == 200
    assert Answer.objects.get(question="T02").value == 2500
    vehicle.refresh_from_db()
    assert (vehicle.proposed_likelihood, vehicle.proposed_consequence) == (4, 4)
    # Changing an answer replaces it; the explanation lists what pushed the rating.
    assert _answer(client, assessment, "T01", "yes").status_code == 200
    assert Answer.objects.filter(question="T01").count() == 1
    page = client.get(reverse("assessments:step", args=[assessment.pk, "ratings"])).content.decode()
    assert "Question T01" in page and "why VEHICLE" in page


@pytest.mark.parametrize(("question", "value", "message"), [
    ("T02", "many", "expects a number"),
    ("T01", "perhaps", "Choose one of: yes, no, unknown"),
    ("T03", "drones", "Choose any of: cctv, guards"),
])
def test_an_answer_of_the_wrong_type_is_refused_and_nothing_is_stored(client, officer, assessment, question,
                                                                        value, message):
    client.force_login(officer)
    assert _answer(client, assessment, "T02", "120").status_code == 200
    before = list(Answer.objects.values_list("question", "value"))
    response = _answer(client, assessment, question, value)
    assert response.status_code == 400 and message in response.content.decode()
    assert list(Answer.objects.values_list("question", "value")) == before


def test_full_depth_questions_are_not_asked_in_a_quick_scan(client, officer, assessment):
    client.force_login(officer)
    assert _answer(client, assessment, "T05", "high").status_code == 404
    page = client.get(reverse("assessments:questions", args=[assessment.pk, "PROFILE"])).content.decode()
    assert "Question T01" in page and "Question T05" not in page


def test_each_assessor_keeps_their_own_answer(client, officer, org, assessment):
    other = factories.make_user(org, "assessor")
    client.force_login(officer)
    _answer(client, assessment, "T01", "yes")
    client.force_login(other)
    _answer(client, assessment, "T01", "no")
    assert sorted(Answer.objects.values_list("value", flat=True)) == ["no", "yes"]


def test_results_show_the_heat_map_ranking_and_findings(client, officer, assessment):
    scenarios = {s.threat.ref_id: s for s in assessment.scenarios.select_related("threat")}
    Scenario.objects.filter(pk=scenarios["VEHICLE"].pk).update(likelihood=5, consequence=5,
                                                               override_justification="Open square.")
    Scenario.objects.filter(pk=scenarios["FIREARMS"].pk).update(likelihood=3, consequence=3)
    client.force_login(officer)
    response = client.get(reverse("assessments:results", args=[assessment.pk]))
    assert response.status_code == 200
    context = response.context
    top_row = context["heat_rows"][0]
    assert top_row["likelihood"]["value"] == 5
    assert [s.threat.ref_id for s in top_row["cells"][4]["threats"]] == ["VEHICLE"]
    assert [r["scenario"].threat.ref_id for r in context["ranked"]] == ["VEHICLE", "FIREARMS"]
    found = {(f["id"], f["threat"]) for f in context["findings"]}
    assert ("C-THREAT-UNRATED", scenarios["IED"].threat.label()) in found
    html = response.content.decode()
    assert "<caption>" in html and "Very high" in html


def test_make_assessment_helper_is_idempotent(site, org):
    first = make_assessment(site)
    second = make_assessment(factories.make_site(org))
    assert first.scenarios.count() == second.scenarios.count() == 10


def test_existing_measures_are_recorded_and_checked(client, officer, assessment):
    from stoa.assessments.models import ExistingMeasure
    from tests.factories import SQUARE

    client.force_login(officer)
    url = reverse("assessments:measure-add", args=[assessment.pk])
    bad = client.post(url, {"description": "Bollards", "nature": "emplaced", "timing": "structural",
                            "threats": ["VEHICLE"], "geometry": '{"type": "LineString", "coordinates": []}'})
    assert bad.status_code == 400 and not ExistingMeasure.objects.exists()
    good = client.post(url, {"description": "Bollards", "nature": "emplaced", "timing": "structural",
                             "threats": ["VEHICLE"], "geometry": json.dumps(SQUARE)})
    assert good.status_code == 302
    measure = ExistingMeasure.objects.get()
    assert measure.threats == ["VEHICLE"] and measure.geometry["type"] == "Polygon"
    assert measure.organisation_id == assessment.organisation_id
    Scenario.objects.filter(assessment=assessment, threat__ref_id__in=["VEHICLE", "IED"]).update(
        likelihood=3, consequence=5)
    findings = client.get(reverse("assessments:results", args=[assessment.pk])).context["findings"]
    unprotected = {f["threat"] for f in findings if f["id"] == "C-HIGH-CONSEQ-NO-MEASURE"}
    assert unprotected == {ReferenceObject.objects.get(kind="threat_type", ref_id="IED").label()}
