"""Field use pages: the page, the XLSForm download (seeing the assessment is enough), the import
(changes the answers; with no file it is refused with 400 and nothing happens)."""

from __future__ import annotations

from django.urls import reverse

from stoa.accounts.roles import Action
from tests.assessment_pages import Page

PAGES: list[Page] = [
    Page("field", lambda w: reverse("assessments:field", args=[w["assessment"].pk]), Action.VIEW),
    Page("xlsform", lambda w: reverse("assessments:xlsform", args=[w["assessment"].pk]), Action.VIEW),
    Page("submissions", lambda w: reverse("assessments:submissions", args=[w["assessment"].pk]), Action.CHANGE,
         ok=400, method="post"),
]
