"""The parts of one evaluation, under ``evaluations/{id}/``: alternatives, experts, scores, weightings.

Same rules as the pages: seeing the evaluation shows its parts; adding, changing or removing an
alternative or an expert needs ``change`` on the evaluation. A score is entered by the expert
themself (their panel seat linked to their account) or by someone who may change the
organisation's records. Weightings are a history: each POST adds one (``make_weighting``), the
latest counts, none is changed or removed. A frozen evaluation refuses every change with 409.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import permissions, serializers
from rest_framework.request import Request

from stoa.accounts.roles import Action
from stoa.audit.actor import acting_as
from stoa.evaluation.api import serializers as s
from stoa.evaluation.api.nested import NestedViewSet
from stoa.evaluation.api.views import frozen_reason
from stoa.evaluation.models import Alternative, Evaluation, Expert, Score, Stage, Weighting
from stoa.evaluation.weighting import make_weighting


class EvaluationPartViewSet(NestedViewSet):
    parent_model = Evaluation
    parent_kwarg = "evaluation_pk"
    parent_field = "evaluation"
    delete_action = Action.CHANGE  # as on the pages: removing a part is a change of the evaluation

    def locked(self, parent: Evaluation) -> str | None:
        return frozen_reason(parent)


class AlternativeViewSet(EvaluationPartViewSet):
    """Candidate solutions of the evaluation; ``shortlisted`` marks those going on to demonstration."""

    queryset = Alternative.objects.select_related("evaluation")
    serializer_class = s.AlternativeSerializer


class ExpertViewSet(EvaluationPartViewSet):
    """The scoring panel and the conflicts of interest each expert declared."""

    queryset = Expert.objects.select_related("evaluation")
    serializer_class = s.ExpertSerializer


class MayScore(permissions.IsAuthenticated):
    """Changing or removing a score: the scoring page's rule (``stoa.evaluation.views.panel.may_score``)."""

    def has_object_permission(self, request: Request, view: Any, obj: Score) -> bool:
        return request.method in permissions.SAFE_METHODS or s.may_score(request.user, obj.evaluation, obj.expert)


class ScoreFilter(django_filters.FilterSet):
    expert = django_filters.UUIDFilter(field_name="expert_id")
    alternative = django_filters.UUIDFilter(field_name="alternative_id")
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    criterion = django_filters.CharFilter()

    class Meta:
        model = Score
        fields = ["expert", "alternative", "stage", "criterion"]


class ScoreViewSet(EvaluationPartViewSet):
    """The panel's scores, one per expert × alternative × criterion × stage."""

    queryset = Score.objects.select_related("evaluation", "expert", "entered_by")
    serializer_class = s.ScoreSerializer
    filterset_class = ScoreFilter
    permission_classes = [MayScore]

    def check_create(self, parent: Evaluation) -> None:
        """Nothing here: the expert named in the body decides (``PanelExpertField``)."""

    def extra_save_kwargs(self) -> dict[str, Any]:
        return {"entered_by": self.request.user}

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        with acting_as(self.request.user):
            serializer.save(entered_by=self.request.user)


class WeightingViewSet(EvaluationPartViewSet):
    """The weightings made for the evaluation, latest first: method, raw inputs, weights, who and when."""

    queryset = Weighting.objects.select_related("evaluation", "created_by")
    serializer_class = s.WeightingSerializer
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data  # type: ignore[union-attr]
        try:
            with acting_as(self.request.user):
                serializer.instance = make_weighting(self.parent(), data["method"], data["inputs"],
                                                     data.get("note", ""), self.request.user)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"inputs": exc.messages}) from exc

