"""Concurrent edits: two people start from the same version; the second save is refused, not merged."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from stoa.assessments.models import Scenario
from stoa.plans.models import PlannedMeasure
from stoa.sites.models import Site
from tests import factories
from tests.backup_samples import client_for
from tests.plan_samples import make_plan_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org: Any) -> dict[str, Any]:
    return make_plan_world(org)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_fields(html: str) -> dict[str, str]:
    """The hidden version and every input value a page's form carries, as a browser would send."""
    return dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))


def test_two_assessors_rate_the_same_scenario_the_second_sees_the_first_ones_values(world, org):
    first, second = (factories.make_user(org, "assessor", username=name) for name in ("anna", "bruno"))
    scenario = world["assessment"].scenarios.get(threat__ref_id="VEHICLE")
    url = reverse("assessments:scenario-edit", args=[scenario.pk, "ratings"])
    pages = [signed_in(user) for user in (first, second)]
    loaded = [form_fields(client.get(url).content.decode()) for client in pages]
    version_field = f"{scenario.pk}-version"
    assert loaded[0][version_field] == loaded[1][version_field] == str(scenario.version)

    def rating(fields: dict[str, str], level: int) -> dict[str, str]:
        return {version_field: fields[version_field], f"{scenario.pk}-likelihood": str(level),
                f"{scenario.pk}-consequence": str(level),
                f"{scenario.pk}-override_justification": f"Seen on site, level {level}."}

    assert pages[0].post(url, rating(loaded[0], 2)).status_code == 302
    refused = pages[1].post(url, rating(loaded[1], 5))
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "anna saved this while you were editing it" in text and "data-conflict" in text
    assert "Seen on site, level 2." in text  # what the first assessor stored is shown
    stored = Scenario.objects.get(pk=scenario.pk)
    assert (stored.likelihood, stored.consequence) == (2, 2)
    # The refused form now carries the stored version: saving again replaces deliberately.
    again = form_fields(text)
    assert again[version_field] == str(stored.version)
    assert pages[1].post(url, rating(again, 5)).status_code == 302
    assert Scenario.objects.get(pk=scenario.pk).likelihood == 5


def test_two_planners_edit_the_same_item_the_first_ones_change_is_kept(world, org):
    planners = [factories.make_user(org, "security_officer", username=name) for name in ("carla", "dirk")]
    item = world["item"]
    url = reverse("plans:item-edit", args=[item.pk])
    pages = [signed_in(user) for user in planners]
    loaded = []
    for client in pages:
        html = client.get(url).content.decode()
        fields = form_fields(html)
        fields.update(dict(re.findall(r'<select[^>]*name="([^"]+)"[^>]*>.*?<option value="([^"]*)"[^>]*selected',
                                      html, re.S)))
        loaded.append(fields)
    assert loaded[0]["version"] == loaded[1]["version"] == str(item.version)
    first = pages[0].post(url, loaded[0] | {"owner": "Roads department", "progress": "60"})
    assert first.status_code == 302, first.content.decode()[:2000]
    refused = pages[1].post(url, loaded[1] | {"owner": "Parks department", "progress": "10"})
    assert refused.status_code == 400
    assert "carla saved this while you were editing it" in refused.content.decode()
    assert "Roads department" in refused.content.decode()
    stored = PlannedMeasure.objects.get(pk=item.pk)
    assert (stored.owner, stored.progress) == ("Roads department", 60)


def test_the_api_refuses_a_stale_version_with_409_and_a_stale_if_match_with_412(world, officer):
    api = client_for(officer)
    url = f"/api/v1/sites/{world['site'].pk}/"
    read = api.get(url)
    version = read.json()["version"]
    assert read["ETag"] == f'"{version}"'
    first = api.patch(url, {"name": "North Square", "version": version}, format="json")
    assert first.status_code == 200 and first.json()["version"] == version + 1
    second = api.patch(url, {"name": "South Square", "version": version}, format="json")
    assert second.status_code == 409
    body = second.json()
    assert (body["your_version"], body["current_version"], body["changed_by"]) == (version, version + 1, "officer")
    assert Site.objects.get(pk=world["site"].pk).name == "North Square"
    stale = api.patch(url, {"name": "South Square"}, format="json", HTTP_IF_MATCH=f'"{version}"')
    assert stale.status_code == 412 and Site.objects.get(pk=world["site"].pk).name == "North Square"
    fresh = api.patch(url, {"name": "South Square"}, format="json", HTTP_IF_MATCH=f'"{version + 1}"')
    assert fresh.status_code == 200 and fresh["ETag"] == f'"{version + 2}"'
    # Without a version the change applies to what is stored (last writer wins) and still counts.
    blind = api.patch(url, {"name": "West Square"}, format="json")
    assert blind.status_code == 200 and blind.json()["version"] == version + 3


def test_a_plan_item_patch_with_a_stale_version_is_refused(world, officer):
    api = client_for(officer)
    url = f"/api/v1/plan-measures/{world['item'].pk}/"
    version = world["item"].version
    assert api.patch(url, {"progress": 70, "version": version}, format="json").status_code == 200
    refused = api.patch(url, {"progress": 20, "version": version}, format="json")
    assert refused.status_code == 409 and PlannedMeasure.objects.get(pk=world["item"].pk).progress == 70
