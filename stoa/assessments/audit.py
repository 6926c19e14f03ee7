"""Registers the assessment models with the audit trail (who changed what, when)."""

from auditlog.registry import auditlog

from stoa.assessments.models import (
    Answer,
    Assessment,
    ExistingMeasure,
    Objective,
    Requirement,
    Scenario,
    SettledAnswer,
    TeamMember,
)

for model in (Assessment, TeamMember, Answer, SettledAnswer, ExistingMeasure, Scenario, Objective, Requirement):
    auditlog.register(model)
