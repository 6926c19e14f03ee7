"""Need-to-know on cases: every case page and API endpoint × every role × (own organisation, another one,
another one the PSOI is shared with). Cases are never shared through a PSOI share: another organisation
sees a case only by importing its bundle. One world serves every request (they change nothing in it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from stoa.accounts.roles import Action, Role, role_allows
from stoa.cases.models import CaseStudy
from tests import factories
from tests.case_samples import make_case, make_finished_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class Page:
    name: str
    method: str
    path: str  # formatted with the world's ids
    action: str
    scope: str = "case"  # case: needs the case; org: the caller's own organisation; site: the site (shares count)
    api: bool = False
    ok: int = 200


PAGES = [
    Page("library", "get", "/cases/", Action.VIEW, "org"),
    Page("detail", "get", "/cases/{case}/", Action.VIEW),
    Page("edit", "get", "/cases/{case}/edit/", Action.CHANGE),
    Page("delete", "get", "/cases/{case}/delete/", Action.DELETE),
    Page("export", "post", "/cases/{case}/export/", Action.SHARE),
    Page("create", "get", "/cases/new/?plan={plan}", Action.ADD, "plan"),
    Page("import", "get", "/cases/import/", Action.ADD, "org"),
    Page("benchmark", "get", "/cases/benchmark/{site}/", Action.VIEW, "site"),
    Page("api-list", "get", "/api/v1/cases/", Action.VIEW, "org", api=True),
    Page("api-detail", "get", "/api/v1/cases/{case}/", Action.VIEW, api=True),
    Page("api-export", "post", "/api/v1/cases/{case}/export/", Action.SHARE, api=True),
    Page("api-import", "post", "/api/v1/cases/import/", Action.ADD, "org", api=True, ok=400),  # junk body
]
SCENARIOS = ["own", "other", "shared_read"]
# Outside the case's organisation every case answer is 404 whatever the role; the highest and the lowest
# role are enough there to check the organisation-level pages, and keep the matrix to seconds.
ROLES = {"own": Role.values, "other": [Role.ADMIN, Role.VIEWER], "shared_read": [Role.ADMIN, Role.VIEWER]}


def expected(page: Page, role: str, scenario: str) -> int:
    visible = scenario == "own" or page.scope == "org" or (page.scope in ("site", "plan") and scenario != "other")
    if not visible:
        return 404
    allowed = role_allows(role, page.action) and (scenario == "own" or page.scope in ("org", "site"))
    if page.scope == "plan" and scenario != "own":
        allowed = False  # only the plan's own organisation writes its case
    return page.ok if allowed else 403


@pytest.fixture
def world(org: Any) -> dict[str, Any]:
    plan = make_finished_plan(org)
    return {"plan": plan, "site": plan.site, "case": make_case(plan)}


def request(page: Page, user: Any, world: dict[str, Any]) -> Any:
    path = page.path.format(case=world["case"].pk, plan=world["plan"].pk, site=world["site"].pk)
    if page.api:
        client = APIClient()
        client.force_authenticate(user)
        if page.method == "post":
            return client.post(path, b"{}", content_type="application/json")
        return client.get(path)
    from django.test import Client

    client = Client()
    client.force_login(user)
    return getattr(client, page.method)(path)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_case_page_and_endpoint_answers_as_the_roles_say(world: dict[str, Any], org: Any, other_org: Any,
                                                               scenario: str) -> None:
    if scenario == "shared_read":
        factories.share(world["site"], other_org, "read")
    wrong = []
    for role in ROLES[scenario]:
        user = factories.make_user(org if scenario == "own" else other_org, role)
        for page in PAGES:
            response = request(page, user, world)
            if response.status_code != expected(page, role, scenario):
                wrong.append((page.name, role, response.status_code, expected(page, role, scenario)))
            if page.name in ("library", "api-list") and scenario != "own":
                assert world["case"].title not in response.content.decode(), (page.name, role)
    assert wrong == []
    assert CaseStudy.objects.count() == 1  # nothing was created, changed or removed


def test_anonymous_visitors_are_sent_to_log_in_and_the_api_refuses_them(world: dict[str, Any]) -> None:
    from django.test import Client

    for page in PAGES:
        path = page.path.format(case=world["case"].pk, plan=world["plan"].pk, site=world["site"].pk)
        if page.api:
            assert getattr(APIClient(), page.method)(path).status_code in (401, 403), page.name
        else:
            response = getattr(Client(), page.method)(path)
            assert response.status_code == 302 and response["Location"].startswith(reverse("login")), page.name


def test_every_case_route_is_in_the_matrix(world: dict[str, Any]) -> None:
    from django.urls import resolve

    from stoa.cases.urls import urlpatterns

    covered = {resolve(page.path.split("?")[0].format(case=world["case"].pk, site=world["site"].pk)).url_name
               for page in PAGES if not page.api}
    assert {p.name for p in urlpatterns} == covered


def test_a_bad_id_is_404_and_a_wrong_method_405(world: dict[str, Any], org: Any) -> None:
    officer = factories.make_user(org, "security_officer")
    api = APIClient()
    api.force_authenticate(officer)
    assert api.get("/api/v1/cases/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert api.delete(f"/api/v1/cases/{world['case'].pk}/").status_code == 405
    assert api.get(f"/api/v1/cases/{world['case'].pk}/export/").status_code == 405
    from django.test import Client

    page = Client()
    page.force_login(officer)
    assert page.get("/cases/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert page.get(f"/cases/{world['case'].pk}/export/").status_code == 405
