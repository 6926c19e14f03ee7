"""API viewsets for assessments, answers and scenarios. Access rules live in ``OrgScopedViewSet``."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from stoa.api.base import OrgScopedViewSet
from stoa.assessments import matrix_copies
from stoa.assessments.api import serializers as s
from stoa.assessments.models import Answer, Assessment, Scenario
from stoa.assessments.proposals import refresh_proposals
from stoa.assessments.services import CannotCreate, create_assessment
from stoa.audit.actor import acting_as


def _filter(model: type, field: str, label: Any) -> type[django_filters.FilterSet]:
    """``?<field>=<id>``, compared as a plain value: an id one may not see gives an empty list."""
    meta = type("Meta", (), {"model": model, "fields": [field]})
    attrs = {field: django_filters.UUIDFilter(field_name=f"{field}_id", label=label), "Meta": meta}
    return type(f"{model.__name__}Filter", (django_filters.FilterSet,), attrs)


class AssessmentViewSet(OrgScopedViewSet):
    """Assessments of the public spaces the caller may see (their own and those shared with them)."""

    queryset = Assessment.objects.select_related("site")
    serializer_class = s.AssessmentSerializer
    filterset_class = _filter(Assessment, "site", _("Site"))
    parent_field = "site"

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        if self.action != "list":
            return queryset
        # Fifty copies of nearly the same 20 KB matrix, and fifty site outlines nobody shows:
        # AssessmentListSerializer reads each distinct copy once.
        return matrix_copies.without_copies(queryset.defer("site__boundary"))

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        self.check_parent(data["site"])
        fields = {k: v for k, v in data.items() if k in ("managing_body", "depth", "review_cycle_months", "lead")}
        fields["lead"] = fields.get("lead") or self.request.user
        try:
            with acting_as(self.request.user):
                serializer.instance = create_assessment(data["site"], user=self.request.user, date=data["date"],
                                                        **fields)
        except CannotCreate as exc:
            raise serializers.ValidationError({"detail": [str(exc)]}) from exc


class AnswerViewSet(OrgScopedViewSet):
    """Answers to the question bank. Each caller writes only their own; all are visible to the team."""

    queryset = Answer.objects.select_related("assessment")
    serializer_class = s.AnswerSerializer
    filterset_class = _filter(Answer, "assessment", _("Assessment"))
    parent_field = "assessment"

    def extra_save_kwargs(self) -> dict[str, Any]:
        return {"assessor": self.request.user}

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        with transaction.atomic():
            super().perform_create(serializer)
            refresh_proposals(serializer.instance.assessment)  # type: ignore[union-attr]

    def check_own(self, answer: Answer) -> None:
        if answer.assessor_id != self.request.user.pk:
            raise PermissionDenied(_("You can change only your own answers."))

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        self.check_own(serializer.instance)  # type: ignore[arg-type]
        with transaction.atomic():
            super().perform_update(serializer)
            refresh_proposals(serializer.instance.assessment)  # type: ignore[union-attr]

    def perform_destroy(self, instance: Answer) -> None:
        self.check_own(instance)
        assessment = instance.assessment
        with transaction.atomic():
            super().perform_destroy(instance)
            refresh_proposals(assessment)


class ScenarioViewSet(OrgScopedViewSet):
    """The ten scenarios of each assessment: read, and change (narrative, rating). They are created
    with their assessment and removed with it."""

    queryset = Scenario.objects.select_related("assessment", "threat", "attack_phase")
    serializer_class = s.ScenarioSerializer
    filterset_class = _filter(Scenario, "assessment", _("Assessment"))
    http_method_names = ["get", "put", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet:
        # Each assessment's ten scenarios together, in threat order: a stable order for the pages
        # (threat order alone ties across every assessment), which the (assessment, threat) index
        # serves without sorting the whole city's scenarios.
        queryset = super().get_queryset().order_by("assessment_id", "threat__order", "threat__ref_id", "pk")
        if self.action != "list":
            return queryset
        # The list shows only the reference objects' ref_id, and reads each assessment's frozen
        # matrix (about 20 KB) once in ScenarioListSerializer rather than once per scenario.
        unused = [f"{related}__{field}" for related in ("threat", "attack_phase")
                  for field in ("description", "translations", "data")]
        return queryset.defer("assessment__risk_matrix", *unused)
