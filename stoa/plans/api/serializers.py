"""Serializers of the action-plan API. The rules are the pages' (``PlannedMeasure.clean``,
``stoa.plans.rules``), so a refused body answers 400 with the same messages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stoa.accounts.roles import Action
from stoa.api.serializers import ModelCleanSerializer
from stoa.api.versioning import VersionedSerializerMixin
from stoa.assessments.models import Assessment, Scenario
from stoa.catalogue.api.serializers import OutcomeSerializer
from stoa.evaluation.api.nested import PartSerializer
from stoa.plans.city import mean_progress
from stoa.plans.models import ActionPlan, ItemStatus, PlannedMeasure
from stoa.plans.rules import check_dependencies, start_warnings
from stoa.sites.api.fields import VisibleSiteField

_STAMPS = ["id", "created_at", "updated_at"]


class VisibleAssessmentField(serializers.PrimaryKeyRelatedField):
    """An assessment the caller can see; any other id reads as unknown."""

    def get_queryset(self) -> Any:
        return Assessment.objects.for_user(self.context["request"].user, Action.VIEW)


class _Visible(serializers.PrimaryKeyRelatedField):
    model: Any = None

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return self.model.objects.for_user(request.user, Action.VIEW) if request else self.model.objects.none()


class VisibleScenarioField(_Visible):
    model = Scenario


class VisibleItemField(_Visible):
    model = PlannedMeasure


class PlanSerializer(VersionedSerializerMixin, ModelCleanSerializer):
    """The action plan of one public space, against the scenarios of one of its assessments."""

    site = VisibleSiteField(help_text=_("Id of the public space; set on creation only."))
    assessment = VisibleAssessmentField(help_text=_("Id of an assessment of that public space; set on creation only."))
    progress = serializers.SerializerMethodField(help_text=_("Mean progress of the items not cancelled (%)."))
    capital_eur = serializers.SerializerMethodField(help_text=_("Capital cost of the items not cancelled."))
    yearly_eur = serializers.SerializerMethodField(help_text=_("Yearly cost of the items not cancelled."))

    class Meta:
        model = ActionPlan
        fields = [*_STAMPS, "site", "assessment", "title", "status", "owner_name", "review_every_months",
                  "last_reviewed", "next_review", "notes", "progress", "capital_eur", "yearly_eur", "version"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if isinstance(self.instance, ActionPlan):
            fields["site"] = serializers.PrimaryKeyRelatedField(read_only=True)
            fields["assessment"] = serializers.PrimaryKeyRelatedField(read_only=True)
        return fields

    def _counted(self, plan: ActionPlan) -> list[PlannedMeasure]:
        return [m for m in plan.plannedmeasures.all() if m.status != ItemStatus.CANCELLED]

    # The list annotates its plans (``stoa.plans.city.annotate_plans``); one plan is summed up here.
    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_progress(self, plan: ActionPlan) -> int | None:
        if hasattr(plan, "mean_progress"):
            return mean_progress(plan.mean_progress)
        counted = self._counted(plan)
        return round(sum(m.progress for m in counted) / len(counted)) if counted else None

    @extend_schema_field(serializers.IntegerField())
    def get_capital_eur(self, plan: ActionPlan) -> int:
        if hasattr(plan, "capital"):
            return int(plan.capital)
        return sum(m.capital_eur for m in self._counted(plan))

    @extend_schema_field(serializers.IntegerField())
    def get_yearly_eur(self, plan: ActionPlan) -> int:
        if hasattr(plan, "yearly"):
            return int(plan.yearly)
        return sum(m.yearly_eur for m in self._counted(plan))


class PlannedMeasureSerializer(VersionedSerializerMixin, PartSerializer):
    """One measure of a plan. ``depends_on`` lists items of the same plan (no cycle); ``scenarios``
    scenarios of the plan's assessment. ``warnings``: a start before a dependency's end."""

    parent_name = "plan"
    scenarios = VisibleScenarioField(many=True, required=False)
    depends_on = VisibleItemField(many=True, required=False)
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = PlannedMeasure
        fields = [*_STAMPS, "plan", "name", "catalogue_key", "source", "source_ref", "scenarios", "owner",
                  "owner_email", "capital_eur", "yearly_eur", "start", "end", "status", "progress", "horizon",
                  "depends_on", "notes", "is_overdue", "warnings", "version"]
        read_only_fields = ["plan", "source", "source_ref", "is_overdue"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_warnings(self, item: PlannedMeasure) -> list[str]:
        return start_warnings(item)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        related = {name: attrs.pop(name) for name in ("scenarios", "depends_on") if name in attrs}
        attrs = super().validate(attrs)
        plan = attrs.get("plan") or getattr(self.instance, "plan", None)
        if attrs.get("status") == ItemStatus.DONE:
            attrs["progress"] = 100
        if plan is not None:
            foreign = [str(s) for s in related.get("scenarios", []) if s.assessment_id != plan.assessment_id]
            if foreign:
                raise serializers.ValidationError({"scenarios": [_(
                    "Only scenarios of the plan's assessment can be treated: %(names)s.") % {
                    "names": ", ".join(foreign)}]})
            if "depends_on" in related:
                try:
                    check_dependencies(self.instance or PlannedMeasure(plan=plan), related["depends_on"])
                except DjangoValidationError as exc:
                    raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        return attrs | related


class PlanResidualSerializer(OutcomeSerializer):
    removed_share = serializers.FloatField(help_text=_("Share of the current risk score the plan removes (0–1)."))
    without_effect = serializers.ListField(child=serializers.UUIDField(), help_text=_(
        "Items counted but without a catalogue entry, so with no known effect."))
