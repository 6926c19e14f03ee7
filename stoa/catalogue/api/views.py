"""API viewsets of the measures catalogue. Same rules and same code as the catalogue pages.

* ``catalogue/measures/``: the caller's organisation's catalogue (shipped measures, with its own
  entries merged in), searched and filtered like the browse page (``stoa.catalogue.browse``).
  Reference content plus the caller's own entries: any authenticated caller reads it, nobody
  writes it here. A caller without a membership sees the shipped catalogue only.
* ``local-measures/``: the organisation's own entries, through ``OrgScopedViewSet`` (only the
  organisation that made one sees it).
* ``assessments/{id}/recommendations/``: the gap analysis (``stoa.catalogue.gaps``), a report:
  seeing the assessment is enough.
* ``whatif-options/``: options follow the assessment's site for access, like objectives; creating
  one needs ``change`` on the assessment, signed off or not (an option is not part of it).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from stoa.accounts.models import Organisation
from stoa.accounts.tenancy import memberships_of
from stoa.api.base import OrgScopedViewSet, resolve_organisation
from stoa.assessments.api.views import _filter
from stoa.assessments.matrix import matrix_of
from stoa.assessments.models import Assessment
from stoa.catalogue.api import serializers as s
from stoa.catalogue.browse import FACETS, browse
from stoa.catalogue.entries import Catalogue, CatalogueEntry, catalogue_for
from stoa.catalogue.gaps import GapReport, Proposal, ScenarioGap, gap_analysis
from stoa.catalogue.models import LocalMeasure, WhatIfOption
from stoa.core.catalogue.measures import DEFAULT_HORIZON_YEARS

MAX_QUERY = 200  # characters of a search kept, as on the browse page
UNSEEN = OpenApiResponse(description="no such assessment (or not visible to you)")


def catalogue_organisation(request: Request) -> Organisation | None:
    """The organisation whose catalogue the caller reads: ``?organisation=<short name>`` among their
    own, else the one ``resolve_organisation`` picks; None (the shipped catalogue) without a membership."""
    memberships = memberships_of(request.user)
    slug = request.query_params.get("organisation", "").strip()
    if slug:
        chosen = Organisation.objects.filter(pk__in=list(memberships), slug=slug).first()
        if chosen is None:
            raise serializers.ValidationError({"organisation": [_(
                "You are not a member of an organisation with this short name.")]})
        return chosen
    if not memberships:
        return None
    return resolve_organisation(request, None)


_FACET_HELP = {
    "threat": "threat type id the measure acts on, e.g. VEHICLE",
    "phase": "attack phase id, e.g. EXECUTION",
    "category": "technology category id, e.g. PHYSICAL",
    "type": "solution type: technological, physical_design or organisational_human",
    "cost": "capital cost band: under_10k, 10k_100k, 100k_500k or over_500k",
    "privacy": "privacy impact: none, low, medium or high",
    "timing": "structural or event (a measure for both matches either)",
    "origin": "shipped or local",
}
ORGANISATION_PARAM = OpenApiParameter(
    "organisation", str, description="Short name of one of your organisations whose catalogue to read; needed if "
    "you belong to several.")
LIST_PARAMS = [
    ORGANISATION_PARAM,
    OpenApiParameter("q", str, description="Full-text search over names, descriptions, effect bases and tags, in "
                     "every language."),
    *[OpenApiParameter(facet, str, many=True, explode=True, description=f"Repeatable; {text}. Several values of "
                       "one facet match any of them; several facets must all match.")
      for facet, text in _FACET_HELP.items()],
]


@extend_schema_view(
    list=extend_schema(summary="Your organisation's catalogue of measures, searched and filtered",
                       parameters=LIST_PARAMS),
    retrieve=extend_schema(
        summary="One measure of your organisation's catalogue",
        parameters=[OpenApiParameter("key", str, OpenApiParameter.PATH, description="A shipped measure's URN or "
                                     "local:<id>."), ORGANISATION_PARAM],
        responses={200: s.CatalogueEntrySerializer, 404: OpenApiResponse(description="not in your catalogue")}),
)
class CatalogueViewSet(viewsets.GenericViewSet):
    """Read-only: the shipped measures and the caller's organisation's own (``stoa.catalogue.entries``)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.CatalogueEntrySerializer
    filter_backends: list[Any] = []
    lookup_field = "key"
    lookup_value_regex = "[^/]+"  # URNs and local:<id> keys contain colons (and may contain dots)

    def catalogue(self) -> Catalogue:
        return catalogue_for(catalogue_organisation(self.request))

    def list(self, request: Request) -> Response:
        catalogue = self.catalogue()
        chosen = {facet: values for facet in FACETS if (values := request.query_params.getlist(facet))}
        query = request.query_params.get("q", "").strip()[:MAX_QUERY]
        entries = browse(catalogue, query, chosen).entries
        page: list[CatalogueEntry] | None = self.paginate_queryset(entries)  # type: ignore[arg-type]
        rows = [s.CatalogueEntrySerializer.flatten(e) for e in (entries if page is None else page)]
        data = self.get_serializer(rows, many=True).data
        return Response(data) if page is None else self.get_paginated_response(data)

    def retrieve(self, request: Request, key: str | None = None) -> Response:
        entry = self.catalogue().get(key or "")
        if entry is None:
            raise NotFound()
        return Response(self.get_serializer(s.CatalogueEntrySerializer.flatten(entry)).data)


class LocalMeasureViewSet(OrgScopedViewSet):
    """The caller's organisations' own catalogue entries (only the organisation that made one sees it)."""

    queryset = LocalMeasure.objects.select_related("organisation")
    serializer_class = s.LocalMeasureSerializer

    def extra_save_kwargs(self) -> dict[str, Any]:
        return {"created_by": self.request.user}


def _proposal(proposal: Proposal) -> dict[str, Any]:
    rec, entry = proposal.recommendation, proposal.entry
    return {
        "measure": entry.key, "name": entry.name, "rank": rec.rank, "likelihood": rec.likelihood,
        "consequence": rec.consequence, "reduction": rec.reduction, "cost": rec.cost, "per_euro": rec.per_euro,
        "effect": {"likelihood": proposal.effect[0], "consequence": proposal.effect[1]}, "basis": proposal.basis,
        # gap_analysis lists the phases in the order of the measure's data: pair each with its id.
        "phases": [{"id": ref_id, "name": phase["name"], "focus": phase["focus"]}
                   for ref_id, phase in zip(entry.data.get("phases", []), proposal.phases, strict=True)],
        "answers": [{key: answer[key] for key in ("question", "answer", "dimension", "delta", "answered_by_measure")}
                    for answer in proposal.answers],
        "desirable_unmet": [r.pk for r in proposal.desirable_unmet],
    }


def _scenario_gap(gap: ScenarioGap) -> dict[str, Any]:
    scenario = gap.scenario
    return {
        "scenario": scenario.pk, "threat": scenario.threat.ref_id,
        "attack_phase": scenario.attack_phase.ref_id if scenario.attack_phase is not None else None,
        "likelihood": scenario.likelihood, "consequence": scenario.consequence, "level": gap.level.id,
        "objectives": [o.pk for o in gap.objectives], "proposals": [_proposal(p) for p in gap.proposals],
        "excluded": [{"measure": entry.key, "requirements": [r.pk for r in failing]}
                     for entry, failing in gap.excluded],
        "excluded_by_run_up": [{"measure": entry.key, "reason": reason} for entry, reason in gap.engineering_excluded],
    }


def report_payload(report: GapReport) -> dict[str, Any]:
    return {"assessment": report.assessment.pk, "level": report.level_id, "levels": report.levels,
            "only_objectives": report.only_objectives, "horizon_years": report.horizon_years,
            "present": [e.key for e in report.present], "scenarios": [_scenario_gap(g) for g in report.gaps]}


class RecommendationsViewSet(OrgScopedViewSet):
    """One action on one assessment; its list and detail routes belong to ``AssessmentViewSet``."""

    queryset = Assessment.objects.select_related("site", "organisation")
    serializer_class = s.RecommendationsSerializer

    @extend_schema(
        summary="The gap analysis: the measures that would lower each serious scenario's risk most per euro, and why",
        parameters=[s.RecommendationsQuery],
        responses={200: s.RecommendationsSerializer,
                   400: OpenApiResponse(description="a setting is wrong: errors says which"), 404: UNSEEN})
    def recommendations(self, request: Request, pk: Any = None) -> Response:
        assessment = self.get_object()  # a report: seeing the assessment is enough
        settings = s.RecommendationsQuery(data=request.query_params)
        settings.is_valid(raise_exception=True)
        chosen = settings.validated_data
        levels = [level.id for level in matrix_of(assessment).domain().levels]
        level = chosen.get("level")
        if level is not None and level not in levels:
            raise serializers.ValidationError({"level": [_("Choose one of this assessment's risk levels: %(ids)s.")
                                                         % {"ids": ", ".join(levels)}]})
        report = gap_analysis(assessment, level_id=level, only_objectives=chosen["only_objectives"],
                              horizon_years=chosen.get("horizon") or DEFAULT_HORIZON_YEARS, limit=chosen.get("limit"))
        return Response(s.RecommendationsSerializer(report_payload(report)).data)


recommendations_view = RecommendationsViewSet.as_view({"get": "recommendations"})


class WhatIfOptionViewSet(OrgScopedViewSet):
    """What-if options of the assessments the caller may see, each with its outcome on the ratings."""

    queryset = WhatIfOption.objects.select_related("assessment", "assessment__organisation")
    serializer_class = s.WhatIfOptionSerializer
    filterset_class = _filter(WhatIfOption, "assessment", _("Assessment"))
    parent_field = "assessment"

    def extra_save_kwargs(self) -> dict[str, Any]:
        return {"created_by": self.request.user}
