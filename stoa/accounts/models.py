"""Organisations and memberships. The access design is written in ``stoa.accounts.roles``."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stoa.accounts.roles import Role


class OrganisationKind(models.TextChoices):
    REGION = "region", _("Region")
    MUNICIPALITY = "municipality", _("Municipality")
    POLICE = "police", _("Police")
    VENUE_OPERATOR = "venue_operator", _("Venue operator")
    EVENT_ORGANISER = "event_organiser", _("Event organiser")
    VENDOR = "vendor", _("Vendor")


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user: Any, action: str = "view") -> OrganisationQuerySet:
        """The organisations in which USER's role allows ACTION (their own; never others')."""
        from stoa.accounts.tenancy import org_ids_for

        return self.filter(pk__in=org_ids_for(user, action))


class Organisation(models.Model):
    """A body that owns data in Stoa: a municipality, its police, a region, an operator..."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"kind": OrganisationKind.REGION},
    )
    classification = models.CharField(
        _("classification label"),
        max_length=60,
        default="RESTRICTED",
        help_text=_("Printed on every page of this organisation's reports and exports."),
    )
    outline = models.JSONField(
        _("city outline"),
        null=True,
        blank=True,
        help_text=_("GeoJSON polygon drawn under the map when no tile server is configured."),
    )
    require_two_factor = models.BooleanField(
        _("require two-factor authentication"),
        default=False,
        help_text=_("Every member must set up an authenticator app before using Stoa."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in one organisation. A person may belong to several organisations."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org"),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation": str(self.organisation_id)}


class ApiToken(models.Model):
    """A named API key of one person. Only a hash of the key is stored: the key is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the key, so a person can tell their tokens apart without the key.
    prefix = models.CharField(_("starts with"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    def is_usable(self, now: Any) -> bool:
        """Neither revoked nor past its expiry at NOW."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


def _org_audit_data(self: Organisation) -> dict[str, Any]:
    return {"organisation": str(self.pk)}


Organisation.get_additional_data = _org_audit_data  # type: ignore[attr-defined]
