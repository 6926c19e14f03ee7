"""City-wide budget optimisation pages, adding the choice to the plans, and the guided road map."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stoa.catalogue.models import WhatIfOption
from stoa.plans.models import ActionPlan, OptimisationRun, PlannedMeasure
from stoa.plans.optimiser import candidates
from tests import factories
from tests.assessment_samples import make_assessment
from tests.catalogue_samples import load_catalogue

pytestmark = pytest.mark.django_db

BOLLARDS = "urn:stoa:measure:rated-fixed-bollards"
BLOCKERS = "urn:stoa:measure:rated-road-blockers"
PLANTERS = "urn:stoa:measure:reinforced-planters"


def _rate(assessment, ratings):
    for threat, (likelihood, consequence) in ratings.items():
        scenario = assessment.scenarios.get(threat__ref_id=threat)
        scenario.likelihood, scenario.consequence = likelihood, consequence
        scenario.save()


@pytest.fixture
def world():
    load_catalogue()
    org = factories.make_org()
    square, market = factories.make_site(org, name="Square"), factories.make_site(org, name="Market")
    a, b = make_assessment(square), make_assessment(market)
    _rate(a, {"VEHICLE": (5, 5), "IED": (3, 4)})
    _rate(b, {"VEHICLE": (4, 4)})
    options = {
        "square-bollards": WhatIfOption.objects.create(assessment=a, name="Bollards", measures=[BOLLARDS]),
        "square-blockers": WhatIfOption.objects.create(assessment=a, name="Blockers", measures=[BLOCKERS]),
        "market-planters": WhatIfOption.objects.create(assessment=b, name="Planters", measures=[PLANTERS]),
    }
    return {"org": org, "a": a, "b": b, "options": options, "officer": factories.make_user(org),
            "viewer": factories.make_user(org, role="viewer")}


def _run(client, world, budget, **extra):
    client.force_login(world["officer"])
    response = client.post(reverse("plans:optimise"), {"name": "Run", "budget_eur": budget, "mode": "whatif",
                                                      **extra})
    assert response.status_code == 302, response.content.decode()[:2000]
    return OptimisationRun.objects.latest("created_at")


def _what_if_options_of_one_place_are_alternatives_and_the_budget_holds(client, world):
    found, _scenarios = candidates(world["org"], "whatif")
    assert {c.label for c in found} == {"Bollards", "Blockers", "Planters"}
    run = _run(client, world, 10_000_000)
    chosen = [o for o in run.result["options"] if o["chosen"]]
    assert len([o for o in chosen if o["site"] == "Square"]) == 1  # one of the two alternatives
    left_out = [o for o in run.result["options"] if o["site"] == "Square" and not o["chosen"]]
    assert left_out[0]["reason"] == "exclusive" and "“" in left_out[0]["text"]  # names the alternative
    best, greedy = run.result["optimal"], run.result["greedy"]
    assert best["optimal"] and best["risk_removed"] >= greedy["risk_removed"] - 1e-9
    small = _run(client, world, 1)
    assert small.result["optimal"]["chosen"] == [] and small.result["optimal"]["capital_eur"] == 0
    assert all(o["reason"] in ("budget", "exclusive") for o in small.result["options"])
    page = client.get(reverse("plans:optimisation", args=[run.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "greedy choice" in html and 'id="candidates"' in html


def _the_chosen_measures_go_into_the_plans_once(client, world):
    run = _run(client, world, 10_000_000)
    url = reverse("plans:optimisation-to-plans", args=[run.pk])
    assert client.post(url).status_code == 302
    items = list(PlannedMeasure.objects.all())
    assert items and all(i.source == "optimiser" and i.source_ref == str(run.pk) for i in items)
    assert {p.site.name for p in ActionPlan.objects.all()} == {"Square", "Market"}
    vehicle = next(i for i in items if i.plan.site.name == "Market")
    assert list(vehicle.scenarios.values_list("threat__ref_id", flat=True)) == ["VEHICLE"]
    client.post(url)
    assert PlannedMeasure.objects.count() == len(items)


def _nothing_to_optimise_says_why(client, world):
    WhatIfOption.objects.all().delete()
    client.force_login(world["officer"])
    response = client.post(reverse("plans:optimise"), {"name": "Run", "budget_eur": 1000, "mode": "whatif"})
    assert response.status_code == 400
    assert "save what-if options on your assessments first" in response.content.decode()
    assert not OptimisationRun.objects.exists()
    bad = client.post(reverse("plans:optimise"), {"name": "Run", "budget_eur": -5, "mode": "whatif"})
    assert bad.status_code == 400 and not OptimisationRun.objects.exists()


def _catalogue_mode_offers_every_measure_acting_on_a_rated_scenario(world):
    found, _scenarios = candidates(world["org"], "catalogue")
    keys = {c.measures[0] for c in found}
    assert BOLLARDS in keys and len(found) > 10
    assert all(c.effects for c in found)


def _roles_and_need_to_know(client, world):
    run = _run(client, world, 10_000_000)
    client.force_login(world["viewer"])
    assert client.get(reverse("plans:optimisation", args=[run.pk])).status_code == 200
    assert client.post(reverse("plans:optimise"), {"name": "x", "budget_eur": 1, "mode": "whatif"}).status_code == 403
    assert client.post(reverse("plans:optimisation-to-plans", args=[run.pk])).status_code == 403
    outsider = factories.make_user(factories.make_org())
    client.force_login(outsider)
    for url in (reverse("plans:optimisation", args=[run.pk]), reverse("plans:optimisation-to-plans", args=[run.pk])):
        response = client.post(url) if url.endswith("/plans/") else client.get(url)
        assert response.status_code == 404, url
    assert str(run.pk) not in client.get(reverse("plans:optimise")).content.decode()
    roadmap = client.get(reverse("plans:roadmap")).content.decode()
    assert "Square" not in roadmap


def _the_road_map_reads_each_step_from_the_records(client, world):
    client.force_login(world["officer"])
    page = client.get(reverse("plans:roadmap"))
    assert page.status_code == 200
    roads = {r.site.name: r for r in page.context["roads"]}
    square = roads["Square"]
    states = [s.state for s in square.steps]
    assert states[1] == "started"  # a draft assessment
    assert states[3] == "done"  # what-if options saved
    assert states[5] == "todo"  # no plan yet
    assert square.next_url
    factories.make_site(world["org"], name="Empty lot")
    empty = {r.site.name: r for r in client.get(reverse("plans:roadmap")).context["roads"]}["Empty lot"]
    assert [s.state for s in empty.steps][1:] == ["todo"] * 5
    assert empty.next_action == "Add the crowd figures of the public space"


def _the_api_runs_reads_and_plans(client, world):
    PlannedMeasure.objects.all().delete()
    client.force_login(world["officer"])
    response = client.post("/api/v1/optimisations/", {"name": "API run", "budget_eur": 10_000_000},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    run = response.json()
    assert run["result"]["optimal"]["optimal"] is True and run["result"]["pareto"]
    assert client.get(f"/api/v1/optimisations/{run['id']}/").status_code == 200
    added = client.post(f"/api/v1/optimisations/{run['id']}/plans/")
    assert added.status_code == 200 and added.json()["added"] > 0
    assert client.post(f"/api/v1/optimisations/{run['id']}/plans/").json()["added"] == 0
    bad = client.post("/api/v1/optimisations/", {"name": "x", "budget_eur": 5, "sites": [str(world["org"].pk)]},
                      content_type="application/json")
    assert bad.status_code == 400 and "No such public space" in bad.content.decode()
    client.force_login(world["viewer"])
    assert client.post("/api/v1/optimisations/", {"name": "x", "budget_eur": 5},
                       content_type="application/json").status_code == 403
    assert client.post(f"/api/v1/optimisations/{run['id']}/plans/").status_code == 403
    client.force_login(factories.make_user(factories.make_org()))
    assert client.get(f"/api/v1/optimisations/{run['id']}/").status_code == 404
    assert client.post(f"/api/v1/optimisations/{run['id']}/plans/").status_code == 404
    assert run["id"] not in client.get("/api/v1/optimisations/").content.decode()


# One world per group of checks: loading the catalogue and the question bank dominates each test's time.

def test_a_run_is_optimal_explained_and_goes_into_the_plans_once(client, world):
    _what_if_options_of_one_place_are_alternatives_and_the_budget_holds(client, world)
    _the_chosen_measures_go_into_the_plans_once(client, world)
    _the_api_runs_reads_and_plans(client, world)


def test_bad_or_empty_inputs_and_the_catalogue_mode(client, world):
    _catalogue_mode_offers_every_measure_acting_on_a_rated_scenario(world)
    _nothing_to_optimise_says_why(client, world)


def test_roles_need_to_know_and_the_road_map(client, world):
    _the_road_map_reads_each_step_from_the_records(client, world)
    _roles_and_need_to_know(client, world)
