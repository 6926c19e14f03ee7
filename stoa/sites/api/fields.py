"""Serializer fields of the sites API: categories by id, visible parent sites, GeoJSON geometry."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_object_type
from rest_framework import serializers

from stoa.accounts.roles import Action
from stoa.core import geometry
from stoa.library.models import ReferenceObject
from stoa.sites.formfields import geometry_message
from stoa.sites.models import Site
from stoa.sites.services.categories import CategoryIndex, describe


class CategoryField(serializers.Field):
    """Written as a category id (``SQUARE``) or name; read as ``{ref_id, name, colour}``."""

    default_error_messages = {"unknown": _("Unknown category “{value}”.")}

    def to_internal_value(self, data: Any) -> ReferenceObject:
        if not isinstance(data, str):
            raise serializers.ValidationError(_("Give the category's id, e.g. SQUARE."))
        index = CategoryIndex()
        found = index.find(data)
        if found is None:
            raise serializers.ValidationError(index.unknown_message(data))
        return found

    def to_representation(self, value: ReferenceObject) -> dict[str, Any]:
        return describe(value)


class CategoryFieldSchema(OpenApiSerializerFieldExtension):
    """Tells the OpenAPI schema that the category is a string in requests and an object in answers."""

    target_class = CategoryField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        if direction == "request":
            return {"type": "string", "example": "SQUARE"}
        return build_object_type(
            properties={
                "ref_id": {"type": "string"},
                "name": {"type": "string"},
                "colour": {"type": "string", "nullable": True},
            },
            required=["ref_id", "name", "colour"],
        )


class VisibleSiteField(serializers.PrimaryKeyRelatedField):
    """A site the caller can see; any other id reads as unknown, so nothing leaks about it."""

    def get_queryset(self) -> QuerySet:
        return Site.objects.for_user(self.context["request"].user, Action.VIEW)


class GeometryField(serializers.JSONField):
    """A GeoJSON geometry of the given type(s), checked with shapely (WGS84, longitude first)."""

    def __init__(self, kinds: str | tuple[str, ...], **kwargs: Any) -> None:
        self.kinds = kinds
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        data = super().to_internal_value(data)
        if data is None:
            return None
        try:
            geometry.parse(data, self.kinds)
        except geometry.GeometryError as exc:
            raise serializers.ValidationError(geometry_message(exc)) from exc
        if isinstance(data, dict) and data.get("type") == "Feature":
            data = data["geometry"]
        return {"type": data["type"], "coordinates": data["coordinates"]}


class GeometryFieldSchema(OpenApiSerializerFieldExtension):
    target_class = GeometryField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        schema = build_object_type(
            properties={"type": {"type": "string"}, "coordinates": {"type": "array", "items": {}}},
            required=["type", "coordinates"],
            description="GeoJSON geometry, WGS84, longitude first.",
        )
        return {**schema, "nullable": True} if self.target.allow_null else schema


def check_near(value: dict[str, Any] | None, reference: geometry.Reference | None, kinds: Any) -> None:
    """Refuse VALUE when it lies far from the city, or looks like latitude, longitude order."""
    if value is None or reference is None:
        return
    try:
        geometry.parse(value, kinds, reference=reference)
    except geometry.GeometryError as exc:
        raise serializers.ValidationError(geometry_message(exc)) from exc
