"""The ratings step's bulk action in the access matrix: rate every unrated threat type at the proposal."""

from __future__ import annotations

from django.urls import reverse

from stoa.accounts.roles import Action
from tests.assessment_pages import Page

PAGES = [
    Page("accept-proposals", lambda w: reverse("assessments:accept-proposals", args=[w["assessment"].pk]),
         Action.CHANGE, ok=302, method="post"),
]
