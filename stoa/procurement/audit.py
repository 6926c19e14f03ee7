"""Registers the RFI records with the audit trail."""

from auditlog.registry import auditlog

from stoa.procurement.models import (
    Clarification,
    Demonstration,
    Rfi,
    RfiInvitation,
    RfiRequirement,
    Submission,
    SubmissionAttachment,
)

for model in (Rfi, RfiRequirement, RfiInvitation, Submission, SubmissionAttachment, Clarification, Demonstration):
    auditlog.register(model)
