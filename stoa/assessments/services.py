"""Creating an assessment: the frozen risk matrix, the question bank it follows, its ten scenarios."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from stoa.assessments.matrix import NoRiskMatrix, default_matrix, freeze
from stoa.assessments.models import Assessment, Scenario
from stoa.assessments.proposals import refresh_proposals
from stoa.library.cached import in_order
from stoa.library.models import ReferenceObject
from stoa.sites.models import Site


class CannotCreate(Exception):
    """The libraries an assessment needs (threat types, a risk matrix) are not loaded."""


def threat_types() -> list[ReferenceObject]:
    return in_order("threat_type")


def question_bank() -> tuple[str, int | None]:
    """URN and version of the loaded question bank ("", None when none is loaded)."""
    question = ReferenceObject.objects.filter(kind="question").select_related("library").first()
    if question is None:
        return "", None
    return question.library.urn, question.library.version


@transaction.atomic
def create_assessment(site: Site, *, user: Any = None, date: datetime.date | None = None, **fields: Any) -> Assessment:
    """A new draft assessment of SITE with one empty scenario per threat type, all or nothing."""
    threats = threat_types()
    if not threats:
        raise CannotCreate(_("No threat types are loaded; an administrator must load the libraries first."))
    try:
        matrix = default_matrix()
    except NoRiskMatrix as exc:
        raise CannotCreate(str(exc)) from exc
    urn, version = question_bank()
    assessment = Assessment.objects.create(
        site=site, date=date or datetime.date.today(), risk_matrix=freeze(matrix), question_bank_urn=urn,
        question_bank_version=version, created_by=user if getattr(user, "is_authenticated", False) else None,
        **fields)
    for threat in threats:  # one by one, so each lands in the audit trail
        Scenario.objects.create(assessment=assessment, threat=threat)
    refresh_proposals(assessment)  # the baseline, until answers move it
    return assessment
