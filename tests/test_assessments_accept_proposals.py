"""Rating every unrated threat type at Stoa's proposal in one step, leaving chosen ratings alone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stoa.assessments.models import Scenario
from tests import factories
from tests.assessment_samples import make_assessment

pytestmark = pytest.mark.django_db


def test_unrated_scenarios_take_the_proposal_and_chosen_ratings_stay(client, org):
    assessment = make_assessment(factories.make_site(org, name="Market Square"))
    vehicle = assessment.scenarios.get(threat__ref_id="VEHICLE")
    vehicle.likelihood, vehicle.consequence, vehicle.override_justification = 1, 1, "Bollards everywhere."
    vehicle.save()
    Scenario.objects.filter(assessment=assessment, threat__ref_id="RADIOLOGICAL").update(
        not_applicable=True, not_applicable_reason="No sources nearby.")
    client.force_login(factories.make_user(org, "assessor"))
    response = client.post(reverse("assessments:accept-proposals", args=[assessment.pk]))
    assert response.status_code == 302
    for scenario in assessment.scenarios.select_related("threat"):
        if scenario.threat.ref_id == "VEHICLE":
            assert (scenario.likelihood, scenario.consequence) == (1, 1)
        elif scenario.threat.ref_id == "RADIOLOGICAL":
            assert not scenario.rated
        else:
            assert (scenario.likelihood, scenario.consequence) == (scenario.proposed_likelihood,
                                                                   scenario.proposed_consequence)


def test_a_viewer_cannot_and_nothing_changes(client, org):
    assessment = make_assessment(factories.make_site(org, name="Market Square"))
    client.force_login(factories.make_user(org, "viewer"))
    assert client.post(reverse("assessments:accept-proposals", args=[assessment.pk])).status_code == 403
    assert not any(s.rated for s in assessment.scenarios.all())
