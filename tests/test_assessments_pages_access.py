"""Every assessment page × every role × (own organisation, other organisation, shared read, shared edit).

An assessment follows its site: who may see or change the site may see or change its assessments.
The expected answer is derived from ``stoa.accounts.roles`` (ROLE_ACTIONS, SHARE_ACTIONS) by the same
rule as tests/test_pages_access_matrix.py: ACTION allowed → the page's normal answer; the object
visible but ACTION not allowed → 403; not visible → 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from stoa.accounts.roles import Action, Role
from stoa.assessments.models import ExistingMeasure, TeamMember
from tests import factories
from tests.assessment_pages import AREAS, Page
from tests.assessment_samples import make_assessment
from tests.test_pages_access_matrix import SCENARIOS, expected_status

pytestmark = pytest.mark.django_db


def _scenario_prefix(w: dict[str, Any], name: str, value: str) -> dict[str, str]:
    return {f"{w['scenario'].pk}-{name}": value}


PAGES: list[Page] = [
    Page("list", lambda w: reverse("assessments:list"), Action.VIEW, org_level=True),
    Page("site", lambda w: reverse("assessments:site", args=[w["site"].pk]), Action.VIEW),
    Page("create-form", lambda w: reverse("assessments:create", args=[w["site"].pk]), Action.CHANGE),
    Page("create-post", lambda w: reverse("assessments:create", args=[w["site"].pk]), Action.CHANGE, ok=400,
         method="post"),
    Page("detail", lambda w: reverse("assessments:detail", args=[w["assessment"].pk]), Action.VIEW),
    Page("edit-form", lambda w: reverse("assessments:edit", args=[w["assessment"].pk]), Action.CHANGE),
    Page("edit-post", lambda w: reverse("assessments:edit", args=[w["assessment"].pk]), Action.CHANGE, ok=400,
         method="post"),
    Page("delete-confirm", lambda w: reverse("assessments:delete", args=[w["assessment"].pk]), Action.DELETE),
    Page("delete-post", lambda w: reverse("assessments:delete", args=[w["assessment"].pk]), Action.DELETE, ok=302,
         method="post"),
    Page("team-add", lambda w: reverse("assessments:team-add", args=[w["assessment"].pk]), Action.CHANGE, ok=400,
         method="post"),
    Page("team-remove", lambda w: reverse("assessments:team-remove", args=[w["member"].pk]), Action.CHANGE,
         ok=302, method="post"),
    Page("questions", lambda w: reverse("assessments:questions", args=[w["assessment"].pk, "PROFILE"]), Action.VIEW),
    Page("answer", lambda w: reverse("assessments:answer", args=[w["assessment"].pk, "T01"]), Action.CHANGE,
         ok=302, method="post", data={"value": "yes"}),
    Page("scenarios", lambda w: reverse("assessments:step", args=[w["assessment"].pk, "scenarios"]), Action.VIEW),
    Page("ratings", lambda w: reverse("assessments:step", args=[w["assessment"].pk, "ratings"]), Action.VIEW),
    Page("scenario-form", lambda w: reverse("assessments:scenario-edit", args=[w["scenario"].pk, "scenarios"]),
         Action.CHANGE),
    Page("scenario-post", lambda w: reverse("assessments:scenario-edit", args=[w["scenario"].pk, "scenarios"]),
         Action.CHANGE, ok=302, method="post"),
    Page("rating-post", lambda w: reverse("assessments:scenario-edit", args=[w["scenario"].pk, "ratings"]),
         Action.CHANGE, ok=400, method="post"),
    Page("measures", lambda w: reverse("assessments:measures", args=[w["assessment"].pk]), Action.VIEW),
    Page("measure-add", lambda w: reverse("assessments:measure-add", args=[w["assessment"].pk]), Action.CHANGE,
         ok=400, method="post"),
    Page("measure-remove", lambda w: reverse("assessments:measure-remove", args=[w["measure"].pk]), Action.CHANGE,
         ok=302, method="post"),
    Page("results", lambda w: reverse("assessments:results", args=[w["assessment"].pk]), Action.VIEW),
]
# Each later area of the workflow lists its own pages in tests/assessment_pages/<area>.py.
for _area in AREAS:
    PAGES += _area.PAGES

POST_DATA: dict[str, Callable[[dict[str, Any]], dict[str, str]]] = {
    "scenario-post": lambda w: _scenario_prefix(w, "narrative", "A van drives into the market."),
    "rating-post": lambda w: _scenario_prefix(w, "likelihood", "9") | _scenario_prefix(w, "consequence", "3"),
}
for _area in AREAS:
    POST_DATA |= getattr(_area, "POST_DATA", {})


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(org) -> dict[str, Any]:
    site = factories.make_site(org, name="Market Square")
    assessment = make_assessment(site)
    world = {"site": site, "assessment": assessment, "scenario": assessment.scenarios.first(),
             "member": TeamMember.objects.create(assessment=assessment, name="A. Martin"),
             "measure": ExistingMeasure.objects.create(assessment=assessment, description="Bollards",
                                                       threats=["VEHICLE"])}
    for area in AREAS:
        if hasattr(area, "extend_world"):
            world |= area.extend_world(world)
    return world


def _member(role: str, scenario: str, world: dict[str, Any], org: Any, other_org: Any) -> Any:
    if scenario == "own":
        return factories.make_user(org, role)
    if scenario != "other":
        factories.share(world["site"], other_org, scenario.removeprefix("shared_"))
    return factories.make_user(other_org, role)


CASES = [
    pytest.param(page, role, scenario, id=f"{page}-{role}-{scenario}")
    for page in PAGES for role in Role.values for scenario in SCENARIOS
    if not (page.org_level and scenario.startswith("shared_"))
]


def _request(client: Any, target: Page, world: dict[str, Any]) -> Any:
    data = target.data or (POST_DATA[target.name](world) if target.name in POST_DATA else {})
    return getattr(client, target.method)(target.url(world), data)


@pytest.mark.parametrize(("target", "role", "scenario"), CASES)
def test_page_answers_as_the_roles_say(client, world, org, other_org, target, role, scenario):
    client.force_login(_member(role, scenario, world, org, other_org))
    response = _request(client, target, world)
    assert response.status_code == expected_status(target, role, scenario), (target.name, role, scenario)


@pytest.mark.parametrize("target", PAGES, ids=str)
def test_anonymous_visitors_are_sent_to_log_in(client, world, target):
    response = _request(client, target, world)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_every_assessment_route_is_in_the_matrix(world):
    from django.urls import resolve

    from stoa.assessments.urls import urlpatterns

    assert {p.name for p in urlpatterns} <= {resolve(page.url(world)).url_name for page in PAGES}


def test_the_list_shows_only_what_the_user_may_see(client, world, org, other_org):
    hidden = make_assessment(factories.make_site(other_org, name="Elsewhere Square"))
    client.force_login(factories.make_user(org, "viewer"))
    listed = list(client.get(reverse("assessments:list")).context["assessments"])
    assert world["assessment"] in listed and hidden not in listed


def test_the_site_page_links_to_its_assessments(client, world, org):
    client.force_login(factories.make_user(org, "viewer"))
    html = client.get(reverse("sites:detail", args=[world["site"].pk])).content.decode()
    assert reverse("assessments:site", args=[world["site"].pk]) in html
