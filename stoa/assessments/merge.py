"""Several assessors, one assessment: where they disagree, and the lead settling each answer.

Each team member answers on their own (``Answer`` is per assessor). Assessors *disagree* on a
question when their non-empty answers are not all equal. The team lead (see
``stoa.assessments.workflow.may_lead``) settles such a question by recording the team's answer
(``SettledAnswer``), checked against the question exactly like an assessor's answer. Which answer
is then used is the rule documented in ``stoa.assessments.proposals``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stoa.assessments.answers import clean_value, is_empty
from stoa.assessments.models import Answer, Assessment, SettledAnswer
from stoa.assessments.proposals import answer_key, question_objects, refresh_proposals, used_answer
from stoa.audit.actor import acting_as
from stoa.library.models import ReferenceObject


@dataclass
class Given:
    """One assessor's answer."""

    assessor: Any
    name: str
    value: Any


@dataclass
class QuestionAnswers:
    """Every answer to one question, and what the team uses."""

    question: ReferenceObject
    given: list[Given] = field(default_factory=list)  # oldest saved first
    settled: SettledAnswer | None = None

    @property
    def disagree(self) -> bool:
        return len({answer_key(g.value) for g in self.given}) > 1

    @property
    def used(self) -> Any:
        settled = self.settled
        return used_answer([g.value for g in self.given], settled.value if settled else None, settled is not None)


def person_name(user: Any) -> str:
    if user is None:
        return _("a former user")
    return user.get_full_name() or user.get_username()


def answers_by_question(assessment: Assessment, ref_ids: Any = None) -> list[QuestionAnswers]:
    """Every question of the bank at the assessment's depth with its answers, in bank order (with
    REF_IDS, only those questions)."""
    rows = {q.ref_id: QuestionAnswers(q) for q in question_objects(assessment, ref_ids)}
    answers = Answer.objects.filter(assessment=assessment)
    if ref_ids is not None:
        answers = answers.filter(question__in=list(ref_ids))
    for answer in answers.select_related("assessor").order_by("updated_at"):
        row = rows.get(answer.question)
        if row is not None and answer.value is not None:
            row.given.append(Given(answer.assessor, person_name(answer.assessor), answer.value))
    for settled in SettledAnswer.objects.filter(assessment=assessment).select_related("settled_by"):
        if settled.question in rows:
            rows[settled.question].settled = settled
    return list(rows.values())


def disagreements(assessment: Assessment) -> list[QuestionAnswers]:
    """The questions on which assessors disagree, settled or not, in bank order."""
    # Shown on every assessment page: the answers alone tell which questions are split, and the
    # bank (large, with its translations) is read only for those.
    keys: dict[str, set[str]] = {}
    for question, value in Answer.objects.filter(assessment=assessment).values_list("question", "value"):
        if value is not None:
            keys.setdefault(question, set()).add(answer_key(value))
    split = [question for question, found in keys.items() if len(found) > 1]
    if not split:
        return []
    return [row for row in answers_by_question(assessment, split) if row.disagree]


@transaction.atomic
def settle(assessment: Assessment, question: str, value: Any, user: Any, note: str = "") -> SettledAnswer:
    """Record the team's answer to QUESTION. ValidationError when the value does not fit the question,
    PermissionDenied for anyone but the lead, AssessmentLocked unless the assessment is a draft."""
    from stoa.assessments.workflow import may, may_lead

    if not may(user, "change", assessment):
        raise PermissionDenied(_("Your role or this share does not allow changing this assessment."))
    if not may_lead(assessment, user):
        raise PermissionDenied(_("Only the team lead (%(lead)s) may settle answers.") % {"lead": assessment.lead})
    obj = next((q for q in question_objects(assessment) if q.ref_id == question), None)
    if obj is None:
        raise ValidationError({"question": _("There is no question %(id)s at this assessment's depth.") % {
            "id": question}})
    if is_empty(value):
        raise ValidationError({"value": _("Give the team's answer.")})
    try:
        value = clean_value(obj.data, value, site=assessment.site)
    except ValidationError as exc:
        raise ValidationError({"value": exc.messages}) from exc
    with acting_as(user):
        settled, _created = SettledAnswer.objects.update_or_create(
            assessment=assessment, question=question,
            defaults={"value": value, "note": (note or "").strip(), "settled_by": user,
                      "organisation_id": assessment.organisation_id})
        refresh_proposals(assessment)
    return settled
