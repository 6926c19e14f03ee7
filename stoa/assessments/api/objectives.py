"""API of road-map step 3: objectives of an assessment and their requirements.

Same rules as the pages: a caller sees those of the assessments they may see, and adds, changes or
removes them only with ``change`` on the assessment (through ``OrgScopedViewSet``); the models
refuse any change once the assessment is submitted (409, ``stoa.api.errors``).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from stoa.accounts.roles import Action
from stoa.api.base import OrgScopedViewSet, allowed
from stoa.api.serializers import ModelCleanSerializer
from stoa.assessments.api.serializers import VisibleAssessmentField
from stoa.assessments.models import Objective, Requirement, Scenario

_STAMPS = ["id", "created_at", "updated_at"]


class ObjectiveSerializer(ModelCleanSerializer):
    """An objective about some of the assessment's vulnerabilities (its scenarios, by id)."""

    assessment = VisibleAssessmentField()
    scenarios = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Scenario.objects.all(),
        help_text=_("Ids of scenarios of the same assessment that the objective addresses."))
    clean_exclude = ("organisation", "assessment")

    class Meta:
        model = Objective
        fields = [*_STAMPS, "assessment", "title", "description", "scenarios"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["assessment"] = serializers.PrimaryKeyRelatedField(read_only=True)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        scenarios = attrs.pop("scenarios", None)  # a many-to-many cannot be set on an unsaved copy
        assessment = attrs.get("assessment") or self.instance.assessment  # type: ignore[union-attr]
        if scenarios is not None:
            foreign = [str(s.pk) for s in scenarios if s.assessment_id != assessment.pk]
            if foreign:
                raise serializers.ValidationError({"scenarios": [
                    _("These scenarios belong to another assessment: %(ids)s.") % {"ids": ", ".join(foreign)}]})
        attrs = super().validate(attrs)
        if scenarios is not None:
            attrs["scenarios"] = scenarios
        return attrs


class VisibleObjectiveField(serializers.PrimaryKeyRelatedField):
    """An objective the caller can see (others read as unknown) and may change (else 403)."""

    def get_queryset(self) -> Any:
        return Objective.objects.for_user(self.context["request"].user, Action.VIEW)

    def to_internal_value(self, data: Any) -> Objective:
        objective = super().to_internal_value(data)
        if not allowed(self.context["request"].user, Action.CHANGE, objective):
            raise PermissionDenied(_("Your role or this share does not allow changing this assessment."))
        return objective


class RequirementSerializer(ModelCleanSerializer):
    """A requirement serving one objective; its assessment is the objective's."""

    objective = VisibleObjectiveField()
    assessment: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    threats = serializers.JSONField(required=False, help_text=_("Threat type ids, e.g. [\"VEHICLE\"]."))
    clean_exclude = ("organisation",)

    class Meta:
        model = Requirement
        fields = [*_STAMPS, "assessment", "objective", "text", "scope", "priority", "threats"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["objective"] = serializers.PrimaryKeyRelatedField(read_only=True)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "objective" in attrs:
            attrs["assessment"] = attrs["objective"].assessment
        return super().validate(attrs)


def _filter(model: type, *names: str) -> type[django_filters.FilterSet]:
    """``?<name>=<id>`` for each of NAMES, compared as a plain value (an unseen id gives an empty list)."""
    meta = type("Meta", (), {"model": model, "fields": list(names)})
    attrs: dict[str, Any] = {name: django_filters.UUIDFilter(field_name=f"{name}_id") for name in names}
    return type(f"{model.__name__}Filter", (django_filters.FilterSet,), {**attrs, "Meta": meta})


class ObjectiveViewSet(OrgScopedViewSet):
    """Objectives of the assessments the caller may see (road-map step 3)."""

    queryset = Objective.objects.select_related("assessment").prefetch_related("scenarios")
    serializer_class = ObjectiveSerializer
    filterset_class = _filter(Objective, "assessment")
    parent_field = "assessment"


class RequirementViewSet(OrgScopedViewSet):
    """Requirements of those objectives: general or site-specific, must-have or desirable."""

    queryset = Requirement.objects.select_related("assessment", "objective")
    serializer_class = RequirementSerializer
    filterset_class = _filter(Requirement, "assessment", "objective")
    parent_field = "objective"
