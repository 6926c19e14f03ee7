"""Registers the engineering analyses with the audit trail."""

from auditlog.registry import auditlog

from stoa.engineering.models import BlastAnalysis

auditlog.register(BlastAnalysis)
