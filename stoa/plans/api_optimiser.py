"""API of the budget optimisation: run one, read the kept runs, add a run's choice to the plans.

Same service as the pages (``stoa.plans.optimiser.run_optimisation``). A run is created in one of
the caller's organisations where their role allows adding (``organisation``, as elsewhere), over
that organisation's own public spaces only; runs are not shared. Nothing to optimise, or inputs
the optimiser refuses, answer 400 with the reason.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can, get_for_user
from stoa.api.base import CallersOrganisationField, OrgObjectPermission, resolve_organisation
from stoa.audit.actor import acting_as
from stoa.plans.from_optimiser import add_to_plans
from stoa.plans.models import OptimisationRun
from stoa.plans.optimiser import MODES, OptimisationError, run_optimisation
from stoa.sites.models import Site


class RunSerializer(serializers.ModelSerializer):
    organisation: Any = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    result = serializers.JSONField(read_only=True, help_text=_(
        "optimal and greedy results (chosen, costs, risk before/after, optimal, gap, solve time), options (every "
        "candidate with why it is in or out) and pareto (budget, risk left, candidates chosen)."))

    class Meta:
        model = OptimisationRun
        fields = ["id", "organisation", "name", "budget_eur", "yearly_budget_eur", "result", "created_at"]


class RunRequestSerializer(serializers.Serializer):
    organisation = CallersOrganisationField(required=False, help_text=_("Short name; needed if you have several."))
    name = serializers.CharField(max_length=200)
    budget_eur = serializers.IntegerField(min_value=0, max_value=10_000_000_000)
    yearly_budget_eur = serializers.IntegerField(min_value=0, max_value=10_000_000_000, required=False,
                                                 allow_null=True)
    mode = serializers.ChoiceField(choices=MODES, default="whatif")
    sites = serializers.ListField(child=serializers.UUIDField(), required=False, help_text=_(
        "Public spaces to include (default: every one of the organisation with a rated assessment)."))


class OptimisationRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """``optimisations/``: kept budget optimisation runs of the caller's organisations."""

    permission_classes = [OrgObjectPermission]
    serializer_class = RunSerializer
    queryset = OptimisationRun.objects.all()

    def get_queryset(self) -> Any:
        return OptimisationRun.objects.for_user(self.request.user, Action.VIEW).select_related("organisation")

    @extend_schema(request=RunRequestSerializer, responses={201: RunSerializer})
    def create(self, request: Request) -> Response:
        given = RunRequestSerializer(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        data = given.validated_data
        organisation = resolve_organisation(request, data.get("organisation"))
        if not can(request.user, Action.ADD, organisation):
            raise PermissionDenied(_("Your role does not allow adding records for this organisation."))
        sites = None
        if data.get("sites"):
            own = set(Site.objects.filter(organisation=organisation, pk__in=data["sites"]).values_list("pk", flat=True))
            unknown = [str(pk) for pk in data["sites"] if pk not in own]
            if unknown:
                raise serializers.ValidationError({"sites": [_("No such public space of the organisation: %(ids)s")
                                                              % {"ids": ", ".join(unknown)}]})
            sites = {str(pk) for pk in own}
        try:
            with acting_as(request.user):
                run = run_optimisation(organisation, name=data["name"], budget_eur=data["budget_eur"],
                                       yearly_budget_eur=data.get("yearly_budget_eur"), mode=data["mode"],
                                       site_ids=sites, user=request.user)
        except OptimisationError as exc:
            raise serializers.ValidationError({"detail": [str(exc)]}) from exc
        return Response(RunSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: inline_serializer("AddedToPlans", {
        "added": serializers.IntegerField(), "items": serializers.ListField(child=serializers.UUIDField())})})
    @action(detail=True, methods=["post"])
    def plans(self, request: Request, pk: Any = None) -> Response:
        """Add the run's chosen measures to the action plans (once; a second call adds nothing)."""
        run = get_for_user(OptimisationRun, request.user, Action.ADD, pk=pk)
        with acting_as(request.user):
            added = add_to_plans(run, request.user)
        return Response({"added": len(added), "items": [item.pk for item in added]})


router = DefaultRouter()
router.register("optimisations", OptimisationRunViewSet, basename="optimisation")
urlpatterns = router.urls
