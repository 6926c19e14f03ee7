"""Registers the case-study model with the audit trail (who created, changed, imported or removed a case)."""

from auditlog.registry import auditlog

from stoa.cases.models import CaseStudy

auditlog.register(CaseStudy, m2m_fields={"threats"}, exclude_fields=["place"])
