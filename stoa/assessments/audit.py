"""Registers the assessment models with the audit trail (who changed what, when)."""

from auditlog.registry import auditlog

from stoa.assessments.models import Answer, Assessment, ExistingMeasure, Scenario, TeamMember

for model in (Assessment, TeamMember, Answer, ExistingMeasure, Scenario):
    auditlog.register(model)
