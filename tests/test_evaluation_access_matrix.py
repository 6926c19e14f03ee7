"""Every evaluation page × every role × (own organisation, other organisation, shared read, shared edit).

An evaluation follows its assessment's site, like the assessment, so the expected answer comes from
the same rule as tests/test_pages_access_matrix.py (derived from ROLE_ACTIONS and SHARE_ACTIONS).
One world serves all requests of a scenario: the pages' requests change nothing in it (the POSTs are
refused or idempotent), which keeps ~600 requests to seconds instead of building ~600 worlds.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from stoa.accounts.roles import Role
from stoa.evaluation.models import Alternative, Evaluation, Expert, Weighting
from tests import factories
from tests.assessment_samples import make_assessment
from tests.evaluation_pages_list import PAGES, extend_world
from tests.test_pages_access_matrix import SCENARIOS, expected_status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(org: Any) -> dict[str, Any]:
    site = factories.make_site(org, name="Market Square")
    world: dict[str, Any] = {"site": site, "assessment": make_assessment(site)}
    return world | extend_world(world)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_page_answers_as_the_roles_say(client: Any, world: dict[str, Any], org: Any, other_org: Any,
                                             scenario: str) -> None:
    if scenario != "own" and scenario != "other":
        factories.share(world["site"], other_org, scenario.removeprefix("shared_"))
    wrong = []
    for role in Role.values:
        user = factories.make_user(org if scenario == "own" else other_org, role)
        client.force_login(user)
        for page in PAGES:
            if page.org_level and scenario.startswith("shared_"):
                continue
            response = getattr(client, page.method)(page.url(world), page.data)
            if response.status_code != expected_status(page, role, scenario):
                wrong.append((page.name, role, response.status_code, expected_status(page, role, scenario)))
    assert wrong == []
    # The requests changed nothing: the same world served every role.
    assert Evaluation.objects.count() == 1 and Alternative.objects.count() == 1 and Expert.objects.count() == 1
    assert not Weighting.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client: Any, world: dict[str, Any]) -> None:
    for page in PAGES:
        response = getattr(client, page.method)(page.url(world), page.data)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), page.name


def test_every_evaluation_route_is_in_the_matrix(world: dict[str, Any]) -> None:
    from django.urls import resolve

    from stoa.evaluation.urls import urlpatterns

    covered = {resolve(page.url(world).split("?")[0]).url_name for page in PAGES}
    criteria_set_pages = {"criteria-sets", "criteria-set-create", "criteria-set", "criteria-set-delete", "record-pdf"}
    # Criteria sets belong to the organisation, not to an evaluation: tests/test_evaluation_criteria_sets.py;
    # the decision PDF exists only once frozen: tests/test_evaluation_report.py.
    assert {p.name for p in urlpatterns} - criteria_set_pages <= covered
