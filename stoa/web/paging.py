"""Long lists are shown a page at a time: a city has thousands of public spaces, assessments and
plans, and a page that renders all of them is slow to serve and hard to read.

``paginate`` cuts a queryset (or list) into pages of ``PER_PAGE`` for the ``page`` query parameter
(an invalid or out-of-range number gives the nearest page, never an error), and keeps the other
query parameters (filters) for the links of ``partials/pagination.html``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PER_PAGE = 50


@dataclass
class Paged:
    page: Page
    query: str  # the request's other query parameters, url-encoded, to keep in the page links

    @property
    def items(self) -> list[Any]:
        return list(self.page.object_list)

    def context(self) -> dict[str, Any]:
        """What ``partials/pagination.html`` reads."""
        return {"page": self.page, "page_query": self.query}


def paginate(request: HttpRequest, items: QuerySet[Any] | Sequence[Any], per_page: int = PER_PAGE) -> Paged:
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return Paged(page, query.urlencode())
