"""The whole-city assessment pages come a page at a time: the city heat map and the assessment list.

The heat map's city-wide figures (spaces, spaces assessed) are counted in SQL over every space,
not over the shown page, and never count another organisation's spaces.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from stoa.accounts.roles import Action
from stoa.assessments.models import Assessment
from stoa.sites.models import Site
from stoa.web.paging import PER_PAGE
from tests import factories
from tests.assessment_samples import make_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def city(org, other_org) -> dict[str, Any]:
    """PER_PAGE + 5 spaces of ORG (names sort by number), some assessed, and two of another organisation."""
    sites = [factories.make_site(org, name=f"Space {n:03d}") for n in range(PER_PAGE + 5)]
    signed = make_assessment(sites[1], date=datetime.date(2025, 1, 1))
    Assessment.objects.filter(pk=signed.pk).update(status="signed_off")
    make_assessment(sites[1], date=datetime.date(2026, 1, 1))  # the latest, a draft
    last = make_assessment(sites[-1], date=datetime.date(2026, 2, 1))  # on the second page
    Assessment.objects.filter(pk=last.pk).update(status="signed_off")
    make_assessment(sites[-2])
    hidden = factories.make_site(other_org, name="Space 000 elsewhere")
    make_assessment(hidden)
    factories.make_site(other_org, name="Space 001 elsewhere")
    return {"sites": sites, "signed": signed, "last": last}


def _python_totals(user: Any, signed_off_only: bool) -> tuple[int, int]:
    """The figures as the page computed them before it was paginated: every row loaded in Python."""
    assessments = Assessment.objects.for_user(user, Action.VIEW)
    if signed_off_only:
        assessments = assessments.filter(status="signed_off")
    assessed_sites = {a.site_id for a in assessments}
    sites = list(Site.objects.for_user(user, Action.VIEW))
    return len(sites), sum(1 for s in sites if s.pk in assessed_sites)


@pytest.mark.parametrize("signed_off", [False, True])
def test_the_heat_map_counts_the_whole_city_but_shows_a_page(client, city, org, signed_off):
    user = factories.make_user(org, "viewer")
    client.force_login(user)
    response = client.get(reverse("assessments:city"), {"signed_off": "1"} if signed_off else {})
    rows = response.context["rows"]
    assert len(rows) == PER_PAGE
    assert [r["site"].name for r in rows] == [s.name for s in city["sites"][:PER_PAGE]]
    assert (response.context["total"], response.context["assessed"]) == _python_totals(user, signed_off)
    assert (response.context["total"], response.context["assessed"]) == (PER_PAGE + 5, 2 if signed_off else 3)
    html = response.content.decode()
    assert f"{PER_PAGE + 5} public spaces you may see" in html and "elsewhere" not in html


def test_the_next_page_keeps_the_signed_off_filter(client, city, org):
    client.force_login(factories.make_user(org, "viewer"))
    first = client.get(reverse("assessments:city"), {"signed_off": "1"})
    html = first.content.decode()
    assert "?signed_off=1&amp;page=2" in html
    second = client.get(reverse("assessments:city"), {"signed_off": "1", "page": "2"})
    rows = {r["site"].name: r for r in second.context["rows"]}
    assert list(rows) == [s.name for s in city["sites"][PER_PAGE:]]
    assert rows[city["sites"][-1].name]["assessment"] == city["last"]
    assert rows[city["sites"][-2].name]["assessment"] is None  # a draft: not signed off
    assert second.context["assessed"] == 2  # still city-wide on the second page
    assert first.context["rows"][1]["assessment"] == city["signed"]  # the signed-off one, not the newer draft


def test_the_heat_map_loads_only_the_shown_page(client, city, org, django_assert_max_num_queries):
    client.force_login(factories.make_user(org, "viewer"))
    client.get(reverse("assessments:city"))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("assessments:city"), {"page": "2"})
    assert [r["site"].name for r in response.context["rows"]] == [s.name for s in city["sites"][PER_PAGE:]]


def test_the_assessment_list_is_paginated_newest_first(client, org, other_org):
    site = factories.make_site(org, name="Market Square")
    first = make_assessment(site, date=datetime.date(2020, 1, 1))
    Assessment.objects.bulk_create([
        Assessment(site=site, organisation=org, date=datetime.date(2021, 1, 1) + datetime.timedelta(days=n),
                   risk_matrix=first.risk_matrix) for n in range(PER_PAGE)])
    make_assessment(factories.make_site(other_org, name="Elsewhere"))
    client.force_login(factories.make_user(org, "viewer"))
    page1 = client.get(reverse("assessments:list"))
    listed = page1.context["assessments"]
    assert len(listed) == PER_PAGE
    assert listed[0].date == datetime.date(2021, 1, 1) + datetime.timedelta(days=PER_PAGE - 1)
    assert first not in listed and "page=2" in page1.content.decode()
    page2 = client.get(reverse("assessments:list"), {"page": "2"})
    assert list(page2.context["assessments"]) == [first]  # the oldest, and nothing of the other organisation
    assert page2.context["page"].paginator.count == PER_PAGE + 1
    assert "Market Square" in page2.content.decode()
