"""Registers the catalogue's organisation data with the audit trail."""

from auditlog.registry import auditlog

from stoa.catalogue.models import LocalMeasure, WhatIfOption

for model in (LocalMeasure, WhatIfOption):
    auditlog.register(model)
