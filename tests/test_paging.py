"""Long lists come a page at a time: odd page numbers never fail, and filters survive the page links."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.test import RequestFactory

from stoa.web.paging import paginate


def _paged(query: str, items: int = 120, per_page: int = 50):
    return paginate(RequestFactory().get(f"/list/?{query}"), list(range(items)), per_page)


def test_the_page_asked_for_is_shown():
    paged = _paged("page=2")
    assert paged.page.number == 2
    assert paged.items == list(range(50, 100))


def test_a_page_number_that_is_not_a_number_gives_the_first_page():
    assert _paged("page=abc").page.number == 1


def test_a_page_past_the_end_gives_the_last_page():
    paged = _paged("page=99")
    assert paged.page.number == 3
    assert paged.items == list(range(100, 120))


def test_the_other_query_parameters_are_kept_for_the_links():
    paged = _paged("signed_off=1&page=2&q=market")
    assert paged.query == "signed_off=1&q=market"
    html = render_to_string("partials/pagination.html", paged.context())
    assert 'href="?signed_off=1&amp;q=market&amp;page=1"' in html
    assert 'href="?signed_off=1&amp;q=market&amp;page=3"' in html
    assert 'aria-current="page"' in html
    assert "Page 2 of 3" in html
    assert "51–100 of 120" in html


def test_a_single_page_shows_no_page_links():
    assert render_to_string("partials/pagination.html", _paged("", items=10).context()).strip() == ""
