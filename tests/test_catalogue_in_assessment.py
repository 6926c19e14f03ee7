"""The catalogue inside an assessment: scenario templates fill in a scenario (without saving), an existing
measure picked from the catalogue brings its threat types and shows its known effect, and a requirement's
measurable condition is checked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stoa.assessments.models import ExistingMeasure, Objective, Requirement
from tests import factories
from tests.assessment_samples import make_assessment
from tests.catalogue_samples import load_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(org):
    load_catalogue()
    return make_assessment(factories.make_site(org, name="Market Square", category=factories.category("SQUARE")))


def test_a_template_fills_in_the_scenario_form_and_saves_nothing(client, officer, assessment):
    scenario = assessment.scenarios.get(threat__ref_id="VEHICLE")
    client.force_login(officer)
    page = client.get(reverse("assessments:step", args=[assessment.pk, "scenarios"]))
    assert "VEHICLE_RAMMING_MARKET_CROWD" in page.content.decode()
    url = reverse("assessments:scenario-edit", args=[scenario.pk, "scenarios"])
    card = client.get(url, {"template": "VEHICLE_RAMMING_MARKET_CROWD"}, HTTP_HX_REQUEST="true")
    form = card.context["form"]
    assert "market" in form["narrative"].value().lower()
    assert form["attack_phase"].value() is not None
    assert "check it, then save" in card.content.decode()
    scenario.refresh_from_db()
    assert scenario.narrative == ""
    # a template of another threat type is ignored
    other = client.get(url, {"template": "MARAUDING_FIREARMS_STATION_CONCOURSE"}, HTTP_HX_REQUEST="true")
    assert other.context["form"]["narrative"].value() in ("", None)


def test_a_measure_picked_from_the_catalogue_brings_its_threats_and_shows_its_effect(client, officer, assessment):
    client.force_login(officer)
    response = client.post(reverse("assessments:measure-add", args=[assessment.pk]), {
        "description": "Bollards on Rue Haute", "catalogue_key": "urn:stoa:measure:rated-fixed-bollards",
        "nature": "emplaced", "timing": "structural"})
    assert response.status_code == 302
    measure = ExistingMeasure.objects.get(assessment=assessment)
    assert "VEHICLE" in measure.threats and measure.technology_category.ref_id == "PHYSICAL"
    page = client.get(reverse("assessments:measures", args=[assessment.pk]))
    rows = {row["threat"]: row for row in page.context["known_effects"]}
    assert rows["Vehicle ramming attack"]["likelihood"] == 70


def test_a_key_outside_the_catalogue_is_refused(client, officer, assessment):
    client.force_login(officer)
    response = client.post(reverse("assessments:measure-add", args=[assessment.pk]), {
        "description": "Mystery", "catalogue_key": "urn:stoa:measure:nothing", "nature": "emplaced",
        "timing": "structural"})
    assert response.status_code == 400 and not ExistingMeasure.objects.exists()


def test_a_requirement_condition_needs_a_fitting_limit(client, officer, assessment):
    objective = Objective.objects.create(assessment=assessment, title="Keep the square open")
    client.force_login(officer)
    url = reverse("assessments:requirement-add", args=[objective.pk])

    def posted(limit: str) -> dict[str, str]:
        fields = {"text": "Cheap", "scope": "site", "priority": "must", "criterion": "max_capital_eur", "limit": limit}
        return {f"r-{objective.pk}-{name}": value for name, value in fields.items()}  # the form's prefix

    bad = client.post(url, posted("a lot"))
    assert bad.status_code == 400 and not Requirement.objects.exists()
    good = client.post(url, posted("50000"))
    assert good.status_code == 302
    requirement = Requirement.objects.get()
    assert requirement.meets({"cost": {"capital_eur": [10000, 20000]}})
    assert not requirement.meets({"cost": {"capital_eur": [90000, 200000]}})
