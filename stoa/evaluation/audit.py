"""Registers the evaluation records with the audit trail: who scored what, who froze which decision."""

from auditlog.registry import auditlog

from stoa.evaluation.models import Alternative, CriteriaSet, DecisionRecord, Evaluation, Expert, Score, Weighting

for model in (CriteriaSet, Evaluation, Weighting, Alternative, Expert, Score, DecisionRecord):
    auditlog.register(model)
