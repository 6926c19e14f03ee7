"""Action-plan pages: what they show and refuse, and every page × role × (own, other, shared) case.

A plan follows its public space for access, like the assessment, so the expected answers come from
tests/test_pages_access_matrix.py's rule (ROLE_ACTIONS and SHARE_ACTIONS). One world per scenario
serves every role's requests: the POSTs are refused (400) or idempotent.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from stoa.accounts.roles import Action, Role
from stoa.plans.models import ActionPlan, PlannedMeasure
from tests import factories
from tests.assessment_pages import Page
from tests.assessment_samples import make_assessment
from tests.plan_samples import make_decision, make_plan_world
from tests.test_pages_access_matrix import SCENARIOS, expected_status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(org: Any) -> dict[str, Any]:
    return make_plan_world(org)


def _plan(name: str) -> Any:
    return lambda w: reverse(f"plans:{name}", args=[w["plan"].pk])


def _item(name: str) -> Any:
    return lambda w: reverse(f"plans:{name}", args=[w["item"].pk])


PAGES: list[Page] = [
    Page("overview", lambda w: reverse("plans:overview"), Action.VIEW, org_level=True),
    Page("create-choose-site", lambda w: reverse("plans:create"), Action.CHANGE, org_level=True),
    Page("create-form", lambda w: reverse("plans:create") + f"?site={w['site'].pk}", Action.CHANGE),
    Page("create-post", lambda w: reverse("plans:create") + f"?site={w['site'].pk}", Action.CHANGE, ok=400,
         method="post"),
    Page("detail", _plan("detail"), Action.VIEW),
    Page("edit-form", _plan("edit"), Action.CHANGE),
    Page("edit-post", _plan("edit"), Action.CHANGE, ok=400, method="post"),
    Page("review", _plan("review"), Action.CHANGE, ok=302, method="post"),
    Page("delete-confirm", _plan("delete"), Action.DELETE),
    Page("item-add-form", _plan("item-add"), Action.CHANGE),
    Page("item-add-post", _plan("item-add"), Action.CHANGE, ok=400, method="post"),
    Page("from-whatif-form", _plan("from-whatif"), Action.CHANGE),
    Page("from-whatif-post", _plan("from-whatif"), Action.CHANGE, ok=400, method="post", data={"option": "x"}),
    Page("from-decision-form", _plan("from-decision"), Action.CHANGE),
    Page("from-decision-post", _plan("from-decision"), Action.CHANGE, ok=400, method="post"),
    Page("item-edit-form", _item("item-edit"), Action.CHANGE),
    Page("item-edit-post", _item("item-edit"), Action.CHANGE, ok=400, method="post", data={"name": ""}),
    Page("item-delete-confirm", _item("item-delete"), Action.CHANGE),
    Page("roadmap", lambda w: reverse("plans:roadmap"), Action.VIEW, org_level=True),
    Page("optimise", lambda w: reverse("plans:optimise"), Action.VIEW, org_level=True),
]
# Optimisation runs belong to one organisation and are never shared through a site, so they are not
# site-following pages: their roles and need-to-know are tested in tests/test_plans_optimiser.py.
RUN_ROUTES = {"optimisation", "optimisation-to-plans"}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_page_answers_as_the_roles_say(client: Any, world: dict[str, Any], org: Any, other_org: Any,
                                             scenario: str) -> None:
    if scenario != "own" and scenario != "other":
        factories.share(world["site"], other_org, scenario.removeprefix("shared_"))
    wrong = []
    for role in Role.values:
        client.force_login(factories.make_user(org if scenario == "own" else other_org, role))
        for page in PAGES:
            if page.org_level and scenario.startswith("shared_"):
                continue
            response = getattr(client, page.method)(page.url(world), page.data)
            if response.status_code != expected_status(page, role, scenario):
                wrong.append((page.name, role, response.status_code, expected_status(page, role, scenario)))
    assert wrong == []
    assert ActionPlan.objects.count() == 1 and PlannedMeasure.objects.count() == 1


def test_every_plan_route_is_in_the_matrix(world: dict[str, Any]) -> None:
    from django.urls import resolve

    from stoa.plans.urls import urlpatterns

    covered = {resolve(page.url(world).split("?")[0]).url_name for page in PAGES}
    assert {p.name for p in urlpatterns} - {"delete", "item-delete"} - RUN_ROUTES <= covered  # removals: below


def test_a_plan_is_started_for_a_site_from_one_of_its_own_assessments(client, officer, world, org):
    client.force_login(officer)
    elsewhere = make_assessment(factories.make_site(org, name="Station"))
    page = client.get(reverse("plans:create") + f"?site={world['site'].pk}")
    assert str(world["assessment"].pk) in page.text and str(elsewhere.pk) not in page.text
    url = reverse("plans:create")
    data = {"site": world["site"].pk, "title": "Second plan", "status": "draft", "review_every_months": 12}
    refused = client.post(url, data | {"assessment": elsewhere.pk})
    assert refused.status_code == 400 and "Select a valid choice" in refused.text
    response = client.post(url, data | {"assessment": world["assessment"].pk})
    assert response.status_code == 302
    plan = ActionPlan.objects.get(title="Second plan")
    assert plan.organisation == org and plan.next_review is not None and plan.created_by == officer


def test_the_plan_page_shows_progress_bars_the_timeline_its_table_and_the_residual_risk(client, officer, world):
    client.force_login(officer)
    page = client.get(reverse("plans:detail", args=[world["plan"].pk])).text
    assert 'role="progressbar"' in page and 'aria-valuenow="50"' in page and "50 %" in page
    assert '<svg' in page and "Timeline of the plan" in page and 'class="gantt-today"' in page
    assert "The timeline as a table" in page and "Signage" in page
    assert 'id="residual-table"' in page and "heat-map" in page
    overview = client.get(reverse("plans:overview")).text
    assert "Market Square" in overview and 'role="progressbar"' in overview and 'id="budget-years"' in overview
    assert "City timeline" in overview and "<svg" in overview


def test_measures_come_from_a_what_if_option_once_and_from_a_decision(client, officer, world):
    client.force_login(officer)
    plan = world["plan"]
    url = reverse("plans:from-whatif", args=[plan.pk])
    assert client.post(url, {"option": world["option"].pk}).status_code == 302
    assert plan.plannedmeasures.count() == 3
    again = client.post(url, {"option": world["option"].pk})
    assert again.status_code == 400 and "already in the plan" in again.text
    page = client.get(reverse("plans:detail", args=[plan.pk])).text
    assert "Test bollards" in page and "↓" in page  # a rated scenario's risk went down
    make_decision(world["assessment"])
    decision_page = client.get(reverse("plans:from-decision", args=[plan.pk]))
    record = decision_page.context["form"].decisions
    refused = client.post(reverse("plans:from-decision", args=[plan.pk]), {"decision": next(iter(record))})
    assert refused.status_code == 400 and "“Test bollards” is already in the plan." in refused.text


def test_an_item_form_refuses_a_cycle_and_an_end_before_the_start_and_warns_of_an_early_start(client, officer, world):
    client.force_login(officer)
    a = world["item"]
    b = PlannedMeasure.objects.create(plan=world["plan"], name="Bollards")
    b.depends_on.set([a])
    base = {"name": "Signage", "status": "planned", "progress": 10, "capital_eur": 0, "yearly_eur": 0,
            "horizon": "short"}
    refused = client.post(reverse("plans:item-edit", args=[a.pk]), base | {"depends_on": [b.pk]})
    assert refused.status_code == 400 and "Signage → Bollards → Signage" in refused.text
    refused = client.post(reverse("plans:item-edit", args=[a.pk]),
                          base | {"start": "2026-05-01", "end": "2026-04-01"})
    assert refused.status_code == 400 and "is before the start" in refused.text
    saved = client.post(reverse("plans:item-edit", args=[b.pk]), base | {
        "name": "Bollards", "depends_on": [a.pk], "start": "2026-03-01", "end": "2026-09-01"}, follow=True)
    assert "before “Signage”, which it depends on, ends (2026-06-30)" in saved.text


def test_recording_a_review_moves_the_next_review_and_removing_works(client, officer, world):
    client.force_login(officer)
    plan = world["plan"]
    ActionPlan.objects.filter(pk=plan.pk).update(next_review=datetime.date(2020, 1, 1))
    assert client.post(reverse("plans:review", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.last_reviewed == datetime.date.today() and plan.next_review == plan.due_review()
    assert client.post(reverse("plans:item-delete", args=[world["item"].pk])).status_code == 302
    assert client.post(reverse("plans:delete", args=[plan.pk])).status_code == 302
    assert not ActionPlan.objects.exists()
