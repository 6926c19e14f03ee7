"""Browse and export the audit trail of the active organisation (administrators only)."""

from __future__ import annotations

import datetime
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stoa.accounts.models import Organisation
from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can
from stoa.audit import trail


def _organisation(request: HttpRequest) -> Organisation:
    org = getattr(request, "organisation", None)
    if org is None or not can(request.user, Action.AUDIT, org):
        raise PermissionDenied(_("Only administrators of the organisation may read its audit trail."))
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


def _labelled_changes(entry: LogEntry) -> list[tuple[str, str, str]]:
    """ENTRY's changes with each field named as the forms name it, in the reader's language."""
    model = entry.content_type.model_class()
    rows = []
    for name, old, new in trail.describe_changes(entry):
        rows.append((capfirst(_field_label(model, name)), old, new))
    return rows


# Technical fields the models declare without a label.
_UNLABELLED = {"id": "ID", "created_at": gettext_lazy("created"), "updated_at": gettext_lazy("updated"),
               "lon": gettext_lazy("longitude"), "lat": gettext_lazy("latitude"), "size": gettext_lazy("size (bytes)"),
               "content_type": gettext_lazy("file type")}


def _field_label(model: Any, name: str) -> str:
    if name in _UNLABELLED:
        return str(_UNLABELLED[name])
    try:
        field = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        field = None
    if field is None:
        return name
    label = getattr(field, "verbose_name", None)
    if isinstance(label, Promise):  # a translatable label given by the model
        return str(label)
    related = getattr(field, "related_model", None)
    # A link declared without a label (e.g. a zone's site) is named after what it points to.
    return str(related._meta.verbose_name) if related is not None else str(label or name)


def trail_list(request: HttpRequest) -> HttpResponse:
    org = _organisation(request)
    flt = _filter(request)
    page = Paginator(trail.entries_for(org, flt), 50).get_page(request.GET.get("page"))
    rows = [(entry, trail.ACTION_LABELS.get(entry.action, ""), _labelled_changes(entry)) for entry in page]
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
