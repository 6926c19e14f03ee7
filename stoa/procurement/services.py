"""What happens when a vendor submits an answer, and how answers become alternatives.

The deadline is enforced here, on the server's clock, whatever page or API call submits.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stoa.evaluation.models import Alternative, AlternativeKind
from stoa.procurement.models import Rfi, RfiStatus, Submission, SubmissionStatus


def submission_window_problem(rfi: Rfi) -> str | None:
    """Why answers cannot be submitted to RFI now, or None."""
    if rfi.status != RfiStatus.PUBLISHED:
        return _("This request for information is not open for answers.")
    now = timezone.now()
    if now < rfi.opens_at:
        return _("Answers are accepted from %(when)s.") % {"when": date_format(timezone.localtime(rfi.opens_at),
                                                                               "DATETIME_FORMAT")}
    if now >= rfi.closes_at:
        return _("The deadline (%(when)s) has passed: answers are no longer accepted.") % {
            "when": date_format(timezone.localtime(rfi.closes_at), "DATETIME_FORMAT")}
    return None


def submit(submission: Submission, user: Any) -> Submission:
    """Submit SUBMISSION: checks the window and the answer, then adds it to the RFI's evaluation."""
    problem = submission_window_problem(submission.rfi)
    if problem:
        raise ValidationError(problem)
    if submission.status == SubmissionStatus.SUBMITTED:
        raise ValidationError(_("This answer has already been submitted."))
    submission.full_clean()
    with transaction.atomic():
        submission.status = SubmissionStatus.SUBMITTED
        submission.submitted_at = timezone.now()
        submission.submitted_by = user if getattr(user, "is_authenticated", False) else None
        submission.save()
        add_to_evaluation(submission)
    return submission


def add_to_evaluation(submission: Submission) -> Alternative | None:
    """Make SUBMISSION an alternative of its RFI's evaluation (once); None when the RFI has none."""
    evaluation = submission.rfi.evaluation
    if evaluation is None or evaluation.is_frozen:
        return None
    alternative, _created = Alternative.objects.update_or_create(
        submission=submission,
        defaults={"evaluation": evaluation, "kind": AlternativeKind.SUBMISSION,
                  "name": f"{submission.solution} ({submission.organisation.name})"[:200],
                  "description": submission.description, "facts": submission.facts()})
    return alternative


def publish(rfi: Rfi) -> Rfi:
    """Publish draft RFI: from then on the vendors who may see it read it, and answer once it opens.

    Refused while it has no requirement (vendors would not know what is wanted) or when its
    deadline is already past (nobody could answer)."""
    if rfi.status != RfiStatus.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    if not rfi.requirements.exists():
        raise ValidationError(_("Add at least one requirement before publishing: vendors need to know what is "
                                "wanted."))
    if rfi.is_past_deadline:
        raise ValidationError(_("The deadline (%(when)s) is in the past: set a later deadline before publishing.") % {
            "when": date_format(timezone.localtime(rfi.closes_at), "DATETIME_FORMAT")})
    rfi.status = RfiStatus.PUBLISHED
    rfi.published_at = timezone.now()
    rfi.save(update_fields=["status", "published_at", "updated_at"])
    return rfi


def cancel(rfi: Rfi) -> Rfi:
    """Cancel RFI: vendors no longer see it, answers are no longer accepted; the record stays."""
    if rfi.status == RfiStatus.CANCELLED:
        raise ValidationError(_("This request for information is already cancelled."))
    rfi.status = RfiStatus.CANCELLED
    rfi.save(update_fields=["status", "updated_at"])
    return rfi


def answer_clarification(clarification: Any, answer: str) -> Any:
    """Record the city's ANSWER: every vendor who may see the RFI then reads it (never who asked)."""
    if not answer.strip():
        raise ValidationError(_("Write the answer."))
    clarification.answer = answer.strip()
    clarification.answered_at = clarification.answered_at or timezone.now()
    clarification.save(update_fields=["answer", "answered_at", "updated_at"])
    return clarification


def shortlist_answers(rfi: Rfi) -> list[Alternative]:
    """Shortlist the top N answers of RFI's evaluation ranking (N = its shortlist size).

    Only submitted answers to this RFI that pass every must-have requirement qualify; knocked-out
    alternatives never do (``stoa.evaluation.shortlist``). The shortlist is drawn at the RFI stage,
    and not before any expert has scored: an unscored ranking would be arbitrary."""
    from stoa.evaluation.models import Stage
    from stoa.evaluation.shortlist import shortlist_top

    evaluation = rfi.evaluation
    if evaluation is None:
        raise ValidationError(_("This request for information has no evaluation to rank its answers."))
    if evaluation.stage != Stage.RFI:
        raise ValidationError(_("The evaluation has moved past the RFI stage: change the shortlist by hand."))
    if not evaluation.scores.exists():
        raise ValidationError(_("No expert has scored the answers yet: the ranking would be arbitrary."))

    def eligible(alternative: Alternative) -> bool:
        submission = alternative.submission
        return (submission is not None and submission.rfi_id == rfi.pk
                and submission.status == SubmissionStatus.SUBMITTED and not submission.fails_must_haves)

    return shortlist_top(evaluation, eligible=eligible)


def set_shortlisted(rfi: Rfi, submission: Submission, shortlisted: bool) -> Alternative:
    """Tick or untick SUBMISSION (a submitted answer to RFI) on its evaluation's shortlist."""
    alternative = Alternative.objects.filter(submission=submission, evaluation=rfi.evaluation).first()
    if alternative is None or rfi.evaluation is None or submission.rfi_id != rfi.pk:
        raise ValidationError(_("This answer is not an alternative of the RFI's evaluation."))
    alternative.shortlisted = shortlisted
    alternative.save(update_fields=["shortlisted", "updated_at"])
    return alternative


def start_demonstrations(rfi: Rfi) -> None:
    """Move RFI's evaluation to the demonstration stage; refused while nothing is shortlisted."""
    from stoa.evaluation.models import Stage
    from stoa.evaluation.shortlist import advance_stage

    if rfi.evaluation is None:
        raise ValidationError(_("This request for information has no evaluation."))
    advance_stage(rfi.evaluation, Stage.DEMONSTRATION)
