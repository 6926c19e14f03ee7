"""Reading many assessments' frozen risk matrices without reading the same copy many times.

Each assessment holds its own copy of the matrix it was rated on (about 20 KB of JSON), and nearly
all of a city's copies are the same. A list of assessments is therefore read without the copies;
their stored fingerprints then say which are the same, and each distinct copy is read and decoded
once and shared by the assessments that hold it. The shared copy is for reading: nobody edits a frozen
matrix in place.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from stoa.assessments.models import Assessment


def without_copies(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """ASSESSMENTS with the matrix left out, for ``share_copies`` to fill in afterwards."""
    return assessments.defer("risk_matrix")


def share_copies(assessments: list[Assessment]) -> None:
    """Give each of ASSESSMENTS whose matrix was left out its copy, reading each distinct copy once.
    The fingerprint is ``risk_matrix_key``, which the database keeps with each row."""
    wanting = [a for a in assessments if "risk_matrix" in a.get_deferred_fields()]
    if not wanting:
        return
    keys = {a.pk: a.risk_matrix_key for a in wanting}
    first: dict[Any, Any] = {}
    for assessment in wanting:
        first.setdefault(keys.get(assessment.pk), assessment.pk)
    copies = dict(Assessment.objects.filter(pk__in=first.values()).values_list("pk", "risk_matrix"))
    for assessment in wanting:
        assessment.matrix_key = keys.get(assessment.pk)  # type: ignore[attr-defined]
        assessment.risk_matrix = copies.get(first[assessment.matrix_key]) or {}  # type: ignore[attr-defined]
