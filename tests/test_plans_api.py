"""The action-plan API: the pages' rules (cycles, dates, other plans' items, scenarios of the plan's
assessment) with 400 and the reason; need-to-know through ``for_user``: an outsider gets 404 on
every endpoint, a viewer 403 on every change."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from stoa.plans.models import ActionPlan, PlannedMeasure
from tests import factories
from tests.plan_samples import BOLLARDS, make_plan_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org: Any) -> dict[str, Any]:
    return make_plan_world(org)


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_plans_and_their_measures_through_the_api_with_the_pages_rules(world, officer, org):
    api = client_for(officer)
    site, assessment = world["site"], world["assessment"]
    other = make_plan_world(org, "Station")
    body = {"site": str(site.pk), "title": "Second", "review_every_months": 6}
    refused = api.post("/api/v1/plans/", body | {"assessment": str(other["assessment"].pk)}, format="json")
    assert refused.status_code == 400 and "assessment" in refused.json()["errors"]
    created = api.post("/api/v1/plans/", body | {"assessment": str(assessment.pk)}, format="json")
    assert created.status_code == 201, created.content
    plan_id = created.json()["id"]
    assert ActionPlan.objects.get(pk=plan_id).next_review is not None
    listed = api.get(f"/api/v1/plans/?site={site.pk}").json()
    assert {p["title"] for p in listed["results"]} == {"Plan for Market Square", "Second"}

    url = f"/api/v1/plans/{plan_id}/measures/"
    a = api.post(url, {"name": "Bollards", "catalogue_key": BOLLARDS, "start": "2026-01-01", "end": "2026-06-30",
                       "scenarios": [str(assessment.scenarios.get(threat__ref_id="VEHICLE").pk)]}, format="json")
    assert a.status_code == 201, a.content
    b = api.post(url, {"name": "Planters", "depends_on": [a.json()["id"]], "start": "2026-03-01"}, format="json")
    assert b.status_code == 201 and b.json()["warnings"] == [
        "“Planters” starts on 2026-03-01, before “Bollards”, which it depends on, ends (2026-06-30)."]
    one = f"/api/v1/plan-measures/{a.json()['id']}/"
    cycle = api.patch(one, {"depends_on": [b.json()["id"]]}, format="json")
    assert cycle.status_code == 400 and "Bollards → Planters → Bollards" in str(cycle.json()["errors"]["depends_on"])
    dates = api.patch(one, {"end": "2025-01-01"}, format="json")
    assert dates.status_code == 400 and "is before the start" in str(dates.json()["errors"]["end"])
    foreign = api.patch(one, {"depends_on": [str(world["item"].pk)]}, format="json")
    assert foreign.status_code == 400 and "in another plan" in str(foreign.json()["errors"])
    scenario = api.patch(one, {"scenarios": [str(other["assessment"].scenarios.first().pk)]}, format="json")
    assert scenario.status_code == 400 and "scenarios" in scenario.json()["errors"]
    done = api.patch(one, {"status": "done"}, format="json")
    assert done.status_code == 200 and done.json()["progress"] == 100
    assert api.get(f"/api/v1/plans/{plan_id}/").json()["progress"] == 50

    residual = api.get(f"/api/v1/plans/{plan_id}/residual/").json()
    assert residual["residual_total"] < residual["current_total"] == 32
    vehicle = next(s for s in residual["scenarios"] if s["threat"] == "VEHICLE")
    assert vehicle["lowered"] and vehicle["measures"] == [BOLLARDS]
    assert residual["without_effect"] == [b.json()["id"]]
    assert api.delete(one).status_code == 204 and api.delete(f"/api/v1/plans/{plan_id}/").status_code == 204


def test_outsiders_get_404_everywhere_and_viewers_403_on_every_change(world, viewer, outsider):
    plan, item, site, assessment = world["plan"], world["item"], world["site"], world["assessment"]
    reads = [f"/api/v1/plans/{plan.pk}/", f"/api/v1/plans/{plan.pk}/measures/", f"/api/v1/plans/{plan.pk}/residual/",
             f"/api/v1/plan-measures/{item.pk}/"]
    changes = [("patch", f"/api/v1/plans/{plan.pk}/", {"title": "X"}), ("delete", f"/api/v1/plans/{plan.pk}/", None),
               ("post", f"/api/v1/plans/{plan.pk}/measures/", {"name": "X"}),
               ("patch", f"/api/v1/plan-measures/{item.pk}/", {"name": "X"}),
               ("put", f"/api/v1/plan-measures/{item.pk}/", {"name": "X"}),
               ("delete", f"/api/v1/plan-measures/{item.pk}/", None)]
    create = {"site": str(site.pk), "assessment": str(assessment.pk), "title": "X"}
    as_outsider, as_viewer = client_for(outsider), client_for(viewer)
    wrong = [(url, s) for url in reads if (s := as_outsider.get(url).status_code) != 404]
    wrong += [(url, s) for m, url, d in changes if (s := getattr(as_outsider, m)(url, d, format="json").status_code)
              != 404]
    assert as_outsider.get("/api/v1/plans/").json()["results"] == []
    assert as_outsider.post("/api/v1/plans/", create, format="json").status_code == 400  # no such site
    wrong += [(url, s) for url in reads if (s := as_viewer.get(url).status_code) != 200]
    wrong += [(url, s) for m, url, d in changes if (s := getattr(as_viewer, m)(url, d, format="json").status_code)
              != 403]
    assert as_viewer.post("/api/v1/plans/", create, format="json").status_code == 403
    assert wrong == []
    assert ActionPlan.objects.get().title == "Plan for Market Square" and PlannedMeasure.objects.get().name == "Signage"


def test_a_share_for_editing_lets_the_partner_change_items_but_not_remove_the_plan(world, other_org):
    factories.share(world["site"], other_org, "edit")
    partner = client_for(factories.make_user(other_org, "security_officer"))
    item_url = f"/api/v1/plan-measures/{world['item'].pk}/"
    assert partner.patch(item_url, {"progress": 80}, format="json").status_code == 200
    assert partner.delete(f"/api/v1/plans/{world['plan'].pk}/").status_code == 403
