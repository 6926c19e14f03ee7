"""The consistency findings of an assessment in the reader's language.

``stoa.core.assessment.checks`` knows no Django and carries English and French; the page speaks
every offered language, so the same texts (same ``{placeholders}``) are gettext messages here, one
per check id. A test keeps this table and the checks in step.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from stoa.core.assessment.checks import Finding

MESSAGES: dict[str, Promise] = {
    "C-OVERRIDE-NO-JUSTIFICATION": _("The rating was changed from the proposal without a written justification."),
    "C-NOT-APPLICABLE-NO-REASON": _("The threat type is marked not applicable without a reason."),
    "C-THREAT-UNRATED": _("The threat type has no likelihood or no consequence yet."),
    "C-HIGH-CONSEQ-NO-MEASURE": _(
        "Consequence {consequence} is high, yet no existing measure is recorded against this threat type."),
    "C-REVIEW-OVERDUE": _("The assessment is older than its review cycle: it was due for review on {due}."),
}


def finding_message(finding: Finding) -> str:
    """FINDING's message in the active language (English for a check without a message here)."""
    text = MESSAGES.get(finding.check)
    return str(text).format(**finding.params) if text is not None else finding.message_en
