"""What the evaluation API computes: results, sensitivity, rank acceptability, the decision record.

These describe the plain dictionaries of ``stoa.evaluation.compute``, ``.sensitivity`` and
``.record``; the views render through them, so the published schema is what is returned. Cells of
the alternatives × criteria tables are flattened row by row (alternative by alternative), in the
order of ``alternatives`` and ``criteria``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from stoa.evaluation.compute import ACCEPTABILITY_SAMPLES
from stoa.evaluation.models import DecisionRecord

MAX_SAMPLES = 20_000


def _ids(help_text: Any = "") -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(), help_text=help_text)


def _cells(help_text: Any, child: serializers.Field | None = None) -> serializers.ListField:
    return serializers.ListField(child=child or serializers.FloatField(allow_null=True), help_text=help_text)


class MethodResultSerializer(serializers.Serializer):
    alternatives = _ids(_("Ids of the ranked alternatives (knocked-out ones left out)."))
    scores = _cells(_("Their scores with this method (null when there are no weights)."))
    ranks = serializers.ListField(child=serializers.IntegerField(), help_text=_("Their ranks, 1 = best."))


class ResultsSerializer(serializers.Serializer):
    alternatives = _ids(_("Ids of the alternatives in play, in table order."))
    criteria = _ids(_("Criterion ids, in table order."))
    weights = serializers.ListField(child=serializers.FloatField(), help_text=_("Weight of each criterion, sum 1."))
    raw = _cells(_("Panel score of each cell in the criterion's raw terms (null: nobody scored it)."))
    values = _cells(_("Each cell on the 1–5 value scale used for aggregation (a missing cell counts as the worst)."))
    missing = _cells(_("Whether nobody scored the cell."), serializers.BooleanField())
    spread = _cells(_("Standard deviation of the experts' scores of each cell at the current stage."))
    count = _cells(_("How many experts scored each cell at the current stage."), serializers.IntegerField())
    agreement = serializers.DictField(child=serializers.FloatField(allow_null=True), help_text=_(
        "Kendall's W per criterion id: agreement of the experts' rankings, 0–1 (null: too few scores)."))
    knocked_out = serializers.DictField(child=_ids(), help_text=_(
        "Alternative id → the must-have criteria it misses (or nobody scored); these are not ranked."))
    methods = serializers.DictField(child=MethodResultSerializer(), help_text=_(
        "weighted_sum, topsis and promethee_ii side by side."))
    method = serializers.CharField(help_text=_("The evaluation's chosen method."))
    ranking = _ids(_("Alternative ids by rank with the chosen method, best first."))
    tie_rule = serializers.CharField(help_text=_("How ties are broken."))


class SensitivityQuery(serializers.Serializer):
    criterion = serializers.CharField(help_text=_("The criterion id whose weight moves."))
    weight = serializers.FloatField(min_value=0, max_value=1, help_text=_(
        "Its new weight, 0–1; the other criteria share the rest in proportion to their weights."))


class RankedSerializer(serializers.Serializer):
    alternative = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField()


class SensitivitySerializer(serializers.Serializer):
    criterion = serializers.CharField()
    weight = serializers.FloatField()
    weights = serializers.DictField(child=serializers.FloatField(), help_text=_("The weights used, per criterion id."))
    ranking = RankedSerializer(many=True, help_text=_("The ranking with these weights, best first."))
    baseline = _ids(_("The ranking with the evaluation's own weights, best first."))


class BreakEvenSerializer(serializers.Serializer):
    first = serializers.CharField(allow_null=True, help_text=_("The alternative ranked first."))
    second = serializers.CharField(allow_null=True, help_text=_("The alternative ranked second."))
    weights = serializers.DictField(child=serializers.FloatField(), help_text=_("Current weight per criterion id."))
    break_even = serializers.DictField(child=serializers.FloatField(allow_null=True), help_text=_(
        "Per criterion id: the weight at which the first two swap places (null: no weight makes them swap)."))


class AcceptabilityQuery(serializers.Serializer):
    samples = serializers.IntegerField(required=False, default=ACCEPTABILITY_SAMPLES, min_value=100,
                                       max_value=MAX_SAMPLES, help_text=_("Weight draws, 100–20,000."))
    seed = serializers.IntegerField(required=False, default=0, min_value=0, max_value=2**32 - 1,
                                    help_text=_("Seed of the random draws: the same seed gives the same answer."))


class AcceptabilitySerializer(serializers.Serializer):
    alternatives = _ids(_("Ids of the ranked alternatives (knocked-out ones left out)."))
    matrix = serializers.ListField(child=serializers.ListField(child=serializers.FloatField()), help_text=_(
        "One row per alternative: the probability of each rank (1, 2, …) when the weights vary around the chosen "
        "ones (Dirichlet)."))
    samples = serializers.IntegerField()
    seed = serializers.IntegerField()


class FreezeRequest(serializers.Serializer):
    chosen = serializers.UUIDField(required=False, allow_null=True, help_text=_(
        "Id of the alternative chosen; null or left out when none is."))
    rationale = serializers.CharField(allow_blank=True, help_text=_("The reasons for the decision."))


class DecisionRecordSerializer(serializers.ModelSerializer):
    """The frozen decision: inputs, method and versions, outputs, and their SHA-256."""

    frozen_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    inputs = serializers.JSONField(read_only=True, help_text=_("Everything the result depends on."))
    outputs = serializers.JSONField(read_only=True, help_text=_(
        "The results of every method, break-even weights and rank acceptability at the time of the decision."))
    versions = serializers.JSONField(read_only=True, help_text=_("Versions of what computed it."))

    class Meta:
        model = DecisionRecord
        fields = ["id", "created_at", "evaluation", "chosen", "rationale", "inputs", "outputs", "versions", "sha256",
                  "frozen_by"]
        read_only_fields = fields


class RecomputeSerializer(serializers.Serializer):
    identical = serializers.BooleanField(help_text=_("Whether computing again from the stored inputs gives the "
                                                     "stored outputs."))
    checksum_ok = serializers.BooleanField(help_text=_("Whether the stored record still matches its SHA-256."))
    differences = _ids(_("The outputs that differ, if any."))
