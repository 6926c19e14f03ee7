"""The freeze rule: only a draft assessment's content may change.

Once submitted, an assessment waits for sign-off or to be sent back; once signed off it is the
record the city acts on and the base the next re-assessment's trend is measured against. So the
model layer itself refuses any change to a non-draft assessment's content (its answers, settled
answers, team, measures, scenarios, objectives and requirements, and its own editable fields),
whatever the path (pages, API, field import, shell). The workflow's own transitions (status,
submission and sign-off stamps, the reason for sending back) stay allowed.

This module has no model imports, so ``models.py`` can use it; ``stoa.assessments.workflow``
re-exports ``AssessmentLocked``. Pages answer it with 409 (``stoa.assessments.middleware``), the
API too (``stoa.api.errors``). Bulk ``QuerySet.update()`` bypasses model saves: code that updates
in bulk (``proposals.refresh_proposals``) only runs after a change the rule already allowed.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

# The assessment's own fields a non-draft assessment keeps as they are. Workflow stamps (status,
# submitted_*, signed_off_*, returned_reason) are deliberately not in this list.
CONTENT_FIELDS = ("site_id", "date", "managing_body", "depth", "risk_matrix", "question_bank_urn",
                  "question_bank_version", "review_cycle_months", "previous_id", "lead_id")


class AssessmentLocked(Exception):
    """A change to the content of an assessment that is submitted or signed off."""

    def __init__(self, message: Any = None, *, status: str = "", assessment_id: Any = None) -> None:
        if message is None:
            message = (_("This assessment is signed off: its content can no longer change. Start a "
                         "re-assessment to record a new state.") if status == "signed_off" else
                       _("This assessment is submitted for sign-off: its content cannot change unless "
                         "an approver sends it back."))
        super().__init__(str(message))
        self.message = str(message)
        self.status = status
        self.assessment_id = assessment_id


def stored_status(assessment_id: Any) -> str | None:
    """The status saved in the database (not the maybe-stale one in memory); None if unsaved."""
    from stoa.assessments.models import Assessment

    if assessment_id is None:
        return None
    return Assessment.objects.filter(pk=assessment_id).values_list("status", flat=True).first()


def check_part_editable(assessment_id: Any) -> None:
    """Raise AssessmentLocked unless the assessment ASSESSMENT_ID is a draft (or does not exist yet)."""
    status = stored_status(assessment_id)
    if status is not None and status != "draft":
        raise AssessmentLocked(status=status, assessment_id=assessment_id)


def check_assessment_save(assessment: Any) -> None:
    """Refuse saving ASSESSMENT when it is not a draft in the database and a content field changed."""
    if assessment._state.adding or assessment.pk is None:
        return
    from stoa.assessments.models import Assessment

    stored = Assessment.objects.filter(pk=assessment.pk).values("status", *CONTENT_FIELDS).first()
    if stored is None or stored["status"] == "draft":
        return
    changed = [name for name in CONTENT_FIELDS if getattr(assessment, name) != stored[name]]
    if changed:
        raise AssessmentLocked(status=stored["status"], assessment_id=assessment.pk)


def check_assessment_delete(assessment: Any) -> None:
    """A signed-off assessment is the record later re-assessments compare against: it stays.
    (Deleting the whole public space still removes it, with the audit trail keeping a record.)"""
    if stored_status(assessment.pk) == "signed_off":
        raise AssessmentLocked(_("This assessment is signed off and is kept as the record of that date; "
                                 "it cannot be deleted."), status="signed_off",
                               assessment_id=assessment.pk)


def check_link_change(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    """m2m_changed receiver: linking objectives and scenarios is content too (either side's
    ``assessment_id`` names the assessment)."""
    if action in ("pre_add", "pre_remove", "pre_clear"):
        check_part_editable(getattr(instance, "assessment_id", None))
