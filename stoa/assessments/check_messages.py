"""The quality checks' messages in the interface language.

``stoa.core.assessment.checks`` words its findings in English and French without Django; the
pages word them through gettext, so every interface language has them. The English here must
match the core's, so the catalogues and the core never drift (tested).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from stoa.core.assessment.checks import Finding

MESSAGES = {
    "C-OVERRIDE-NO-JUSTIFICATION": _("The rating was changed from the proposal without a written justification."),
    "C-NOT-APPLICABLE-NO-REASON": _("The threat type is marked not applicable without a reason."),
    "C-THREAT-UNRATED": _("The threat type has no likelihood or no consequence yet."),
    "C-HIGH-CONSEQ-NO-MEASURE": _(
        "Consequence {consequence} is high, yet no existing measure is recorded against this threat type."),
    "C-REVIEW-OVERDUE": _("The assessment is older than its review cycle: it was due for review on {due}."),
}


def message(finding: Finding) -> str:
    """FINDING in the active language; a check without a catalogue entry keeps the core's English."""
    text = MESSAGES.get(finding.check)
    return str(text).format(**finding.params) if text is not None else finding.message_en
