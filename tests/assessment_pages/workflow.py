"""Workflow and merge pages in the access matrix: submit, sign off, send back, re-assess, compare, settle.

Sign-off and send-back need the ``approve`` action (never granted by a share); the world's submitted
assessment was submitted by someone else, so the four-eyes rule never gets in the way here.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from stoa.accounts.roles import Action
from stoa.assessments import workflow
from stoa.assessments.models import Assessment, Scenario
from tests import factories
from tests.assessment_pages import Page
from tests.assessment_samples import make_assessment


def complete(assessment: Assessment) -> Assessment:
    """Every scenario set aside with a reason: ready to submit (bulk update, as test set-up)."""
    Scenario.objects.filter(assessment=assessment).update(not_applicable=True,
                                                          not_applicable_reason="No such risk here.")
    return assessment


def extend_world(world: dict[str, Any]) -> dict[str, Any]:
    site = world["site"]
    org = site.organisation
    lead = factories.make_user(org, "security_officer")
    approver = factories.make_user(org, "admin")
    ready = complete(make_assessment(site))
    submitted = workflow.submit(complete(make_assessment(site)), lead)
    signed = workflow.sign_off(workflow.submit(complete(make_assessment(site)), lead), approver)
    return {"ready": ready, "submitted": submitted, "signed": signed}


PAGES: list[Page] = [
    Page("submit", lambda w: reverse("assessments:submit", args=[w["ready"].pk]), Action.CHANGE, ok=302,
         method="post"),
    Page("sign-off", lambda w: reverse("assessments:sign-off", args=[w["submitted"].pk]), Action.APPROVE, ok=302,
         method="post"),
    Page("send-back", lambda w: reverse("assessments:send-back", args=[w["submitted"].pk]), Action.APPROVE,
         ok=302, method="post", data={"reason": "Rate the vehicle scenario again."}),
    Page("reassess", lambda w: reverse("assessments:reassess", args=[w["signed"].pk]), Action.CHANGE, ok=302,
         method="post"),
    Page("merge", lambda w: reverse("assessments:merge", args=[w["assessment"].pk]), Action.VIEW),
    Page("settle", lambda w: reverse("assessments:settle", args=[w["assessment"].pk, "T01"]), Action.CHANGE,
         ok=302, method="post", data={"value": "yes", "note": "Seen on the walk."}),
]
