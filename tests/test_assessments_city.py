"""The city heat map (every visible public space × threat types, latest assessment) and the results radar."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from stoa.assessments.models import Assessment
from tests import factories
from tests.assessment_samples import make_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def rate(assessment: Assessment, threat: str, likelihood: int, consequence: int) -> None:
    scenario = assessment.scenarios.get(threat__ref_id=threat)
    scenario.likelihood, scenario.consequence = likelihood, consequence
    scenario.save()


@pytest.fixture
def world(org, other_org) -> dict[str, Any]:
    market = factories.make_site(org, name="Market Square")
    old = make_assessment(market, date=datetime.date(2025, 3, 1))
    rate(old, "VEHICLE", 5, 5)
    Assessment.objects.filter(pk=old.pk).update(status="signed_off")
    new = make_assessment(market, date=datetime.date(2026, 3, 1))
    rate(new, "VEHICLE", 1, 2)
    chemical = new.scenarios.get(threat__ref_id="CHEMICAL")
    chemical.not_applicable, chemical.not_applicable_reason = True, "Open air, no ventilation system."
    chemical.save()
    station = factories.make_site(org, name="Station Forecourt")
    shared = factories.make_site(other_org, name="Shared Promenade")
    factories.share(shared, org, "read")
    rate(make_assessment(shared, date=datetime.date(2026, 1, 1)), "IED", 4, 4)
    hidden = factories.make_site(other_org, name="Hidden Harbour")
    rate(make_assessment(hidden), "IED", 5, 5)
    return {"market": market, "old": old, "new": new, "station": station, "shared": shared}


def rows_of(client: Any, **params: str) -> dict[str, dict[str, Any]]:
    response = client.get(reverse("assessments:city"), params)
    assert response.status_code == 200
    return {row["site"].name: row for row in response.context["rows"]}


def cell(row: dict[str, Any], threat: str) -> dict[str, Any]:
    return next(c for c in row["cells"] if c["threat"].ref_id == threat)


def test_every_visible_space_is_a_row_with_its_latest_assessment(client, world, org):
    client.force_login(factories.make_user(org, "viewer"))
    rows = rows_of(client)
    assert list(rows) == ["Market Square", "Shared Promenade", "Station Forecourt"]  # not the hidden one
    assert rows["Market Square"]["assessment"] == world["new"]  # the 2026 one, not the signed-off 2025 one
    assert rows["Station Forecourt"]["assessment"] is None
    market = rows["Market Square"]
    assert [c["threat"].ref_id for c in market["cells"]][:3] == ["FIREARMS", "SHARP_OBJECT", "VEHICLE"]
    assert len(market["cells"]) == 10
    assert (cell(market, "VEHICLE")["state"], cell(market, "VEHICLE")["text"]) == ("rated", "Low")
    assert cell(market, "CHEMICAL")["state"] == "not_applicable"
    assert cell(market, "IED")["state"] == "unrated"
    assert cell(rows["Shared Promenade"], "IED")["text"] == "High"


def test_the_table_prints_level_names_not_colour_alone(client, world, org):
    client.force_login(factories.make_user(org, "viewer"))
    html = client.get(reverse("assessments:city")).content.decode()
    assert '<td class="risk-low"' in html and ">Low</td>" in html
    assert "Hidden Harbour" not in html and "Not assessed yet" in html and "not rated" in html and "n/a" in html
    assert reverse("assessments:results", args=[world["new"].pk]) in html


def test_only_signed_off_assessments_on_request(client, world, org):
    client.force_login(factories.make_user(org, "viewer"))
    rows = rows_of(client, signed_off="1")
    assert rows["Market Square"]["assessment"] == world["old"]
    assert cell(rows["Market Square"], "VEHICLE")["text"] == "Very high"
    assert rows["Shared Promenade"]["assessment"] is None


def test_an_outsider_sees_nothing_and_the_lists_link_the_city_view(client, world, org):
    client.force_login(factories.make_user(factories.make_org(name="Nowhere"), "viewer"))
    assert rows_of(client) == {}
    client.force_login(factories.make_user(org, "viewer"))
    assert reverse("assessments:city") in client.get(reverse("assessments:list")).content.decode()
    assert reverse("assessments:city") in client.get("/").content.decode()


def test_the_results_page_draws_the_radar_and_its_data_table(client, world, org):
    client.force_login(factories.make_user(org, "viewer"))
    response = client.get(reverse("assessments:results", args=[world["new"].pk]))
    html = response.content.decode()
    assert html.count('role="img"') >= 1 and "<title id=\"radar-" in html
    exposure = {row["threat"].ref_id: (row["value"], row["status"], row["text"])
                for row in response.context["exposure"]}
    assert exposure["VEHICLE"] == (1, "rated", "Low")
    assert exposure["CHEMICAL"] == (0, "not_applicable", "not applicable")
    assert exposure["IED"] == (0, "unrated", "not rated yet")
    assert 'id="exposure-table"' in html and "1 / 4" in html


def test_the_matrix_fingerprint_follows_any_write_and_a_list_reads_each_copy_once(org, django_assert_num_queries):
    from stoa.assessments import matrix_copies

    first = make_assessment(factories.make_site(org, name="One"))
    second = make_assessment(factories.make_site(org, name="Two"))
    third = make_assessment(factories.make_site(org, name="Three"))
    changed = {**first.risk_matrix, "name": "Another matrix"}
    Assessment.objects.filter(pk=first.pk).update(risk_matrix=changed)  # a bulk write, no save()
    rows = list(matrix_copies.without_copies(Assessment.objects.filter(pk__in=[first.pk, second.pk, third.pk])))
    assert rows[0].risk_matrix_key and len({a.risk_matrix_key for a in rows}) == 2
    with django_assert_num_queries(1):  # the two distinct copies, together
        matrix_copies.share_copies(rows)
    by_pk = {a.pk: a for a in rows}
    assert by_pk[first.pk].risk_matrix["name"] == "Another matrix"
    assert by_pk[second.pk].risk_matrix == by_pk[third.pk].risk_matrix == second.risk_matrix
