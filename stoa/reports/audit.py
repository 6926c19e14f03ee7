"""Registers the report models with the audit trail (who asked for which report, who changed the
redaction rules); the progress fields change every second while a job runs and are not recorded."""

from auditlog.registry import auditlog

from stoa.reports.models import RedactionPolicy, ReportJob

auditlog.register(ReportJob, include_fields=["kind", "format", "redacted", "plan", "status", "error"])
auditlog.register(RedactionPolicy)
