"""The overview page: where the organisation stands in the method, and what to do next."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from stoa.accounts.models import Organisation, OrganisationKind
from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can
from stoa.sites.models import AccessPoint, CrowdSlot, Site


def _inventory(visible: QuerySet[Site], org: Organisation) -> dict[str, int]:
    """How far the organisation's own inventory (step 1) has come, counted in one query."""
    own = Q(organisation=org)
    counts = visible.aggregate(
        own=Count("pk", filter=own),
        shared_with_us=Count("pk", filter=~own),
        no_boundary=Count("pk", filter=own & Q(boundary__isnull=True)),
        no_access_points=Count("pk", filter=own & ~Exists(AccessPoint.objects.filter(site=OuterRef("pk")))),
        no_crowd=Count("pk", filter=own & ~Exists(CrowdSlot.objects.filter(site=OuterRef("pk")))),
        # Site.priority in SQL: counted by the database rather than by loading every site.
        high_priority=Count("pk", filter=own & Q(priority_override__gte=50)
                            | own & Q(priority_override__isnull=True, priority_score__gte=50)),
    )
    return {key: int(value or 0) for key, value in counts.items()}


def _region_rollup(visible: QuerySet[Site], region: Organisation) -> list[dict[str, Any]]:
    """Each municipality of REGION with the number of its sites shared with the region (others stay unseen)."""
    shared = dict(
        visible.filter(shares__organisation=region)
        .values("organisation_id").annotate(n=Count("pk", distinct=True)).values_list("organisation_id", "n")
    )
    return [{"organisation": child, "shared": shared.get(child.pk, 0)}
            for child in Organisation.objects.filter(parent=region).order_by("name")]


def home(request: HttpRequest) -> HttpResponse:
    org = getattr(request, "organisation", None)
    if org is not None and org.kind == OrganisationKind.VENDOR:
        return redirect("procurement:list")  # a vendor's members use the RFI portal only
    context: dict[str, Any] = {"org": org}
    if org is not None:
        visible = Site.objects.for_user(request.user, Action.VIEW)
        context["inventory"] = _inventory(visible, org)
        context["can_add"] = can(request.user, Action.ADD, org)
        if org.kind == OrganisationKind.REGION:
            context["is_region"] = True
            context["rollup"] = _region_rollup(visible, org)
    return render(request, "web/home.html", context)
