"""The shared list filter (pages and API): words, category, owner type, organisation, sort."""

from __future__ import annotations

import pytest

from stoa.sites.filters import SiteFilter
from stoa.sites.models import Site
from tests import factories
from tests.site_samples import make_categories, square_at

pytestmark = pytest.mark.django_db


def names(data: dict[str, str]) -> list[str]:
    return [s.name for s in SiteFilter(data, queryset=Site.objects.all()).qs]


def test_filters_by_words_category_owner_type_and_organisation(org, other_org):
    square, hub = make_categories()
    factories.make_site(org, name="Town Square", category=square, description="market on Saturdays")
    factories.make_site(org, name="Central Station", category=hub, ownership="mixed", boundary=square_at(0.01))
    factories.make_site(other_org, name="Harbour Square", category=square, owner_name="Port authority")
    assert names({"q": "saturdays"}) == ["Town Square"]
    assert names({"q": "port square"}) == ["Harbour Square"]
    assert names({"category": "TRANSPORT_HUB"}) == ["Central Station"]
    assert names({"ownership": "mixed"}) == ["Central Station"]
    assert names({"organisation": other_org.slug}) == ["Harbour Square"]


def test_sorting_by_priority_uses_the_override(org):
    square, _hub = make_categories()
    factories.make_site(org, name="A", category=square)
    factories.make_site(org, name="B", category=square, priority_override=90, priority_justification="Landmark")
    assert names({"sort": "-priority"}) == ["B", "A"]
    assert names({"sort": "-name"}) == ["B", "A"]


def test_categories_loaded_after_the_filter_was_first_used_still_filter(org):
    # A field built before the categories existed (the API schema builds one) must still accept them.
    SiteFilter.base_filters["category"].field  # noqa: B018
    square, hub = make_categories()
    factories.make_site(org, name="Town Square", category=square)
    factories.make_site(org, name="Central Station", category=hub, boundary=square_at(0.01))
    site_filter = SiteFilter({"category": "SQUARE"}, queryset=Site.objects.all())
    assert site_filter.form.is_valid(), site_filter.form.errors
    assert [s.name for s in site_filter.qs] == ["Town Square"]
