"""The report pages: on screen, the PDF and the Excel export of the answers; seeing the assessment is enough."""

from __future__ import annotations

from django.urls import reverse

from stoa.accounts.roles import Action
from tests.assessment_pages import Page

PAGES: list[Page] = [
    Page("report", lambda w: reverse("assessments:report", args=[w["assessment"].pk]), Action.VIEW),
    Page("report-pdf", lambda w: reverse("assessments:report-pdf", args=[w["assessment"].pk]), Action.VIEW),
    Page("answers-xlsx", lambda w: reverse("assessments:answers-xlsx", args=[w["assessment"].pk]), Action.VIEW),
]
