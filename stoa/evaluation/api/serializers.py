"""Serializers of the evaluation API: criteria sets, evaluations and their parts.

Every rule of the models runs through ``ModelCleanSerializer`` (400 with the field's message): a
criteria tree is checked by the library schema, a score by its criterion's scale
(``CriteriaTree.score_problem``). The results, sensitivity and record serializers are in
``stoa.evaluation.api.outputs``.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from stoa.accounts.roles import Action
from stoa.api.base import CallersOrganisationField
from stoa.api.serializers import ModelCleanSerializer
from stoa.assessments.api.serializers import VisibleAssessmentField
from stoa.assessments.models import Scenario
from stoa.catalogue.entries import catalogue_for
from stoa.evaluation.api.nested import PartSerializer
from stoa.evaluation.compute import weights_of
from stoa.evaluation.models import (
    Alternative,
    AlternativeKind,
    CriteriaSet,
    Evaluation,
    Expert,
    Score,
    Weighting,
    WeightMethod,
)
from stoa.evaluation.sources import OWN_PREFIX, criteria_source
from stoa.evaluation.views.panel import may_score  # the scoring page's rule, one for both
from stoa.evaluation.weighting import ahp_warning
from stoa.procurement.models import Submission, SubmissionStatus

_STAMPS = ["id", "created_at", "updated_at"]


def _username(**kwargs: Any) -> serializers.SlugRelatedField:
    # allow_null: the person may have been removed since (the foreign key is SET_NULL); the schema says so.
    return serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True, **kwargs)


class CriteriaSetSerializer(ModelCleanSerializer):
    """An organisation's own criteria tree; ``data`` has the shape of a shipped criteria set."""

    organisation = CallersOrganisationField(
        required=False, help_text=_("Short name of the owning organisation; set on creation only. Defaults to "
                                    "your organisation when you belong to one."))
    key = serializers.SerializerMethodField(help_text=_("The key to start an evaluation with: own:<id>."))
    created_by = _username()

    class Meta:
        model = CriteriaSet
        fields = [*_STAMPS, "organisation", "key", "name", "description", "based_on", "data", "created_by"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["data"].help_text = _("The criteria tree: cost_horizon_years and groups of criteria, in the shape of "
                                     "a shipped criteria set (checked by the same schema).")
        if self.instance is not None:
            fields["organisation"].read_only = True
        return fields

    def get_key(self, obj: CriteriaSet) -> str:
        return f"{OWN_PREFIX}{obj.pk}"


class CriteriaSourceSerializer(serializers.Serializer):
    """A criteria set an evaluation can start from: shipped, or the organisation's own."""

    key = serializers.CharField(help_text=_("A shipped set's URN, or own:<id>."))
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not the serializer's label
    shipped = serializers.BooleanField()


class VisibleScenarioField(serializers.PrimaryKeyRelatedField):
    """A vulnerability (scenario) the caller can see; others read as unknown."""

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        if request is None:
            return Scenario.objects.none()
        return Scenario.objects.for_user(request.user, Action.VIEW).filter(not_applicable=False)


class EvaluationSerializer(ModelCleanSerializer):
    """An evaluation of candidate solutions for one vulnerability; its criteria are copied from
    ``criteria_source`` when it is created and never change afterwards."""

    assessment = VisibleAssessmentField(help_text=_("Id of the assessment; set on creation only."))
    scenario = VisibleScenarioField(required=False, allow_null=True, help_text=_(
        "Id of the scenario (vulnerability) of the same assessment whose risk the solutions should reduce."))
    criteria_source = serializers.CharField(max_length=250, help_text=_(
        "On creation: the key of a criteria set from criteria-sources/ (a shipped set's URN or own:<id>). "
        "Afterwards: where the criteria were copied from."))
    criteria = serializers.JSONField(read_only=True, help_text=_("The evaluation's own copy of the criteria tree."))
    weights = serializers.SerializerMethodField(help_text=_(
        "Current weight per criterion id (the latest weighting, else the set's default points), summing to 1."))
    # Plain strings, not choices: "status" already names the assessment's statuses in the schema.
    status = serializers.CharField(read_only=True, help_text=_("draft, or frozen once the decision is recorded."))
    created_by = _username()
    clean_exclude = ("organisation", "assessment")

    class Meta:
        model = Evaluation
        fields = [*_STAMPS, "assessment", "scenario", "title", "purpose", "criteria_source", "criteria", "weights",
                  "method", "topsis_normalization", "promethee_preference", "stage", "shortlist_size", "status",
                  "created_by"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["stage"].help_text = _("The current stage. Afterwards it only moves forward (rfi → demonstration → "
                                      "tabletop), and only once alternatives are shortlisted.")
        if self.instance is not None:
            fields["assessment"] = serializers.PrimaryKeyRelatedField(read_only=True)
            fields["criteria_source"].read_only = True
        return fields

    def get_weights(self, evaluation: Evaluation) -> dict[str, float]:
        return weights_of(evaluation)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            key = attrs.get("criteria_source", "")
            source = criteria_source(attrs["assessment"].organisation, key)
            if source is None:
                raise serializers.ValidationError({"criteria_source": [_(
                    "No criteria set has the key %(key)s: choose one listed by criteria-sources/.") % {"key": key}]})
            attrs["criteria"], attrs["criteria_source"] = copy.deepcopy(source.data), source.key
        return super().validate(attrs)


class EvaluationPartSerializer(PartSerializer):
    evaluation: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    parent_name = "evaluation"


class AlternativeSerializer(EvaluationPartSerializer):
    """A candidate solution: a catalogue measure (by its key), an RFI answer (by its id) or one
    described here. Catalogue measures and answers bring their facts, which suggest scores."""

    submission = serializers.PrimaryKeyRelatedField(
        queryset=Submission.objects.none(), required=False, allow_null=True,
        help_text=_("Id of a submitted RFI answer you may see (kind submission)."))
    name = serializers.CharField(max_length=200, required=False, help_text=_(
        "Defaults to the catalogue measure's or the answer's name."))

    class Meta:
        model = Alternative
        fields = [*_STAMPS, "evaluation", "kind", "name", "description", "catalogue_key", "submission", "facts",
                  "shortlisted"]
        read_only_fields = ["facts"]
        validators: list[Any] = []  # one per catalogue entry: checked in validate() with a clearer message

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            submission: Any = fields["submission"]
            submission.queryset = Submission.objects.for_user(request.user, Action.VIEW).filter(
                status=SubmissionStatus.SUBMITTED)
        if self.instance is not None:  # what it is stays; its name, description and shortlist tick change
            for name in ("kind", "catalogue_key", "submission"):
                fields[name].read_only = True
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            self._fill_from_source(attrs, self.context["parent"])
        return super().validate(attrs)

    def _fill_from_source(self, attrs: dict[str, Any], evaluation: Evaluation) -> None:
        kind = attrs.get("kind", AlternativeKind.OTHER)
        key, submission = attrs.get("catalogue_key", ""), attrs.get("submission")
        if kind == AlternativeKind.CATALOGUE:
            entry = catalogue_for(evaluation.organisation_id).get(key)
            if entry is None:
                raise serializers.ValidationError({"catalogue_key": [_("Not in the catalogue: %(key)s.")
                                                                     % {"key": key or "—"}]})
            if evaluation.alternatives.filter(catalogue_key=entry.key).exists():
                raise serializers.ValidationError({"catalogue_key": [_(
                    "This measure is already an alternative of this evaluation.")]})
            attrs.update(catalogue_key=entry.key, facts=copy.deepcopy(entry.data), submission=None)
            attrs.setdefault("name", entry.name[:200])
            attrs.setdefault("description", entry.description)
        elif kind == AlternativeKind.SUBMISSION:
            if submission is None:
                raise serializers.ValidationError({"submission": [_("Give the id of a submitted answer.")]})
            if Alternative.objects.filter(submission=submission).exists():
                raise serializers.ValidationError({"submission": [_("This answer is already an alternative.")]})
            attrs.update(catalogue_key="", facts=submission.facts())
            attrs.setdefault("name", f"{submission.solution} ({submission.organisation.name})"[:200])
            attrs.setdefault("description", submission.description)
        elif key or submission is not None:
            raise serializers.ValidationError({"kind": [_(
                "Set kind to catalogue for a catalogue key, or to submission for an answer.")]})


class ExpertSerializer(EvaluationPartSerializer):
    """A member of the scoring panel. Linking their Stoa account lets them enter their own scores."""

    has_conflict = serializers.BooleanField(read_only=True, help_text=_("Whether a conflict of interest is declared."))

    class Meta:
        model = Expert
        fields = [*_STAMPS, "evaluation", "name", "user", "affiliation", "expertise", "conflicts", "has_conflict"]
        extra_kwargs = {"conflicts": {"allow_blank": True}}  # the model says what to write instead
        validators: list[Any] = []  # one seat per user: checked in validate() with a clearer message

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        evaluation = self.context.get("parent")
        people = get_user_model().objects
        user: Any = fields["user"]
        user.queryset = (people.filter(memberships__organisation_id=evaluation.organisation_id).distinct()
                         if evaluation is not None else people.none())
        user.help_text = _("User id of a member of the evaluation's organisation, or null.")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        evaluation = self.context["parent"]
        user = attrs.get("user")
        if user is not None:
            taken = evaluation.experts.filter(user=user)
            if self.instance is not None:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                raise serializers.ValidationError({"user": [_("This person already has a seat on the panel.")]})
        return super().validate(attrs)


class PanelExpertField(serializers.PrimaryKeyRelatedField):
    """An expert of this evaluation whose scores the caller may enter (else 403)."""

    def get_queryset(self) -> Any:
        evaluation = self.context.get("parent")
        return evaluation.experts.all() if evaluation is not None else Expert.objects.none()

    def to_internal_value(self, data: Any) -> Expert:
        expert = super().to_internal_value(data)
        if not may_score(self.context["request"].user, self.context["parent"], expert):
            raise PermissionDenied(_("Only this expert, or someone who may change the evaluation, enters these "
                                     "scores."))
        return expert


class EvaluationAlternativeField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> Any:
        evaluation = self.context.get("parent")
        return evaluation.alternatives.all() if evaluation is not None else Alternative.objects.none()


class ScoreSerializer(EvaluationPartSerializer):
    """One expert's raw score of one alternative on one criterion at one stage: a whole number 1–5 on
    an ordinal scale, or the measured quantity in the criterion's unit."""

    expert = PanelExpertField(help_text=_("Id of an expert of this evaluation; set on creation only."))
    alternative = EvaluationAlternativeField(help_text=_("Id of an alternative of this evaluation; set on creation "
                                                         "only."))
    entered_by = _username()

    class Meta:
        model = Score
        fields = [*_STAMPS, "evaluation", "expert", "alternative", "criterion", "stage", "value", "justification",
                  "entered_by"]
        validators: list[Any] = []  # one score per cell: checked in validate() with a clearer message

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["criterion"].help_text = _("A criterion id of the evaluation's criteria.")
        fields["stage"].help_text = _("Defaults to the evaluation's current stage.")
        if self.instance is not None:  # the cell stays; its value and justification change
            fields["expert"] = serializers.PrimaryKeyRelatedField(read_only=True)
            fields["alternative"] = serializers.PrimaryKeyRelatedField(read_only=True)
            fields["criterion"].read_only = fields["stage"].read_only = True
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        evaluation = self.context["parent"]
        if self.instance is None:
            attrs.setdefault("stage", evaluation.stage)
            if Score.objects.filter(expert=attrs["expert"], alternative=attrs["alternative"],
                                    criterion=attrs["criterion"], stage=attrs["stage"]).exists():
                raise serializers.ValidationError({"criterion": [_(
                    "This expert already scored this alternative on this criterion at this stage; change that "
                    "score instead.")]})
        return super().validate(attrs)


class AhpWarningSerializer(serializers.Serializer):
    ratio = serializers.FloatField(help_text=_("Saaty's consistency ratio of the judgements."))
    limit = serializers.FloatField(help_text=_("Above this (0.10) the judgements should be revisited."))
    first = serializers.CharField(help_text=_("The judgement to look at first: this group or criterion…"))
    second = serializers.CharField(help_text=_("…against this one."))
    judged = serializers.FloatField(help_text=_("What was judged (first over second)."))
    implied = serializers.FloatField(help_text=_("What the other judgements imply."))


class WeightingSerializer(EvaluationPartSerializer):
    """One elicitation of the weights, kept with who made it and when (its provenance)."""

    method = serializers.ChoiceField(choices=WeightMethod.choices)
    inputs = serializers.JSONField(help_text=_(
        "direct: {\"points\": {criterion: points}}; rank: {\"ranks\": {criterion: 1 = most important}}; "
        "swing: {\"swings\": {criterion: 0–100}}; ahp: {\"level\": \"groups\" or \"criteria\", \"items\": [ids in "
        "matrix order], \"matrix\": [[...], ...]} (Saaty's 1–9 scale and reciprocals)."))
    weights = serializers.DictField(child=serializers.FloatField(), read_only=True, help_text=_(
        "The weight each criterion id gets from these inputs."))
    warning = serializers.SerializerMethodField(help_text=_(
        "AHP only: set when the consistency ratio is above 0.10, naming the judgement to revisit first."))
    created_by = _username()

    class Meta:
        model = Weighting
        fields = ["id", "created_at", "evaluation", "method", "inputs", "note", "weights", "consistency_ratio",
                  "warning", "created_by"]
        read_only_fields = ["consistency_ratio"]

    @extend_schema_field(AhpWarningSerializer(allow_null=True))
    def get_warning(self, weighting: Weighting) -> dict[str, Any] | None:
        if weighting.method != WeightMethod.AHP:
            return None
        warning = ahp_warning(weighting.evaluation.tree, weighting.inputs, weighting.consistency_ratio)
        return None if warning is None else AhpWarningSerializer(warning).data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return attrs  # the inputs are checked by make_weighting, with a specific message

