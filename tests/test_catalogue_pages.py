"""The catalogue pages: browse, search and facets, a measure, comparison, and a city's own measures.

Reading the catalogue needs a membership (any role); adding a local measure needs ``add`` in the
active organisation, changing or removing one ``change`` / ``delete`` on it, and another
organisation's local measures are never shown (404), as the role map says.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from stoa.accounts.roles import ROLE_ACTIONS, Action, Role
from stoa.catalogue.models import LocalMeasure
from tests import factories
from tests.catalogue_samples import load_catalogue, load_reference, make_measure, measure_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def local(org) -> LocalMeasure:
    load_reference()
    return LocalMeasure.objects.create(organisation=org, name="Flower boxes on Rue Neuve",
                                       description="Heavy planters of our own design.", data=measure_data())


def _post_data(**overrides: Any) -> dict[str, Any]:
    data = {"name": "Market steel planters", "description": "Planters bolted to a foundation.",
            "technology_category": "PHYSICAL", "solution_type": "physical_design", "timing": "structural",
            "application": ["target_hardening"], "phases": ["EXECUTION"], "uses": ["PROTECT"],
            "l_VEHICLE": "50", "c_VEHICLE": "10", "effect_basis": "Tested by the city in 2025.",
            "capital_low": "10000", "capital_high": "20000", "yearly_low": "0", "yearly_high": "500",
            "cost_basis": "six planters", "deploy_low": "10", "deploy_high": "30", "trl": "9", "privacy": "none",
            "normal_use_impact": "low", "aesthetic_impact": "low", "accessibility_impact": "low", "standards": ""}
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", Role.values)
def test_every_role_reads_the_catalogue_and_only_adders_see_the_add_button(client, org, role):
    load_catalogue()
    client.force_login(factories.make_user(org, role))
    response = client.get(reverse("catalogue:list"))
    assert response.status_code == 200
    assert len(response.context["result"].entries) >= 80
    assert (reverse("catalogue:local-create") in response.content.decode()) == (Action.ADD in ROLE_ACTIONS[role])


@pytest.mark.parametrize("role", Role.values)
def test_adding_a_local_measure_follows_the_role(client, org, role):
    make_measure()
    client.force_login(factories.make_user(org, role))
    response = client.post(reverse("catalogue:local-create"), _post_data())
    if Action.ADD in ROLE_ACTIONS[role]:
        assert response.status_code == 302
        measure = LocalMeasure.objects.get(organisation=org)
        assert measure.data["effects"] == [{"threat": "VEHICLE", "likelihood": 0.5, "consequence": 0.1,
                                            "basis": {"en": "Tested by the city in 2025.",
                                                      "fr": "Tested by the city in 2025."}}]
    else:
        assert response.status_code == 403 and not LocalMeasure.objects.exists()


@pytest.mark.parametrize("role", Role.values)
def test_changing_and_removing_a_local_measure_follow_the_role(client, org, local, role):
    client.force_login(factories.make_user(org, role))
    edit = client.post(reverse("catalogue:local-edit", args=[local.pk]), _post_data(name="Renamed"))
    assert edit.status_code == (302 if Action.CHANGE in ROLE_ACTIONS[role] else 403)
    remove = client.post(reverse("catalogue:local-delete", args=[local.pk]))
    assert remove.status_code == (302 if Action.DELETE in ROLE_ACTIONS[role] else 403)
    assert LocalMeasure.objects.filter(pk=local.pk).exists() == (Action.DELETE not in ROLE_ACTIONS[role])


def test_another_organisations_local_measure_is_never_shown(client, local, outsider):
    make_measure()
    client.force_login(outsider)
    listed = client.get(reverse("catalogue:list")).context["result"].entries
    assert local.key not in {e.key for e in listed}
    assert client.get(reverse("catalogue:measure", args=[local.key])).status_code == 404
    assert client.get(reverse("catalogue:local-edit", args=[local.pk])).status_code == 404
    assert client.post(reverse("catalogue:local-delete", args=[local.pk])).status_code == 404
    compared = client.get(reverse("catalogue:compare"), {"m": [local.key]}).context["measures"]
    assert compared == []


def test_a_broken_local_measure_is_refused_with_the_reason_and_nothing_is_saved(client, officer):
    make_measure()
    client.force_login(officer)
    response = client.post(reverse("catalogue:local-create"), _post_data(l_VEHICLE="0", c_VEHICLE="0",
                                                                          capital_low="90000"))
    assert response.status_code == 400
    errors = " ".join(response.context["form"].non_field_errors())
    assert "at least one effect" in errors and "low <= high" in errors
    assert not LocalMeasure.objects.exists()


def test_a_local_version_replaces_the_shipped_measure_for_its_organisation_only(client, org, officer, outsider):
    shipped = make_measure()
    client.force_login(officer)
    form = client.get(reverse("catalogue:local-create"), {"based_on": shipped.urn})
    assert form.context["form"]["l_VEHICLE"].value() == 70  # prefilled with the shipped numbers
    client.post(reverse("catalogue:local-create") + f"?based_on={shipped.urn}", _post_data(l_VEHICLE="40"))
    local = LocalMeasure.objects.get(organisation=org)
    assert local.based_on == shipped.urn
    mine = client.get(reverse("catalogue:measure", args=[shipped.urn])).context["m"]["entry"]
    assert mine.key == local.key and mine.effect_on("VEHICLE")[0] == 0.4
    client.force_login(outsider)
    theirs = client.get(reverse("catalogue:measure", args=[shipped.urn])).context["m"]["entry"]
    assert theirs.key == shipped.urn and theirs.effect_on("VEHICLE")[0] == 0.7


def test_search_folds_accents_and_facets_narrow_the_list(client, officer):
    load_catalogue()
    client.force_login(officer)
    vehicle = client.get(reverse("catalogue:list"), {"threat": "VEHICLE", "type": "physical_design"})
    entries = vehicle.context["result"].entries
    assert entries and all(e.spec.acts_on("VEHICLE") and e.data["solution_type"] == "physical_design"
                           for e in entries)
    found = client.get(reverse("catalogue:list"), {"q": "evacuation"}).context["result"].entries
    assert any("évacuation" in (e.shipped.translations["fr"]["name"].lower()) or "evacuation" in e.name.lower()
               for e in found)
    partial = client.get(reverse("catalogue:list"), {"q": "bollard"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()


def test_the_measure_page_and_the_comparison_show_the_effects(client, officer):
    load_catalogue()
    client.force_login(officer)
    page = client.get(reverse("catalogue:measure", args=["urn:stoa:measure:rated-fixed-bollards"]))
    assert page.status_code == 200 and "ISO 22343" in page.content.decode()
    keys = ["urn:stoa:measure:rated-fixed-bollards", "urn:stoa:measure:cctv-live-monitoring"]
    compare = client.get(reverse("catalogue:compare"), {"m": keys})
    assert [m["entry"].key for m in compare.context["measures"]] == keys
    assert len(compare.context["effect_rows"]) == 10
    assert client.get(reverse("catalogue:measure", args=["urn:stoa:measure:nothing"])).status_code == 404


def test_every_catalogue_route_is_tested_here_or_in_the_assessment_matrix():
    from stoa.catalogue.urls import urlpatterns
    from tests.assessment_pages import catalogue

    here = {"list", "compare", "measure", "local-create", "local-edit", "local-delete"}
    in_matrix = {page.name.removesuffix("-form").removesuffix("-post").removesuffix("-confirm")
                 for page in catalogue.PAGES}
    assert {p.name for p in urlpatterns} <= here | in_matrix
