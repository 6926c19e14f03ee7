"""Registers the sites models with the audit trail (who changed what, when)."""

from auditlog.registry import auditlog

from stoa.sites.models import AccessPoint, Attachment, CrowdSlot, Site, SiteEvent, SiteShare, Zone

for model in (Site, Zone, AccessPoint, CrowdSlot, SiteEvent, Attachment, SiteShare):
    auditlog.register(model)
