"""API of the action plans, with the pages' rules and access.

* ``plans/``: a plan follows its public space for access (like the assessment); creating one needs
  ``change`` on the public space, changing one ``change``, removing one ``delete``.
* ``plans/{id}/measures/`` (list, create) and ``plan-measures/{id}/`` (retrieve, update, remove):
  every change to a plan's items needs ``change`` on the plan; dependencies must be items of the
  same plan and form no cycle (400 with the path).
* ``plans/{id}/residual/``: the risk the plan leaves, per scenario (``stoa.plans.residual``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from stoa.accounts.roles import Action
from stoa.api.base import OrgScopedViewSet
from stoa.assessments.api.views import _filter
from stoa.catalogue.api.serializers import outcome_payload
from stoa.evaluation.api.nested import NestedViewSet, PartPermission
from stoa.plans.api import serializers as s
from stoa.plans.city import annotate_plans
from stoa.plans.models import ActionPlan, PlannedMeasure
from stoa.plans.residual import plan_residual

UNSEEN = OpenApiResponse(description="no such plan (or not visible to you)")


class PlanViewSet(OrgScopedViewSet):
    """Action plans of the public spaces the caller may see."""

    queryset = ActionPlan.objects.select_related("site", "assessment").prefetch_related("plannedmeasures")
    serializer_class = s.PlanSerializer
    filterset_class = _filter(ActionPlan, "site", _("Public space"))
    parent_field = "site"

    def get_queryset(self) -> QuerySet:
        if self.action != "list":
            return super().get_queryset()
        # A page of plans: their figures as SQL annotations, not every item of every plan loaded; the
        # serializer gives the site and assessment as ids, so their rows (the assessment's matrix) are not read.
        return annotate_plans(ActionPlan.objects.for_user(self.request.user, Action.VIEW))

    def extra_save_kwargs(self) -> dict[str, Any]:
        return {"created_by": self.request.user}

    @extend_schema(summary="The risk the plan leaves: each scenario's current and residual rating",
                   responses={200: s.PlanResidualSerializer, 404: UNSEEN})
    @action(detail=True, methods=["get"])
    def residual(self, request: Request, pk: Any = None) -> Response:
        result = plan_residual(self.get_object())
        payload = outcome_payload(result.outcome) | {
            "removed_share": result.removed_share, "without_effect": [m.pk for m in result.without_effect]}
        return Response(s.PlanResidualSerializer(payload).data)


class PlanMeasuresViewSet(NestedViewSet):
    """The items of one plan (list, add)."""

    queryset = PlannedMeasure.objects.select_related("plan").prefetch_related("scenarios", "depends_on")
    serializer_class = s.PlannedMeasureSerializer
    parent_model = ActionPlan
    parent_kwarg = "plan_pk"
    parent_field = "plan"
    delete_action = Action.CHANGE


class PlannedMeasureViewSet(OrgScopedViewSet):
    """One item of a plan (read, change, remove: ``change`` on the plan)."""

    queryset = PlannedMeasure.objects.select_related("plan").prefetch_related("scenarios", "depends_on")
    serializer_class = s.PlannedMeasureSerializer
    permission_classes = [PartPermission]
    delete_action = Action.CHANGE
