"""Serializers of the assessments API. Model rules run through ``ModelCleanSerializer`` (400, never 500)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Manager
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from stoa.accounts.roles import Action
from stoa.api.base import allowed
from stoa.api.serializers import ModelCleanSerializer
from stoa.api.versioning import VersionedSerializerMixin
from stoa.assessments import matrix_copies
from stoa.assessments.answers import clean_value
from stoa.assessments.models import Answer, Assessment, Scenario
from stoa.assessments.proposals import question_objects
from stoa.library.models import ReferenceObject
from stoa.sites.api.serializers import ParentSiteField

_STAMPS = ["id", "created_at", "updated_at"]


class AssessmentListSerializer(serializers.ListSerializer):
    def to_representation(self, data: Any) -> list[Any]:
        assessments = list(data.all() if isinstance(data, Manager) else data)
        matrix_copies.share_copies(assessments)  # the list's query left the copies out (AssessmentViewSet)
        return super().to_representation(assessments)


class AssessmentSerializer(ModelCleanSerializer):
    """An assessment of one site. Creating one needs the right to change the site; its ten
    scenarios and its copy of the risk matrix are made by the server."""

    site = ParentSiteField(help_text=_("Id of the public space assessed; set on creation only."))
    clean_exclude = ("organisation", "site")

    class Meta:
        model = Assessment
        fields = [*_STAMPS, "site", "date", "managing_body", "depth", "status", "review_cycle_months", "lead",
                  "submitted_at", "submitted_by", "signed_off_at", "signed_off_by", "returned_reason",
                  "risk_matrix", "question_bank_urn", "question_bank_version", "previous"]
        read_only_fields = ["status", "risk_matrix", "question_bank_urn", "question_bank_version", "previous",
                            "submitted_at", "submitted_by", "signed_off_at", "signed_off_by", "returned_reason"]
        list_serializer_class = AssessmentListSerializer

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["site"] = serializers.PrimaryKeyRelatedField(read_only=True)
        # Only colleagues can be named: an id from elsewhere reads as unknown, as if it did not exist.
        user = self.context["request"].user if "request" in self.context else None
        people = get_user_model().objects
        fields["lead"] = serializers.PrimaryKeyRelatedField(
            queryset=people.filter(memberships__organisation__memberships__user=user).distinct()
            if getattr(user, "is_authenticated", False) else people.none(),
            required=False, allow_null=True,
            help_text=_("User id of the team lead (settles answers, submits); the creator when not given."))
        return fields


class VisibleAssessmentField(serializers.PrimaryKeyRelatedField):
    """An assessment the caller can see (others read as unknown) and may change (else 403)."""

    def get_queryset(self) -> Any:
        return Assessment.objects.for_user(self.context["request"].user, Action.VIEW)

    def to_internal_value(self, data: Any) -> Assessment:
        assessment = super().to_internal_value(data)
        if not allowed(self.context["request"].user, Action.CHANGE, assessment):
            raise PermissionDenied(_("Your role or this share does not allow changing this assessment."))
        return assessment


class AnswerSerializer(ModelCleanSerializer):
    """The caller's own answer to one question; the value is checked against the question's type."""

    assessment = VisibleAssessmentField()
    value = serializers.JSONField(allow_null=True, help_text=_(
        "A choice id (single, yes/no), a list of choice ids (multiple), a number, a text, or the id of a "
        "photo attached to the site. null clears the answer."))
    clean_exclude = ("organisation", "assessment", "assessor")

    class Meta:
        model = Answer
        fields = [*_STAMPS, "assessment", "question", "assessor", "value"]
        read_only_fields = ["assessor"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["assessment"] = serializers.PrimaryKeyRelatedField(read_only=True)
            fields["question"].read_only = True
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        assessment = attrs.get("assessment") or self.instance.assessment  # type: ignore[union-attr]
        ref_id = attrs.get("question") or self.instance.question  # type: ignore[union-attr]
        question = next((q for q in question_objects(assessment) if q.ref_id == ref_id), None)
        if question is None:
            raise serializers.ValidationError({"question": [
                _("There is no question %(id)s at this assessment's depth.") % {"id": ref_id}]})
        try:
            attrs["value"] = clean_value(question.data, attrs.get("value"), site=assessment.site)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"value": exc.messages}) from exc
        if self.instance is None and Answer.objects.filter(
                assessment=assessment, question=ref_id, assessor=self.context["request"].user).exists():
            raise serializers.ValidationError({"question": [
                _("You already answered this question; change that answer instead.")]})
        return super().validate(attrs)


def attach_matrices(scenarios: list[Scenario]) -> None:
    """Give each scenario's assessment its frozen matrix when the query left it out (see ScenarioViewSet).

    The copy is about 20 KB of JSON per assessment and a page of scenarios spans only a few
    assessments: one query reads each copy once, rather than once per scenario."""
    matrix_copies.share_copies([s.assessment for s in scenarios])


class ScenarioListSerializer(serializers.ListSerializer):
    def to_representation(self, data: Any) -> list[Any]:
        scenarios = list(data.all() if isinstance(data, Manager) else data)
        attach_matrices(scenarios)
        return super().to_representation(scenarios)


class ScenarioSerializer(VersionedSerializerMixin, ModelCleanSerializer):
    """One threat type's scenario and rating. Scenarios are made with their assessment."""

    threat: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="ref_id", read_only=True)
    attack_phase: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="ref_id", required=False, allow_null=True,
        queryset=ReferenceObject.objects.filter(kind="attack_phase"))
    level = serializers.SerializerMethodField(help_text=_("Risk level id of the rating on the assessment's matrix."))

    class Meta:
        model = Scenario
        fields = [*_STAMPS, "assessment", "threat", "narrative", "attack_phase", "location", "geometry",
                  "time_slot", "not_applicable", "not_applicable_reason", "proposed_likelihood",
                  "proposed_consequence", "likelihood", "consequence", "override_justification", "level",
                  "version"]
        read_only_fields = ["assessment", "proposed_likelihood", "proposed_consequence"]
        list_serializer_class = ScenarioListSerializer

    def get_level(self, scenario: Scenario) -> str | None:
        from stoa.assessments.matrix import matrix_of

        if not scenario.rated or scenario.not_applicable:
            return None
        # Parsed once per assessment: a list shows up to ten scenarios of each.
        matrices = self.context.setdefault("_scenario_matrices", {})
        try:
            if scenario.assessment_id not in matrices:
                matrices[scenario.assessment_id] = matrix_of(scenario.assessment).domain()
            return matrices[scenario.assessment_id].cell(scenario.likelihood, scenario.consequence).id
        except ValueError:
            return None
