"""Serializers of the catalogue API.

A measure's details (``data``) have the shape of a shipped measure and are checked by the same
schema (``catalogue_schema.MeasureFields``): a problem answers 400 naming the field inside the
details (``effects.0.likelihood: ...``), never 500. The read-only serializers here (catalogue
entries, recommendations, what-if outcomes) describe plain dictionaries built by the views; the
views render through them, so the published schema is what is returned.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from pydantic import ValidationError as SchemaError
from rest_framework import serializers

from stoa.api.base import CallersOrganisationField, resolve_organisation
from stoa.api.serializers import ModelCleanSerializer
from stoa.assessments.api.serializers import VisibleAssessmentField
from stoa.catalogue.entries import Catalogue, CatalogueEntry, catalogue_for
from stoa.catalogue.models import LocalMeasure, WhatIfOption, schema_messages
from stoa.catalogue.whatif import Outcome, evaluate
from stoa.library.catalogue_schema import APPLICATIONS, SOLUTION_TYPES, TIMINGS, MeasureFields
from stoa.library.models import ReferenceObject

_STAMPS = ["id", "created_at", "updated_at"]
DATA_FIELDS = ("technology_category", "solution_type", "timing", "application", "phases", "uses", "effects", "cost",
               "deploy_days", "trl", "privacy", "gdpr", "legal", "normal_use_impact", "aesthetic_impact",
               "accessibility_impact", "standards", "questions")
ENTRY_FIELDS = ("key", "name", "description", "origin", "replaces", "library", *DATA_FIELDS)
_DEFAULTS: dict[str, Any] = {"application": [], "phases": [], "uses": [], "effects": [], "standards": [],
                             "questions": [], "legal": None}
_IMPACT_HELP = _("none, low, medium or high")


def _band(help_text: Any) -> serializers.ListField:
    return serializers.ListField(child=serializers.IntegerField(min_value=0), min_length=2, max_length=2,
                                 help_text=help_text)


def _impact(what: Any) -> serializers.CharField:
    # Plain strings, not choices: four fields share one vocabulary, which would publish four enums.
    return serializers.CharField(help_text=format_lazy("{}: {}.", what, _IMPACT_HELP))


class TermSerializer(serializers.Serializer):
    """A short bilingual text."""

    en = serializers.CharField()
    fr = serializers.CharField()


class MeasureEffectSerializer(serializers.Serializer):
    threat = serializers.CharField(help_text=_("Threat type id, or ALL for every threat type not named on its own."))
    likelihood = serializers.FloatField(min_value=0, max_value=1, help_text=_("Share of the likelihood removed, 0–1."))
    consequence = serializers.FloatField(min_value=0, max_value=1,
                                         help_text=_("Share of the consequence removed, 0–1."))
    basis = TermSerializer(help_text=_("Why the effect is what it is."))


class CostSerializer(serializers.Serializer):
    capital_eur = _band(_("[low, high] capital cost in euros for one typical deployment."))
    yearly_eur = _band(_("[low, high] yearly running cost in euros."))
    basis = TermSerializer(help_text=_("What the typical deployment is."))


class MeasureDataSerializer(serializers.Serializer):
    """A measure's details: exactly the fields of a shipped measure beyond its identity."""

    technology_category = serializers.CharField(help_text=_("Technology category id, e.g. PHYSICAL."))
    solution_type = serializers.ChoiceField(choices=list(SOLUTION_TYPES))
    timing = serializers.ChoiceField(choices=list(TIMINGS))
    application = serializers.ListField(child=serializers.ChoiceField(choices=list(APPLICATIONS)),
                                        help_text=_("Points of application in a criminal act."))
    phases = serializers.ListField(child=serializers.CharField(), help_text=_("Attack phase ids it acts in."))
    uses = serializers.ListField(child=serializers.CharField(), help_text=_("Measure use ids, e.g. PROTECT."))
    effects = MeasureEffectSerializer(many=True)
    cost = CostSerializer()
    deploy_days = _band(_("[shortest, longest] time to deploy, in days."))
    trl = serializers.IntegerField(min_value=1, max_value=9, help_text=_("Technology readiness level, 1–9."))
    privacy = _impact(_("Privacy impact"))
    gdpr = serializers.BooleanField(help_text=_("Whether it processes personal data."))
    legal = TermSerializer(required=False, allow_null=True, help_text=_("Legal points to check."))
    normal_use_impact = _impact(_("Impact on normal use"))
    aesthetic_impact = _impact(_("Impact on the look of the place"))
    accessibility_impact = _impact(_("Impact on accessibility"))
    standards = serializers.ListField(child=serializers.CharField(), required=False)
    questions = serializers.ListField(child=serializers.CharField(), required=False, help_text=_(
        "Question-bank ids whose unfavourable answer this measure answers."))


def measure_data(data: dict[str, Any]) -> dict[str, Any]:
    """The data fields of a measure, each present (optional ones default to empty)."""
    return {name: data.get(name, _DEFAULTS.get(name)) for name in DATA_FIELDS}


class CatalogueEntrySerializer(MeasureDataSerializer):
    """One measure of the caller's catalogue: shipped, or their organisation's own."""

    key = serializers.CharField(help_text=_("The catalogue key: a shipped measure's URN, or local:<id>."))
    name = serializers.CharField()
    description = serializers.CharField()
    origin = serializers.ChoiceField(choices=["shipped", "local"])
    replaces = serializers.CharField(help_text=_("URN of the shipped measure a local entry stands in for, or \"\"."))
    library = serializers.CharField(help_text=_("\"<library URN> v<version>\" of a shipped measure, or \"\"."))

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        return {name: fields[name] for name in ENTRY_FIELDS}

    @staticmethod
    def flatten(entry: CatalogueEntry) -> dict[str, Any]:
        return {"key": entry.key, "name": entry.name, "description": entry.description,
                "origin": "local" if entry.is_local else "shipped", "replaces": entry.replaces,
                "library": entry.library, **measure_data(entry.data)}


@extend_schema_field(MeasureDataSerializer)
class MeasureDataField(serializers.JSONField):
    """A measure's details, checked by the shipped measures' schema and stored in its normal form."""

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        value = super().to_internal_value(data)
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("Give the measure's details as an object."))
        try:
            checked = MeasureFields.model_validate(value)
        except SchemaError as exc:
            raise serializers.ValidationError(schema_messages(exc)) from exc
        return checked.model_dump(mode="json")


class LocalMeasureSerializer(ModelCleanSerializer):
    """A measure of the organisation's own, or its own numbers for a shipped measure (``based_on``)."""

    organisation = CallersOrganisationField(
        required=False, help_text=_("Short name of the owning organisation; set on creation only. Defaults to "
                                    "your organisation when you belong to one."))
    key = serializers.CharField(read_only=True, help_text=_("Its catalogue key, local:<id>."))

    class Meta:
        model = LocalMeasure
        fields = ["id", "organisation", "key", "name", "description", "based_on", "data", "created_at",
                  "updated_at"]
        # The one-version-per-shipped-measure rule is checked in validate(): the organisation is
        # resolved there, so DRF's own unique validator would wrongly make it a required field.
        validators: list[Any] = []

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        # Set here rather than declared: a class attribute called "data" would hide Serializer.data.
        fields["data"] = MeasureDataField(help_text=_("The measure's details, in the shape of a shipped measure."))
        if self.instance is not None:  # a local measure stays with the organisation that made it
            fields["organisation"].read_only = True
        return fields

    def validate_based_on(self, value: str) -> str:
        if value and not ReferenceObject.objects.filter(kind="measure", urn=value).exists():
            raise serializers.ValidationError(_("No shipped measure has the URN %(urn)s.") % {"urn": value})
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            attrs["organisation"] = resolve_organisation(self.context["request"], attrs.get("organisation"))
        organisation = attrs.get("organisation") or self.instance.organisation  # type: ignore[union-attr]
        based_on = attrs.get("based_on", getattr(self.instance, "based_on", ""))
        if based_on:
            taken = LocalMeasure.objects.filter(organisation=organisation, based_on=based_on)
            if self.instance is not None:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                raise serializers.ValidationError({"based_on": [_(
                    "Your organisation already has its own version of this measure; change that one instead.")]})
        return super().validate(attrs)


# -- recommendations (the gap analysis) -----------------------------------------------------------


class RecommendationsQuery(serializers.Serializer):
    level = serializers.CharField(required=False, help_text=_(
        "Risk level id of the assessment's matrix from which scenarios are covered (default: high, else the "
        "matrix's second most severe level)."))
    only_objectives = serializers.BooleanField(required=False, default=False, help_text=_(
        "Only the scenarios an objective addresses."))
    horizon = serializers.IntegerField(required=False, min_value=1, max_value=30, help_text=_(
        "Years of running costs counted in a measure's cost (default 5)."))
    limit = serializers.IntegerField(required=False, min_value=1, max_value=1000, help_text=_(
        "At most this many proposals per scenario (default: all)."))


class EffectPairSerializer(serializers.Serializer):
    likelihood = serializers.FloatField(help_text=_("Share removed, 0–1."))
    consequence = serializers.FloatField(help_text=_("Share removed, 0–1."))


class ProposalPhaseSerializer(serializers.Serializer):
    id = serializers.CharField(help_text=_("Attack phase id."))
    name = serializers.CharField()
    focus = serializers.BooleanField(help_text=_("Whether it is the attack phase the scenario looks at."))


class ProposalAnswerSerializer(serializers.Serializer):
    question = serializers.CharField(help_text=_("The question, as worded in the question bank."))
    answer = serializers.CharField(help_text=_("The choice id, or the band of a number."))
    dimension = serializers.CharField(help_text=_("likelihood or consequence"))
    delta = serializers.FloatField(help_text=_("How much the answer raised the proposed rating."))
    answered_by_measure = serializers.BooleanField(help_text=_(
        "Whether the measure is written against this question's unfavourable answer."))


class ProposalSerializer(serializers.Serializer):
    measure = serializers.CharField(help_text=_("Catalogue key."))
    name = serializers.CharField()
    rank = serializers.IntegerField(help_text=_("1 = the most risk removed per euro."))
    likelihood = serializers.IntegerField(help_text=_("Residual likelihood with this measure added."))
    consequence = serializers.IntegerField(help_text=_("Residual consequence with this measure added."))
    reduction = serializers.FloatField(help_text=_("Fall in likelihood × consequence."))
    cost = serializers.FloatField(help_text=_("Middle-of-band cost over the horizon, in euros."))
    per_euro = serializers.FloatField(help_text=_("reduction / cost"))
    effect = EffectPairSerializer(help_text=_("The measure's effect on this scenario's threat type."))
    basis = serializers.CharField(help_text=_("Why the effect is what it is."))
    phases = ProposalPhaseSerializer(many=True)
    answers = ProposalAnswerSerializer(many=True, help_text=_(
        "Answers that pushed the proposed rating up on the factor the measure lowers."))
    desirable_unmet = serializers.ListField(child=serializers.UUIDField(), help_text=_(
        "Ids of desirable requirements the measure does not meet."))


class ExcludedSerializer(serializers.Serializer):
    measure = serializers.CharField(help_text=_("Catalogue key."))
    requirements = serializers.ListField(child=serializers.UUIDField(), help_text=_(
        "Ids of the must-have requirements it fails."))


class RunUpExcludedSerializer(serializers.Serializer):
    measure = serializers.CharField(help_text=_("Catalogue key."))
    reason = serializers.CharField(help_text=_("Why: the existing barriers stop every approach, or its rating is "
                                               "too low for the worst approach left."))


class ScenarioGapSerializer(serializers.Serializer):
    scenario = serializers.UUIDField()
    threat = serializers.CharField(help_text=_("Threat type id."))
    attack_phase = serializers.CharField(allow_null=True, help_text=_("The attack phase the scenario looks at."))
    likelihood = serializers.IntegerField()
    consequence = serializers.IntegerField()
    level = serializers.CharField(help_text=_("Risk level id of the rating."))
    objectives = serializers.ListField(child=serializers.UUIDField(), help_text=_(
        "Ids of the objectives addressing it."))
    proposals = ProposalSerializer(many=True)
    excluded = ExcludedSerializer(many=True, help_text=_("Measures left out by a must-have requirement."))
    excluded_by_run_up = RunUpExcludedSerializer(many=True, help_text=_(
        "Barriers left out by the scenario's vehicle run-up analysis."))


class RiskLevelSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class RecommendationsSerializer(serializers.Serializer):
    assessment = serializers.UUIDField()
    level = serializers.CharField(help_text=_("The risk level id from which scenarios are covered."))
    levels = RiskLevelSerializer(many=True, help_text=_("The levels of the assessment's matrix, least severe first."))
    only_objectives = serializers.BooleanField()
    horizon_years = serializers.IntegerField()
    present = serializers.ListField(child=serializers.CharField(), help_text=_(
        "Catalogue keys of measures already in place (not proposed)."))
    scenarios = ScenarioGapSerializer(many=True)


# -- what-if options ------------------------------------------------------------------------------


class RatingSerializer(serializers.Serializer):
    likelihood = serializers.IntegerField(allow_null=True)
    consequence = serializers.IntegerField(allow_null=True)
    level = serializers.CharField(allow_null=True, help_text=_("Risk level id on the assessment's matrix."))


class ScenarioOutcomeSerializer(serializers.Serializer):
    scenario = serializers.UUIDField()
    threat = serializers.CharField(help_text=_("Threat type id."))
    current = RatingSerializer(help_text=_("The team's rating (null values: not rated)."))
    residual = RatingSerializer(allow_null=True, help_text=_(
        "The rating with the option's measures added; null when not rated or not applicable."))
    lowered = serializers.BooleanField(help_text=_("Whether the option lowers the risk level."))
    measures = serializers.ListField(child=serializers.CharField(), help_text=_(
        "Catalogue keys of the option's measures acting on this scenario."))


class OutcomeSerializer(serializers.Serializer):
    capital_eur = _band(_("[low, high] capital cost of the measures added, in euros."))
    yearly_eur = _band(_("[low, high] yearly running cost, in euros."))
    cost_over_horizon = serializers.FloatField(help_text=_("Middle-of-band cost over the horizon, in euros."))
    horizon_years = serializers.IntegerField()
    current_total = serializers.FloatField(help_text=_("Sum of likelihood × consequence over rated scenarios."))
    residual_total = serializers.FloatField(help_text=_("The same sum once the measures are added."))
    lowered_count = serializers.IntegerField(help_text=_("Scenarios whose risk level falls."))
    already_present = serializers.ListField(child=serializers.CharField(), help_text=_(
        "Keys of measures already in place at the site (left out)."))
    unknown = serializers.ListField(child=serializers.CharField(), help_text=_(
        "Keys no longer in the catalogue (left out)."))
    scenarios = ScenarioOutcomeSerializer(many=True)


def outcome_payload(outcome: Outcome) -> dict[str, Any]:
    scenarios = []
    for o in outcome.scenarios:
        s = o.scenario
        after = o.residual
        scenarios.append({
            "scenario": s.pk, "threat": s.threat.ref_id,
            "current": {"likelihood": s.likelihood, "consequence": s.consequence,
                        "level": o.current_level.id if o.current_level is not None else None},
            "residual": None if after is None else {
                "likelihood": after.likelihood, "consequence": after.consequence, "level": o.residual_level.id},
            "lowered": o.lowered, "measures": [e.key for e in o.measures]})
    return {"capital_eur": list(outcome.capital_eur), "yearly_eur": list(outcome.yearly_eur),
            "cost_over_horizon": outcome.cost_over_horizon, "horizon_years": outcome.horizon_years,
            "current_total": outcome.current_total, "residual_total": outcome.residual_total,
            "lowered_count": outcome.lowered_count, "already_present": [e.key for e in outcome.already_present],
            "unknown": outcome.unknown, "scenarios": scenarios}


class WhatIfOptionSerializer(ModelCleanSerializer):
    """A named set of candidate measures for one assessment's public space, and what it would change."""

    assessment = VisibleAssessmentField(help_text=_("Id of the assessment; set on creation only."))
    measures = serializers.ListField(child=serializers.CharField(), required=False, help_text=_(
        "Catalogue keys of the candidate measures: a shipped measure's URN or local:<id>."))
    outcome = serializers.SerializerMethodField()
    clean_exclude = ("organisation", "assessment")

    class Meta:
        model = WhatIfOption
        fields = [*_STAMPS, "assessment", "name", "notes", "measures", "outcome"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["assessment"] = serializers.PrimaryKeyRelatedField(read_only=True)
        return fields

    def _catalogue(self, option: WhatIfOption) -> Catalogue:
        """The assessment's organisation's catalogue, built once per response."""
        cache = self.context.setdefault("catalogues", {}) if isinstance(self.context, dict) else {}
        organisation_id = option.assessment.organisation_id
        if organisation_id not in cache:
            cache[organisation_id] = catalogue_for(organisation_id)
        return cache[organisation_id]

    @extend_schema_field(OutcomeSerializer)
    def get_outcome(self, option: WhatIfOption) -> dict[str, Any]:
        outcome = evaluate(option.assessment, list(option.measures or []), self._catalogue(option))
        return OutcomeSerializer(outcome_payload(outcome)).data
