"""Case pages: a case is written from a finished plan (prefilled), the library filters by category and threat,
a case's page shows its measures, costs, risk profile (chart and table) and distribution, and the benchmark
shows no figures for a threat type with fewer than three cases and never names a case."""

from __future__ import annotations

import re
from typing import Any

import pytest

from stoa.cases.benchmark import MIN_CASES, benchmark
from stoa.cases.models import CaseStudy, Distribution
from stoa.plans.models import PlanStatus
from tests import factories
from tests.case_samples import make_case, make_finished_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_finished_plan_prefills_the_case_and_the_author_writes_the_rest(client: Any, officer: Any,
                                                                          org: Any) -> None:
    plan = make_finished_plan(org)
    draft = make_finished_plan(org, site_name="Quai des Brumes", status=PlanStatus.ADOPTED)
    client.force_login(officer)
    library = client.get("/cases/").content.decode()
    assert str(plan.pk) in library and str(draft.pk) not in library  # only finished plans are offered
    assert client.get(f"/cases/new/?plan={draft.pk}").status_code == 409
    page = client.get(f"/cases/new/?plan={plan.pk}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "2 measures, 50,000 € capital and 1,000 € a year." in text and "Risk profile of 3 threat types" in text
    assert re.search(r'value="Square: Vehicle ramming attack"', text)
    vehicle = plan.assessment.scenarios.get(threat__ref_id="VEHICLE").threat
    bad = client.post("/cases/new/", {"plan": plan.pk, "title": "x", "threats": [vehicle.pk], "outcome": "",
                                      "lessons": "", "distribution": "AMBER", "include_geometry": "on"})
    assert bad.status_code == 400 and "A boundary shows exactly where the place is" in bad.content.decode()
    assert not CaseStudy.objects.exists()
    response = client.post("/cases/new/", {
        "plan": plan.pk, "title": "Bollards on a market square", "threats": [vehicle.pk], "outcome": "It worked.",
        "lessons": "Start early.", "distribution": "GREEN", "include_names": "on"})
    case = CaseStudy.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.source_plan == plan and case.organisation == org and case.created_by == officer
    assert case.threat_ids == ["VEHICLE"] and case.capital_eur == 50_000 and case.yearly_eur == 1_000
    assert {r["threat"]: (r["before"], r["after"]) for r in case.risk_profile} == {
        "VEHICLE": (16, 4.8), "FIREARMS": (12, 12.0), "IED": (10, 10.0)}
    assert case.include_names and not case.include_geometry and case.distribution == Distribution.GREEN
    detail = client.get(f"/cases/{case.pk}/").content.decode()
    for words in ("Bollards at the Grand-Place entrances", "Cancelled", "50,000 € capital, 1,000 € a year",
                  "TLP:GREEN", "peers and partners", "Risk profile as a table", "<svg", 'role="img"',
                  "Vehicle ramming attack: Before 16, After 4.8", "Download the case bundle"):
        assert words in detail, words
    firearms = plan.assessment.scenarios.get(threat__ref_id="FIREARMS").threat
    edited = client.post(f"/cases/{case.pk}/edit/", {"title": "Bollards", "threats": [vehicle.pk, firearms.pk],
                                                     "outcome": "ok", "lessons": "ok", "distribution": "RED"})
    assert edited.status_code == 302 and sorted(case.threat_ids) == ["FIREARMS", "VEHICLE"]
    red = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Stoa does not export it as a file" in red and "Download the case bundle" not in red
    assert client.post(f"/cases/{case.pk}/export/", follow=True).redirect_chain  # refused with a message


def test_the_library_filters_by_category_and_threat_and_origin(client: Any, officer: Any, org: Any) -> None:
    square = make_case(make_finished_plan(org))
    station_site = make_finished_plan(org, site_name="Gare", ratings={"IED": (4, 5)})
    station_site.site.category = factories.category("TRANSPORT_HUB")
    station_site.site.save()
    station = make_case(station_site, title="A station")
    station.threats.set(station_site.assessment.scenarios.filter(threat__ref_id="IED").values_list("threat",
                                                                                                  flat=True))
    client.force_login(officer)

    def titles(query: str) -> set[str]:
        text = client.get(f"/cases/?{query}").content.decode()
        return {c.title for c in (square, station) if c.title in text}

    assert titles("") == {square.title, station.title}
    assert titles("category=TRANSPORT_HUB") == {station.title}
    assert titles("threat=VEHICLE") == {square.title}
    assert titles("threat=IED&category=SQUARE") == set()
    assert titles("origin=imported") == set()
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(officer)
    listed = api.get("/api/v1/cases/?threat=IED").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["title"] for r in rows] == ["A station"] and rows[0]["category"] == "TRANSPORT_HUB"


def test_the_benchmark_hides_figures_below_the_minimum_and_names_no_case(client: Any, officer: Any,
                                                                         org: Any) -> None:
    assert MIN_CASES == 3
    place = make_finished_plan(org, site_name="Place du Marché", ratings={"VEHICLE": (5, 5), "IED": (3, 3)})
    cases = [make_case(make_finished_plan(org, site_name=f"Square {n}", ratings={"VEHICLE": (n + 2, 4), "IED": (2, n)}),
                       title=f"Secret case {n}") for n in range(1, 4)]
    result = benchmark(place.site, officer)
    rows = {r.threat.ref_id: r for r in result.rows}
    assert result.cases == 3 and result.assessment == place.assessment
    vehicle, ied = rows["VEHICLE"], rows["IED"]
    assert vehicle.current == 25 and vehicle.cases == 3 and vehicle.shown
    assert (vehicle.before.low, vehicle.before.median, vehicle.before.high) == (12, 16.0, 20)
    assert vehicle.after is not None and vehicle.after.high < 20  # the bollards lowered it
    assert ied.current == 9 and ied.cases == 3 and (ied.after.low, ied.after.median, ied.after.high) == (2, 4, 6)
    assert rows["FIREARMS"].cases == 0 and not rows["FIREARMS"].shown
    CaseStudy.objects.filter(pk=cases[0].pk).delete()
    ied = {r.threat.ref_id: r for r in benchmark(place.site, officer).rows}["IED"]
    assert ied.cases == 2 and not ied.shown and ied.before is None and ied.after is None
    client.force_login(officer)
    text = client.get(f"/cases/benchmark/{place.site.pk}/").content.decode()
    assert "too few cases (fewer than 3)" in text and "2 cases: too few to show" in text
    assert "Secret case" not in text and "Square 2" not in text
    assert 'role="img"' in text and "<caption>" in text
    assert f"/cases/benchmark/{place.site.pk}/" in client.get(f"/sites/{place.site.pk}/").content.decode()
