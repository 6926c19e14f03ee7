"""Finalising and revising an assessment: submit, sign off, send back, re-assess.

The life of an assessment::

    draft --submit--> submitted --sign off--> signed off --reassess--> (a new draft, previous = it)
                          |
                          +--send back (with a reason)--> draft

* **Submit** (the team lead; anyone who may change the assessment when it names no lead): only a
  complete draft goes for sign-off, i.e. every scenario rated or set aside as not applicable, and
  no question on which assessors disagree left unsettled (see ``stoa.assessments.merge``).
* **Sign off** needs the ``approve`` action (administrators and security officers of the owning
  organisation; a share never grants it) and is never done by whoever submitted (four eyes).
* **Send back** needs ``approve`` and a reason, which the team sees on the overview.
* **Re-assess** (whoever may change the site) starts a new draft from a signed-off assessment,
  copying its team, answers and settled answers (marked as copies), existing measures, and the
  scenarios' texts and ratings. The copy takes today's risk matrix and question bank, like any new
  assessment: answers the bank no longer accepts and ratings outside the new matrix are left out.

Only a draft's content can change (the freeze rule, ``stoa.assessments.locking``). Who may act is
checked here, through the tenancy mechanism, so pages and the API apply exactly the same rules.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stoa.accounts.roles import Action
from stoa.assessments.answers import clean_value
from stoa.assessments.locking import AssessmentLocked
from stoa.assessments.matrix import matrix_of
from stoa.assessments.models import (
    Answer,
    AnswerSource,
    Assessment,
    ExistingMeasure,
    SettledAnswer,
    Status,
    TeamMember,
)
from stoa.assessments.proposals import question_objects, refresh_proposals
from stoa.audit.actor import acting_as
from stoa.sites.models import Site

__all__ = [
    "AssessmentLocked",
    "NotReady",
    "WorkflowError",
    "WrongStatus",
    "may",
    "may_lead",
    "readiness",
    "reassess",
    "send_back",
    "sign_off",
    "submit",
]


class WorkflowError(Exception):
    """A workflow step that cannot happen now; ``problems`` lists why, in words for the user."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


class NotReady(WorkflowError):
    """The assessment (or the request) is not complete enough for this step."""


class WrongStatus(WorkflowError):
    """The step does not apply to the assessment's current status."""


def may(user: Any, action: str, obj: Any) -> bool:
    """True when USER may take ACTION on OBJ, through the one access mechanism."""
    return type(obj)._default_manager.for_user(user, action).filter(pk=obj.pk).exists()


def may_lead(assessment: Assessment, user: Any) -> bool:
    """May USER act as the team lead (submit, settle answers)? The named lead only; when no lead is
    named, anyone who may change the assessment."""
    if not may(user, Action.CHANGE, assessment):
        return False
    return assessment.lead_id is None or assessment.lead_id == getattr(user, "pk", None)


def _require_lead(assessment: Assessment, user: Any) -> None:
    if not may(user, Action.CHANGE, assessment):
        raise PermissionDenied(_("Your role or this share does not allow changing this assessment."))
    if not may_lead(assessment, user):
        raise PermissionDenied(_("Only the team lead (%(lead)s) may do this.") % {"lead": assessment.lead})


def _require_approver(assessment: Assessment, user: Any) -> None:
    if not may(user, Action.APPROVE, assessment):
        raise PermissionDenied(_("Only an administrator or a security officer of %(org)s may sign off or send "
                                 "back its assessments.") % {"org": assessment.organisation})


def _fresh(assessment: Assessment) -> Assessment:
    """The assessment as stored now, locked for the rest of the transaction."""
    return Assessment.objects.select_for_update().select_related("site").get(pk=assessment.pk)


def _expect(assessment: Assessment, status: str) -> None:
    if assessment.status != status:
        raise WrongStatus([_("This step needs the assessment to be “%(wanted)s”; it is “%(now)s”.") % {
            "wanted": Status(status).label, "now": assessment.get_status_display()}])


def readiness(assessment: Assessment) -> list[str]:
    """What still stops ASSESSMENT from being submitted (empty when it is ready)."""
    from stoa.assessments.merge import disagreements

    problems = []
    open_scenarios = [s.threat.label() for s in assessment.scenarios.select_related("threat")
                      if not (s.not_applicable or s.rated)]
    if open_scenarios:
        problems.append(_("Rate these threat types or mark them not applicable: %(threats)s.") % {
            "threats": ", ".join(open_scenarios)})
    unsettled = [d.question.ref_id for d in disagreements(assessment) if d.settled is None]
    if unsettled:
        problems.append(_("Assessors disagree on these questions; the lead must settle them first: %(ids)s.") % {
            "ids": ", ".join(unsettled)})
    return problems


@transaction.atomic
def submit(assessment: Assessment, user: Any) -> Assessment:
    """Send a complete draft for sign-off; the team lead does it."""
    current = _fresh(assessment)
    _require_lead(current, user)
    _expect(current, Status.DRAFT)
    problems = readiness(current)
    if problems:
        raise NotReady(problems)
    current.status, current.submitted_at, current.submitted_by = Status.SUBMITTED, timezone.now(), user
    current.returned_reason = ""
    with acting_as(user):
        current.save(update_fields=["status", "submitted_at", "submitted_by", "returned_reason", "updated_at"])
    return current


@transaction.atomic
def sign_off(assessment: Assessment, user: Any) -> Assessment:
    """Approve a submitted assessment; it is frozen from then on. Never by the one who submitted it."""
    current = _fresh(assessment)
    _require_approver(current, user)
    _expect(current, Status.SUBMITTED)
    if current.submitted_by_id is not None and current.submitted_by_id == getattr(user, "pk", None):
        raise PermissionDenied(_("You submitted this assessment: another approver must sign it off "
                                 "(four-eyes rule)."))
    current.status, current.signed_off_at, current.signed_off_by = Status.SIGNED_OFF, timezone.now(), user
    with acting_as(user):
        current.save(update_fields=["status", "signed_off_at", "signed_off_by", "updated_at"])
    return current


@transaction.atomic
def send_back(assessment: Assessment, user: Any, reason: str) -> Assessment:
    """Return a submitted assessment to the team as a draft, saying what to change."""
    current = _fresh(assessment)
    _require_approver(current, user)
    _expect(current, Status.SUBMITTED)
    reason = (reason or "").strip()
    if not reason:
        raise NotReady([_("Say why the assessment goes back to the team.")])
    current.status, current.returned_reason = Status.DRAFT, reason
    current.submitted_at = current.submitted_by = None
    with acting_as(user):
        current.save(update_fields=["status", "returned_reason", "submitted_at", "submitted_by", "updated_at"])
    return current


def open_reassessment(assessment: Assessment) -> Assessment | None:
    """The draft re-assessment already started from ASSESSMENT, if any."""
    return assessment.reassessments.filter(status=Status.DRAFT).first()


@transaction.atomic
def reassess(assessment: Assessment, user: Any) -> Assessment:
    """A new draft of the same site that starts as a copy of the signed-off ASSESSMENT."""
    from stoa.assessments.services import create_assessment

    current = _fresh(assessment)
    site = current.site
    if not may(user, Action.CHANGE, site):
        raise PermissionDenied(_("Your role or this share does not allow starting an assessment of %(site)s.")
                               % {"site": site})
    _expect(current, Status.SIGNED_OFF)
    already = open_reassessment(current)
    if already is not None:
        raise WrongStatus([_("A re-assessment of this assessment is already in progress (%(date)s).") % {
            "date": already.date}])
    with acting_as(user):
        new = create_assessment(
            Site.objects.get(pk=site.pk), user=user, date=datetime.date.today(), managing_body=current.managing_body,
            depth=current.depth, review_cycle_months=current.review_cycle_months, lead=current.lead,
            previous=current)
        _copy_parts(current, new)
        refresh_proposals(new)
    return new


def _copy_parts(old: Assessment, new: Assessment) -> None:
    org = new.organisation_id
    for member in old.teammembers.all():
        TeamMember.objects.create(assessment=new, organisation_id=org, name=member.name,
                                  organisation_name=member.organisation_name, role=member.role, user=member.user)
    questions = {q.ref_id: q for q in question_objects(new)}

    def still_valid(ref_id: str, value: Any) -> tuple[bool, Any]:
        question = questions.get(ref_id)
        if question is None or value is None:
            return False, None
        try:
            return True, clean_value(question.data, value, site=new.site)
        except ValidationError:
            return False, None

    for answer in old.answers.all():
        ok, value = still_valid(answer.question, answer.value)
        if ok:
            Answer.objects.create(assessment=new, organisation_id=org, question=answer.question,
                                  assessor=answer.assessor, value=value, source=AnswerSource.COPY)
    for settled in old.settledanswers.all():
        ok, value = still_valid(settled.question, settled.value)
        if ok:
            SettledAnswer.objects.create(assessment=new, organisation_id=org, question=settled.question, value=value,
                                         note=settled.note, settled_by=settled.settled_by)
    for measure in old.existingmeasures.all():
        ExistingMeasure.objects.create(
            assessment=new, organisation_id=org, description=measure.description, nature=measure.nature,
            technology_category=measure.technology_category, timing=measure.timing, threats=list(measure.threats),
            geometry=measure.geometry)
    _copy_scenarios(old, new)


def _copy_scenarios(old: Assessment, new: Assessment) -> None:
    matrix = matrix_of(new)
    by_threat = {s.threat_id: s for s in old.scenarios.all()}
    for scenario in new.scenarios.all():
        source = by_threat.get(scenario.threat_id)
        if source is None:
            continue
        for field in ("narrative", "attack_phase_id", "location", "geometry", "time_slot", "not_applicable",
                      "not_applicable_reason", "override_justification"):
            setattr(scenario, field, getattr(source, field))
        if source.rated and source.likelihood in matrix.likelihood_values \
                and source.consequence in matrix.consequence_values:
            scenario.likelihood, scenario.consequence = source.likelihood, source.consequence
        scenario.save()
