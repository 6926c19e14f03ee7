"""Choosing the assessment to start from (an evaluation, a request for information).

A city has thousands of assessments: a select listing every one of them makes the page slow to
serve and useless to read. Up to ``LIMIT`` assessments are offered in one select; beyond that the
page asks for part of the public space's name first and offers only the matching assessments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from stoa.assessments.models import Assessment

LIMIT = 50
PARAM = "space"  # the query parameter with the words of the public space's name


@dataclass
class AssessmentPicker:
    available: bool  # there is at least one assessment to start from
    searchable: bool  # too many for one select: the name search is shown
    query: str = ""
    choices: list[Assessment] = field(default_factory=list)
    truncated: bool = False  # the search matched more than LIMIT; only the first LIMIT are offered
    limit: int = LIMIT
    param: str = PARAM


def _first(queryset: QuerySet[Assessment]) -> list[Assessment]:
    return list(queryset.select_related("site").order_by("site__name", "-date", "pk")[:LIMIT + 1])


def pick_assessments(request: HttpRequest, queryset: QuerySet[Assessment]) -> AssessmentPicker:
    """The assessments of QUERYSET (already scoped to the user) to offer on REQUEST's page."""
    # Counting up to LIMIT + 1 unsorted is cheap; sorting by the space's name is only worth it when shown.
    if len(queryset.order_by().values_list("pk", flat=True)[:LIMIT + 1]) <= LIMIT:
        everything = _first(queryset)
        return AssessmentPicker(available=bool(everything), searchable=False, choices=everything, limit=LIMIT)
    query = " ".join(request.GET.get(PARAM, "").split())[:200]
    if not query:
        return AssessmentPicker(available=True, searchable=True, limit=LIMIT)
    found: Any = queryset
    for word in query.split():
        found = found.filter(site__name__icontains=word)
    matches = _first(found)
    return AssessmentPicker(available=True, searchable=True, query=query, choices=matches[:LIMIT],
                            truncated=len(matches) > LIMIT, limit=LIMIT)
