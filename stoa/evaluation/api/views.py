"""API viewsets of the technology evaluation: criteria sets, evaluations, results and the decision.

* ``criteria-sets/``: the organisation's own criteria trees (only that organisation sees them);
  ``criteria-sources/``: what an evaluation can start from, shipped sets first.
* ``evaluations/``: follow the assessment's site for access, like what-if options; creating one
  needs ``change`` on the assessment. A frozen evaluation is a decision record: changing or
  removing it answers 409.
* ``evaluations/{id}/results/``, ``sensitivity/``, ``break-even/``, ``acceptability/``, ``record/``
  and ``record/check/`` are reports: seeing the evaluation is enough. ``freeze/`` needs
  ``change``, as on the decision page.

Its parts (alternatives, experts, scores, weightings) are in ``stoa.evaluation.api.parts``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from stoa.accounts.roles import Action
from stoa.api.base import OrgScopedViewSet, allowed
from stoa.assessments.api.views import _filter
from stoa.audit.actor import acting_as
from stoa.catalogue.api.views import ORGANISATION_PARAM, catalogue_organisation
from stoa.core import mcda
from stoa.evaluation.api import outputs as o
from stoa.evaluation.api import serializers as s
from stoa.evaluation.api.nested import Conflict
from stoa.evaluation.compute import compute, inputs_of
from stoa.evaluation.models import CriteriaSet, DecisionRecord, Evaluation, check_editable
from stoa.evaluation.record import FreezeError, freeze, recompute
from stoa.evaluation.sensitivity import acceptability, break_evens, reranked
from stoa.evaluation.shortlist import advance_stage
from stoa.evaluation.sources import criteria_sources

UNSEEN = OpenApiResponse(description="no such evaluation (or not visible to you)")
BAD_SETTING = OpenApiResponse(description="a parameter is wrong: errors says which")


def frozen_reason(evaluation: Evaluation) -> str | None:
    """The model's own message when EVALUATION is frozen, else None."""
    try:
        check_editable(evaluation)
    except DjangoValidationError as exc:
        return " ".join(exc.messages)
    return None


def refusal(message: Any, field: str = "non_field_errors") -> Response:
    """400 with MESSAGE as the detail, in the API's error shape."""
    return Response({"detail": message, "errors": {field: [message]}}, status=status.HTTP_400_BAD_REQUEST)


def _number(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


class CriteriaSetViewSet(OrgScopedViewSet):
    """The caller's organisations' own criteria trees, usually adapted from a shipped set."""

    queryset = CriteriaSet.objects.select_related("organisation", "created_by")
    serializer_class = s.CriteriaSetSerializer

    def extra_save_kwargs(self) -> dict[str, Any]:
        return {"created_by": self.request.user}


@extend_schema_view(list=extend_schema(summary="The criteria sets an evaluation can start from: shipped, then your "
                                               "organisation's own", parameters=[ORGANISATION_PARAM]))
class CriteriaSourceViewSet(viewsets.GenericViewSet):
    """Read-only: ``stoa.evaluation.sources.criteria_sources`` of the caller's organisation."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.CriteriaSourceSerializer
    filter_backends: list[Any] = []

    def list(self, request: Request) -> Response:
        sources = criteria_sources(catalogue_organisation(request))
        rows = [{"key": x.key, "label": x.label, "shipped": x.shipped} for x in sources]
        page: list[dict[str, Any]] | None = self.paginate_queryset(rows)  # type: ignore[arg-type]
        data = self.get_serializer(rows if page is None else page, many=True).data
        return Response(data) if page is None else self.get_paginated_response(data)


class EvaluationViewSet(OrgScopedViewSet):
    """Evaluations of the assessments the caller may see, with their results and decision."""

    queryset = Evaluation.objects.select_related("assessment", "created_by")
    serializer_class = s.EvaluationSerializer
    filterset_class = _filter(Evaluation, "assessment", _("Assessment"))
    parent_field = "assessment"

    def extra_save_kwargs(self) -> dict[str, Any]:
        return {"created_by": self.request.user}

    def get_object(self) -> Evaluation:
        evaluation: Evaluation = super().get_object()
        if self.action in ("update", "partial_update", "destroy") and (reason := frozen_reason(evaluation)):
            raise Conflict(reason)
        return evaluation

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        stage = serializer.validated_data.pop("stage", None)  # type: ignore[union-attr]
        with transaction.atomic(), acting_as(self.request.user):
            evaluation = serializer.save()
            if stage is not None and stage != evaluation.stage:
                try:
                    advance_stage(evaluation, stage)
                except DjangoValidationError as exc:
                    raise serializers.ValidationError({"stage": exc.messages}) from exc

    def _load(self, pk: Any, needed: str) -> Evaluation:
        evaluation = self.get_queryset().filter(pk=pk).first()
        if evaluation is None:
            raise NotFound()
        if not allowed(self.request.user, needed, evaluation):
            raise PermissionDenied(_("Your role or this share does not allow changing this evaluation."))
        return evaluation

    @extend_schema(summary="The ranking with every method, the panel's scores, spread and agreement",
                   responses={200: o.ResultsSerializer, 404: UNSEEN})
    @action(detail=True, methods=["get"], filter_backends=[])
    def results(self, request: Request, pk: Any = None) -> Response:
        return Response(o.ResultsSerializer(compute(inputs_of(self.get_object()))).data)

    @extend_schema(summary="The ranking when one criterion's weight moves and the others share the rest",
                   parameters=[o.SensitivityQuery],
                   responses={200: o.SensitivitySerializer, 400: BAD_SETTING, 404: UNSEEN})
    @action(detail=True, methods=["get"], filter_backends=[])
    def sensitivity(self, request: Request, pk: Any = None) -> Response:
        evaluation = self.get_object()
        query = o.SensitivityQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        criterion, weight = query.validated_data["criterion"], query.validated_data["weight"]
        if criterion not in evaluation.tree.ids:
            raise serializers.ValidationError({"criterion": [_("This evaluation has no criterion %(id)s.")
                                                             % {"id": criterion}]})
        inputs = inputs_of(evaluation)
        try:
            ranked, weights = reranked(inputs, criterion, weight)
        except mcda.McdaInputError as exc:
            raise serializers.ValidationError({"weight": [str(exc)]}) from exc
        return Response(o.SensitivitySerializer({
            "criterion": criterion, "weight": weight, "baseline": compute(inputs)["ranking"],
            "weights": dict(zip(evaluation.tree.ids, (float(w) for w in weights), strict=True)),
            "ranking": [{"alternative": a, "score": _number(x), "rank": r}
                        for a, x, r in zip(ranked.ids, ranked.scores, ranked.ranks, strict=True)]}).data)

    @extend_schema(summary="Per criterion, the weight at which the first two alternatives swap",
                   responses={200: o.BreakEvenSerializer, 404: UNSEEN})
    @action(detail=True, methods=["get"], url_path="break-even", url_name="break-even", filter_backends=[])
    def break_even(self, request: Request, pk: Any = None) -> Response:
        inputs = inputs_of(self.get_object())
        results = compute(inputs)
        ranking = results["ranking"]
        return Response(o.BreakEvenSerializer({
            "first": ranking[0] if ranking else None, "second": ranking[1] if len(ranking) > 1 else None,
            "weights": dict(zip(results["criteria"], results["weights"], strict=True)),
            "break_even": break_evens(inputs)}).data)

    @extend_schema(summary="Rank acceptability: each alternative's probability of each rank when the weights vary",
                   parameters=[o.AcceptabilityQuery],
                   responses={200: o.AcceptabilitySerializer, 400: BAD_SETTING, 404: UNSEEN})
    @action(detail=True, methods=["get"], filter_backends=[])
    def acceptability(self, request: Request, pk: Any = None) -> Response:
        evaluation = self.get_object()
        query = o.AcceptabilityQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        samples, seed = query.validated_data["samples"], query.validated_data["seed"]
        ids, matrix = acceptability(inputs_of(evaluation), samples=samples, seed=seed)
        return Response(o.AcceptabilitySerializer({
            "alternatives": ids, "matrix": [[float(p) for p in row] for row in matrix], "samples": samples,
            "seed": seed}).data)

    @extend_schema(summary="Record the decision and freeze the evaluation", request=o.FreezeRequest,
                   responses={201: o.DecisionRecordSerializer,
                              400: OpenApiResponse(description="it cannot be decided: detail says why (already "
                                                               "frozen, no reasons, nobody scored…)"),
                              403: OpenApiResponse(description="your role or the share does not allow changing it"),
                              404: UNSEEN})
    @action(detail=True, methods=["post"], filter_backends=[])
    def freeze(self, request: Request, pk: Any = None) -> Response:
        evaluation = self._load(pk, Action.CHANGE)
        body = o.FreezeRequest(data=request.data)
        body.is_valid(raise_exception=True)
        chosen_id = body.validated_data.get("chosen")
        chosen = evaluation.alternatives.filter(pk=chosen_id).first() if chosen_id else None
        if chosen_id and chosen is None:
            return refusal(_("The chosen solution is not an alternative of this evaluation."), "chosen")
        try:
            with acting_as(request.user):
                record = freeze(evaluation, request.user, chosen, body.validated_data["rationale"])
        except FreezeError as exc:
            return refusal(str(exc))
        return Response(o.DecisionRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    def _record(self) -> DecisionRecord:
        record = DecisionRecord.objects.filter(evaluation=self.get_object()).select_related("frozen_by").first()
        if record is None:
            raise NotFound(_("This evaluation is not frozen: it has no decision record yet."))
        return record

    @extend_schema(summary="The decision record of a frozen evaluation",
                   responses={200: o.DecisionRecordSerializer,
                              404: OpenApiResponse(description="no such evaluation, or not frozen yet")})
    @action(detail=True, methods=["get"], filter_backends=[])
    def record(self, request: Request, pk: Any = None) -> Response:
        return Response(o.DecisionRecordSerializer(self._record()).data)

    @extend_schema(summary="Compute the record again from its stored inputs and compare with its stored outputs",
                   responses={200: o.RecomputeSerializer,
                              404: OpenApiResponse(description="no such evaluation, or not frozen yet")})
    @action(detail=True, methods=["get"], url_path="record/check", url_name="record-check", filter_backends=[])
    def record_check(self, request: Request, pk: Any = None) -> Response:
        check = recompute(self._record())
        return Response(o.RecomputeSerializer({"identical": check.identical, "checksum_ok": check.checksum_ok,
                                               "differences": check.differences}).data)
