"""Serializer building blocks shared by every API app."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers


class ModelCleanSerializer(serializers.ModelSerializer):
    """Runs the model's own ``full_clean`` during validation, so a rule the model enforces answers
    400 with the field's message instead of failing on save.

    ``clean_exclude`` names fields the server fills in after validation (the owning organisation,
    who uploaded...), which the model check must not require yet.
    """

    clean_exclude: tuple[str, ...] = ("organisation",)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        model: Any = self.Meta.model  # type: ignore[attr-defined]
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in attrs.items():
            setattr(instance, name, value)
        exclude = {f.name for f in model._meta.fields if not f.editable} | set(self.clean_exclude)
        try:
            instance.full_clean(exclude=sorted(exclude))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        return attrs
