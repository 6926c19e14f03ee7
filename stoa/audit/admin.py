"""The audit trail is read per organisation in Stoa's own pages, never installation-wide.

django-auditlog registers its entries with the Django admin; the operator's admin must not show
one organisation's changes to anybody, so the registration is removed.
"""

from auditlog.models import LogEntry
from django.contrib import admin

if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)
