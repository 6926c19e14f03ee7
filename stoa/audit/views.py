"""Browse and export the audit trail of the active organisation (administrators only)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from stoa.accounts.models import Organisation
from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can
from stoa.audit import trail


def _organisation(request: HttpRequest) -> Organisation:
    org = getattr(request, "organisation", None)
    if org is None or not can(request.user, Action.AUDIT, org):
        raise PermissionDenied("Only administrators of the organisation may read its audit trail.")
    return org


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filter(request: HttpRequest) -> trail.TrailFilter:
    return trail.TrailFilter(
        object_type=request.GET.get("object_type", "")[:100],
        actor=request.GET.get("actor", "")[:150],
        since=_date(request.GET.get("since")),
        until=_date(request.GET.get("until")),
    )


def trail_list(request: HttpRequest) -> HttpResponse:
    org = _organisation(request)
    flt = _filter(request)
    page = Paginator(trail.entries_for(org, flt), 50).get_page(request.GET.get("page"))
    rows = [(entry, trail.ACTION_LABELS.get(entry.action, ""), trail.describe_changes(entry)) for entry in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/list.html", {
        "page": page, "rows": rows, "filter": flt, "object_types": trail.object_types(org),
        "query": query.urlencode(),
    })


def trail_export(request: HttpRequest) -> HttpResponse:
    org = _organisation(request)
    body = trail.export_csv(trail.entries_for(org, _filter(request)).iterator())
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="stoa-audit-{org.slug}-{stamp}.csv"'
    return response
