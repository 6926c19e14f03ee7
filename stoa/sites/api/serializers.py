"""Serializers of the sites API. Model rules run through ``ModelCleanSerializer`` (400, never 500)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.reverse import reverse

from stoa.accounts.models import Organisation
from stoa.accounts.roles import Action
from stoa.accounts.tenancy import memberships_of
from stoa.api.base import CallersOrganisationField, allowed, resolve_organisation
from stoa.api.serializers import ModelCleanSerializer
from stoa.api.versioning import VersionedSerializerMixin
from stoa.sites.api.fields import CategoryField, GeometryField, VisibleSiteField, check_near
from stoa.sites.formfields import ACCEPTED_TYPES
from stoa.sites.models import AccessPoint, Attachment, CrowdSlot, Site, SiteEvent, SiteShare, Zone
from stoa.sites.services.locating import reference_for_organisation
from stoa.web.uploads import accept_document

_STAMPS = ["id", "created_at", "updated_at"]


class SiteSerializer(VersionedSerializerMixin, ModelCleanSerializer):
    organisation = CallersOrganisationField(
        required=False, help_text=_("Short name of the owning organisation; set on creation only. Defaults to "
                                    "your organisation when you belong to one."))
    category = CategoryField(help_text=_("Category id, e.g. SQUARE (its name is accepted too)."))
    boundary = GeometryField("Polygon", required=False, allow_null=True)
    lon = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180,
                                 help_text=_("Longitude of a site without a boundary; computed from the boundary."))
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90,
                                 help_text=_("Latitude of a site without a boundary; computed from the boundary."))
    priority = serializers.IntegerField(read_only=True, help_text=_("The override when set, else the computed value."))

    class Meta:
        model = Site
        fields = [
            "id", "organisation", "name", "category", "description", "ownership", "owner_name", "boundary",
            "lon", "lat", "area_m2", "surroundings", "symbolic_value", "priority_score", "priority_override",
            "priority_justification", "priority", "created_at", "updated_at", "version",
        ]
        read_only_fields = ["area_m2", "priority_score", "created_at", "updated_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:  # a site stays with the organisation that created it
            fields["organisation"].read_only = True
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            attrs["organisation"] = resolve_organisation(self.context["request"], attrs.get("organisation"))
        organisation = attrs.get("organisation") or self.instance.organisation  # type: ignore[union-attr]
        if ("lon" in attrs) != ("lat" in attrs) or (attrs.get("lon") is None) != (attrs.get("lat") is None):
            raise serializers.ValidationError({"lat": [_("Give both lon and lat, or neither.")]})
        reference = reference_for_organisation(organisation, exclude_site=getattr(self.instance, "pk", None))
        try:
            if attrs.get("boundary"):
                check_near(attrs["boundary"], reference, "Polygon")
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"boundary": exc.detail}) from exc
        if not attrs.get("boundary") and attrs.get("lon") is not None:
            try:
                check_near({"type": "Point", "coordinates": [attrs["lon"], attrs["lat"]]}, reference, "Point")
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({"lon": exc.detail}) from exc
        return super().validate(attrs)


class ParentSiteField(VisibleSiteField):
    """The site a new part belongs to: unknown unless visible, 403 unless the caller may ACTION it."""

    def __init__(self, action: str = Action.CHANGE, **kwargs: Any) -> None:
        self.action = action
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Site:
        site = super().to_internal_value(data)
        if not allowed(self.context["request"].user, self.action, site):
            raise PermissionDenied(_("Your role or this share does not allow changing “%(site)s”.") % {"site": site})
        return site


class SitePartSerializer(ModelCleanSerializer):
    """A part of one site. Its site is chosen on creation and never changes."""

    site = ParentSiteField()
    geometry_kinds: str | None = None  # "Polygon" or "Point" for parts drawn on the map

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["site"] = serializers.PrimaryKeyRelatedField(read_only=True)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        site = attrs.get("site") or getattr(self.instance, "site", None)
        if self.geometry_kinds and attrs.get("geometry") and site is not None:
            try:
                check_near(attrs["geometry"], reference_for_organisation(site.organisation), self.geometry_kinds)
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({"geometry": exc.detail}) from exc
        return super().validate(attrs)


class ZoneSerializer(SitePartSerializer):
    geometry = GeometryField("Polygon")
    geometry_kinds = "Polygon"

    class Meta:
        model = Zone
        fields = [*_STAMPS, "site", "name", "geometry", "area_m2", "usable_share", "notes"]
        read_only_fields = ["area_m2"]


class AccessPointSerializer(SitePartSerializer):
    geometry = GeometryField("Point")
    geometry_kinds = "Point"

    class Meta:
        model = AccessPoint
        fields = [*_STAMPS, "site", "name", "kind", "width_m", "geometry", "notes"]


class CrowdSlotSerializer(SitePartSerializer):
    class Meta:
        model = CrowdSlot
        fields = [*_STAMPS, "site", "label", "days", "start_time", "end_time", "typical_people", "peak_people"]


class SiteEventSerializer(SitePartSerializer):
    class Meta:
        model = SiteEvent
        fields = [*_STAMPS, "site", "name", "start_date", "end_date", "expected_peak", "recurrence", "layout",
                  "notes"]


class AttachmentSerializer(SitePartSerializer):
    file = serializers.FileField(write_only=True, help_text=_("JPEG, PNG or WebP image, or PDF document."))
    uploaded_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="username",
                                                                                  read_only=True, allow_null=True)
    download = serializers.SerializerMethodField()
    clean_exclude = ("organisation", "uploaded_by")

    class Meta:
        model = Attachment
        fields = [*_STAMPS, "site", "kind", "title", "file", "content_type", "size", "uploaded_by", "download"]
        read_only_fields = ["content_type", "size"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:  # the file itself is replaced by uploading a new attachment
            fields.pop("file")
        return fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download(self, obj: Attachment) -> str:
        return reverse("attachment-download", kwargs={"pk": obj.pk}, request=self.context.get("request"))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        upload = attrs.get("file")
        if upload is not None:
            kind = str(attrs.get("kind") or getattr(self.instance, "kind", "other"))
            try:
                stored, content_type = accept_document(upload, ACCEPTED_TYPES.get(kind, frozenset()), _(
                    "This file's content is not an accepted type for a %(kind)s: photos must be JPEG, PNG or "
                    "WebP images; plans and other documents may also be PDF."
                ) % {"kind": kind})
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"file": exc.messages}) from exc
            attrs["file"], attrs["content_type"], attrs["size"] = stored, content_type, stored.size
        return super().validate(attrs)


class SiteShareSerializer(ModelCleanSerializer):
    site = ParentSiteField(action=Action.SHARE)
    organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(),
        help_text=_("Short name of the organisation the site is shared with."))
    shared_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="username",
                                                                                read_only=True, allow_null=True)
    clean_exclude = ("shared_by",)

    class Meta:
        model = SiteShare
        fields = ["id", "site", "organisation", "access", "reason", "shared_by", "created_at"]
        read_only_fields = ["created_at"]
        validators: list[Any] = []  # the model's constraint is checked with a clearer message below

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:  # change the access or reason; a new recipient is a new share
            fields["site"] = serializers.PrimaryKeyRelatedField(read_only=True)
            fields["organisation"] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        site, organisation = attrs.get("site"), attrs.get("organisation")
        if self.instance is None and SiteShare.objects.filter(site=site, organisation=organisation).exists():
            raise serializers.ValidationError({"organisation": [_(
                "This site is already shared with %(org)s; change that share instead.") % {"org": organisation}]})
        return super().validate(attrs)


class OrganisationSerializer(serializers.ModelSerializer):
    region: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        source="parent", slug_field="slug", read_only=True, allow_null=True,
        help_text=_("The region it belongs to, if any."))
    role = serializers.SerializerMethodField(help_text=_("Your role in this organisation."))

    class Meta:
        model = Organisation
        fields = ["id", "slug", "name", "kind", "region", "classification", "outline", "role"]
        read_only_fields = fields

    def get_role(self, obj: Organisation) -> str:
        return memberships_of(self.context["request"].user).get(obj.pk, "")
