"""The operator's Django admin holds organisations and memberships, never an organisation's domain data."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model

from stoa.sites import models as site_models

pytestmark = pytest.mark.django_db


def test_no_domain_model_or_audit_entry_is_in_the_django_admin():
    from auditlog.models import LogEntry

    registered = set(admin.site._registry)
    domain = {site_models.Site, site_models.Zone, site_models.AccessPoint, site_models.CrowdSlot,
              site_models.SiteEvent, site_models.Attachment, site_models.SiteShare, LogEntry}
    assert not registered & domain


def test_superuser_cannot_browse_audit_entries_in_the_admin(client, site):
    root = get_user_model().objects.create_superuser("root", password="a-long-passphrase-42")
    client.force_login(root)
    assert client.get("/django-admin/auditlog/logentry/").status_code == 404
