"""Every main page makes a bounded number of SQL queries: as many for a city of eight public spaces
as for a city of two (no query per site, per assessment, per plan...).

Each city has the same records per public space: zones, access points, crowd figures and an event,
a rated assessment with an objective and its requirement, a what-if option, an evaluation with a
decision, an RFI, a plan with measures, a case study from it and a report job, plus one street
network per site. The larger city also has more of the parts inside each space (zones, access
points, plan measures), so a page about one space may not grow with its parts either.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stoa.assessments.models import Objective, Requirement, Scenario
from stoa.assessments.services import create_assessment
from stoa.catalogue.models import WhatIfOption
from stoa.engineering.models import StreetNetwork
from stoa.plans.models import ActionPlan, PlannedMeasure, PlanStatus
from stoa.reports.models import ReportJob
from tests import factories
from tests.assessment_samples import load_assessment_libraries
from tests.case_samples import make_case
from tests.evaluation_samples import make_evaluation, make_rfi, score_panel
from tests.plan_samples import BOLLARDS, GUARDS, make_decision, make_measures

pytestmark = pytest.mark.django_db

SMALL, LARGE = 2, 8


@pytest.fixture(autouse=True)
def _fast(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def _add_site(org: Any, user: Any, n: int, parts: int) -> dict[str, Any]:
    site = factories.make_site(org, name=f"Square {n:02d}")
    for i in range(parts):
        factories.make_zone(site, name=f"Zone {i}")
        factories.make_access_point(site, name=f"Entrance {i}")
    factories.make_crowd_slot(site)
    factories.make_event(site)
    assessment = create_assessment(site)
    Scenario.objects.filter(assessment=assessment, threat__ref_id="VEHICLE").update(likelihood=4, consequence=5)
    Scenario.objects.filter(assessment=assessment, threat__ref_id="FIREARMS").update(likelihood=3, consequence=4)
    objective = Objective.objects.create(assessment=assessment, title="Keep vehicles out")
    objective.scenarios.set(assessment.scenarios.filter(threat__ref_id="VEHICLE"))
    Requirement.objects.create(assessment=assessment, objective=objective, text="Stops a 7.5 t truck")
    WhatIfOption.objects.create(assessment=assessment, name="Barriers and guards", measures=[BOLLARDS, GUARDS])
    decision = make_decision(assessment)
    make_rfi(assessment, evaluation=decision.evaluation, title=f"Barriers for square {n}")
    live = make_evaluation(assessment, title=f"Entrances of square {n}")
    scores = {"EFFECT": 4, "CAPITAL": 90_000, "PRIVACY": 3}
    score_panel(live, {f"Expert {e}": {f"Option {a}": scores for a in range(parts + 1)} for e in range(parts)})
    plan = ActionPlan.objects.create(site=site, assessment=assessment, title=f"Plan for square {n}",
                                     status=PlanStatus.FINISHED, next_review=datetime.date(2020, 1, 1))
    vehicle = assessment.scenarios.filter(threat__ref_id="VEHICLE")
    for i in range(parts):
        item = PlannedMeasure.objects.create(
            plan=plan, name=f"Bollards {i}", catalogue_key=BOLLARDS, owner="Works", capital_eur=40_000,
            yearly_eur=1_000, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 6, 30), progress=50)
        item.scenarios.set(vehicle)
    make_case(plan, user)
    ReportJob.objects.create(organisation=org, kind="action_plan", format="pdf", plan=plan, created_by=user)
    StreetNetwork.objects.create(organisation=org, name=f"Streets {n}", source_format="geojson", data={},
                                 bbox=[4.3, 50.8, 4.4, 50.9])
    return {"site": site, "assessment": assessment, "plan": plan, "evaluation": live}


def make_city(org: Any, user: Any, sites: int) -> dict[str, Any]:
    """SITES public spaces; the larger the city, the more parts in each space too."""
    parts = 1 if sites <= SMALL else 3
    worlds = [_add_site(org, user, n, parts) for n in range(sites)]
    return worlds[0]


@pytest.fixture(scope="module")
def cities(django_db_setup, django_db_blocker) -> Any:
    """Both cities, built once for the module inside a transaction that is rolled back at its end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_assessment_libraries()
            make_measures()
            built = {}
            for size in (SMALL, LARGE):
                org = factories.make_org(name=f"City of {size}", slug=f"city-of-{size}")
                user = factories.make_user(org, "admin", username=f"admin-of-{size}")
                built[size] = (user, make_city(org, user, size))
            yield built
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[dict[str, Any]], str]

    def __str__(self) -> str:
        return self.name


PAGES = [
    Page("home", lambda w: reverse("home")),
    Page("inventory-list-and-map", lambda w: reverse("sites:list")),
    Page("site-detail", lambda w: reverse("sites:detail", args=[w["site"].pk])),
    Page("assessments-list", lambda w: reverse("assessments:list")),
    Page("assessment-results", lambda w: reverse("assessments:results", args=[w["assessment"].pk])),
    Page("city-risk", lambda w: reverse("assessments:city")),
    Page("catalogue-list", lambda w: reverse("catalogue:list")),
    Page("evaluations-list", lambda w: reverse("evaluation:list")),
    Page("evaluation", lambda w: reverse("evaluation:detail", args=[w["evaluation"].pk])),
    Page("rfi-list", lambda w: reverse("procurement:list")),
    Page("plans-city-overview", lambda w: reverse("plans:overview")),
    Page("plan", lambda w: reverse("plans:detail", args=[w["plan"].pk])),
    Page("roadmap", lambda w: reverse("plans:roadmap")),
    Page("reports-list", lambda w: reverse("reports:list")),
    Page("case-library", lambda w: reverse("cases:list")),
    Page("engineering-networks", lambda w: reverse("engineering:networks")),
]


def _shape(sql: str) -> str:
    """SQL without its literals, so the same query about another row reads the same."""
    return re.sub(r"IN \([^)]*\)", "IN (...)", re.sub(r"'[^']*'|\b\d+\b", "?", sql))


def count_queries(client: Any, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), [_shape(q["sql"]) for q in captured.captured_queries]


def _measure(client: Any, city: tuple[Any, dict[str, Any]], page: Page) -> tuple[int, list[str]]:
    user, world = city
    client.force_login(user)
    url = page.url(world)
    client.get(url)  # warm the caches that hold for the process (shipped libraries, content types)
    return count_queries(client, url)


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_queries_do_not_grow_with_the_city(client, cities, page):
    small, small_sql = _measure(client, cities[SMALL], page)
    client.logout()
    large, large_sql = _measure(client, cities[LARGE], page)
    extra = [f"{large_sql.count(sql)}× {sql[:300]}" for sql in dict.fromkeys(large_sql)
             if large_sql.count(sql) != small_sql.count(sql)]
    assert large == small, f"{page.name}: {small} queries for {SMALL} sites, {large} for {LARGE}:\n" + "\n".join(extra)


def _refresh_queries(assessment: Any) -> int:
    from stoa.assessments.proposals import refresh_proposals

    # An impossible proposal on every scenario, so each one is rewritten and the writes are counted too.
    Scenario.objects.filter(assessment=assessment).update(proposed_likelihood=99, proposed_consequence=99)
    with CaptureQueriesContext(connection) as captured:
        refresh_proposals(assessment)
    assert not Scenario.objects.filter(assessment=assessment, proposed_likelihood=99).exists()
    return len(captured)


def test_refreshing_proposals_does_not_query_per_scenario(cities):
    _user, world = cities[LARGE]
    assessment = world["assessment"]
    all_scenarios = _refresh_queries(assessment)
    keep = list(assessment.scenarios.order_by("threat__ref_id").values_list("pk", flat=True)[:2])
    assert assessment.scenarios.count() > len(keep) + 2
    with transaction.atomic():
        assessment.scenarios.exclude(pk__in=keep).delete()
        assert _refresh_queries(assessment) == all_scenarios
        transaction.set_rollback(True)
