"""Registers the action-plan models with the audit trail."""

from auditlog.registry import auditlog

from stoa.plans.models import RISK_FIELDS, ActionPlan, OptimisationRun, PlannedMeasure

auditlog.register(ActionPlan, exclude_fields=list(RISK_FIELDS))
auditlog.register(PlannedMeasure, m2m_fields={"depends_on", "scenarios"})
auditlog.register(OptimisationRun, exclude_fields=["result"])
