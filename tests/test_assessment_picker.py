"""The evaluation and RFI lists offer the assessments to start from in one select while there are
few; with more (a city has thousands) they ask for the public space's name first and offer only
the matching assessments, never another organisation's."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from stoa.assessments import picker
from stoa.assessments.models import Assessment
from tests import factories

pytestmark = pytest.mark.django_db

LISTS = [("evaluation:list", "new-assessment"), ("procurement:list", "rfi-assessment")]


def _assess(org: Any, name: str) -> Assessment:
    site = factories.make_site(org, name=name)
    return Assessment.objects.create(site=site, organisation=org, date=datetime.date(2026, 3, 1))


@pytest.fixture
def few(monkeypatch: Any) -> None:
    monkeypatch.setattr(picker, "LIMIT", 3)


@pytest.mark.parametrize(("url", "select"), LISTS)
def test_few_assessments_are_offered_in_one_select(client: Any, org: Any, officer: Any, url: str, select: str,
                                                   few: None) -> None:
    ours = [_assess(org, f"Square {n}") for n in range(3)]
    client.force_login(officer)
    html = client.get(reverse(url)).content.decode()
    assert f'id="{select}"' in html and 'role="search"' not in html
    assert all(str(a.pk) in html for a in ours)


@pytest.mark.parametrize(("url", "select"), LISTS)
def test_many_assessments_are_found_by_the_public_space_name(client: Any, org: Any, other_org: Any, officer: Any,
                                                             url: str, select: str, few: None) -> None:
    market = _assess(org, "Market Square")
    old_market = Assessment.objects.create(site=market.site, organisation=org, date=datetime.date(2025, 3, 1))
    others = [_assess(org, f"Station {n}") for n in range(3)]
    theirs = _assess(other_org, "Market Hall")
    factories.share(theirs.site, org, access="edit")
    client.force_login(officer)

    first = client.get(reverse(url)).content.decode()
    assert 'role="search"' in first and f'id="{select}-space"' in first
    assert f'id="{select}"' not in first  # no select of every assessment
    assert not any(str(a.pk) in first for a in [market, *others])

    found = client.get(reverse(url), {picker.PARAM: " market  "}).content.decode()
    assert f'id="{select}"' in found and 'value="market"' in found
    assert str(market.pk) in found and str(old_market.pk) in found
    assert found.index(str(market.pk)) < found.index(str(old_market.pk))  # the latest first
    assert not any(str(a.pk) in found for a in others)
    if url == "procurement:list":  # only the assessment's own organisation asks the market about it
        assert str(theirs.pk) not in found

    none = client.get(reverse(url), {picker.PARAM: "harbour"}).content.decode()
    assert "No assessment matches this name." in none and f'id="{select}"' not in none

    many = client.get(reverse(url), {picker.PARAM: "station"}).content.decode()
    assert "Only the first 3 matches are listed" not in many  # exactly the limit is not truncated
    _assess(org, "Station 9")
    more = client.get(reverse(url), {picker.PARAM: "station"}).content.decode()
    offered = more[more.index(f'id="{select}"'):]
    assert offered[:offered.index("</select>")].count("<option") == 3 and "Only the first 3 matches are listed" in more


def test_an_outsider_is_never_offered_the_city_s_assessments(client: Any, org: Any, outsider: Any,
                                                              few: None) -> None:
    ours = [_assess(org, f"Market {n}") for n in range(5)]
    client.force_login(outsider)
    for url, _select in LISTS:
        html = client.get(reverse(url), {picker.PARAM: "market"}).content.decode()
        assert not any(str(a.pk) in html for a in ours)


def test_the_evaluation_and_rfi_lists_are_paginated(client: Any, org: Any, other_org: Any, officer: Any) -> None:
    from tests.evaluation_samples import make_evaluation, make_rfi

    assessment = _assess(org, "Market Square")
    for n in range(51):
        make_evaluation(assessment, title=f"Evaluation {n:02d}")
        make_rfi(assessment, title=f"Request {n:02d}")
    theirs = _assess(other_org, "Harbour Quay")
    make_evaluation(theirs, title="Their evaluation")
    make_rfi(theirs, title="Their request")
    client.force_login(officer)
    for url, word in (("evaluation:list", "Evaluation"), ("procurement:list", "Request")):
        first = client.get(reverse(url)).content.decode()
        assert "Page 1 of 2" in first and "1–50 of 51" in first and "Their" not in first
        assert f"{word} 50" in first and f"{word} 00" not in first  # the newest first
        second = client.get(reverse(url), {"page": "2"}).content.decode()
        assert f"{word} 00" in second and f"{word} 01" not in second and "Page 2 of 2" in second
