"""Registers the engineering analyses with the audit trail."""

from auditlog.registry import auditlog

from stoa.engineering.models import BlastAnalysis, StreetNetwork, VehicleAnalysis

auditlog.register(BlastAnalysis)
auditlog.register(StreetNetwork, exclude_fields=["data"])
auditlog.register(VehicleAnalysis, exclude_fields=["results"])
