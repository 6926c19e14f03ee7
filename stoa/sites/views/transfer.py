"""Import and export of public spaces from the web page (the same services the CLI and API use)."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can
from stoa.sites.forms import ImportForm
from stoa.sites.models import Site
from stoa.sites.services.exports import export_csv, export_geojson
from stoa.sites.services.imports import ImportRejected, import_sites
from stoa.sites.views.listing import filtered_sites

EXPORT_FORMATS = {"geojson": "application/geo+json", "csv": "text/csv; charset=utf-8"}


@require_http_methods(["GET", "POST"])
def import_export(request: HttpRequest) -> HttpResponse:
    """Upload a file of sites (all or nothing), or download what the user may see."""
    org = getattr(request, "organisation", None)
    can_import = org is not None and can(request.user, Action.ADD, org)
    form = ImportForm()
    problems: list[Any] = []
    if request.method == "POST":
        if org is None or not can_import:
            raise PermissionDenied(_("Your role does not allow adding records."))
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = import_sites(org, upload.read(), upload.name, user=request.user)
            except ImportRejected as rejected:
                problems = list(rejected.problems)
            else:
                count = len(result.created)
                messages.success(request, ngettext(
                    "%(count)d public space imported from %(file)s.",
                    "%(count)d public spaces imported from %(file)s.", count,
                ) % {"count": count, "file": upload.name})
                return redirect("sites:list")
    status = 400 if problems or form.errors else 200
    return render(request, "sites/import_export.html", {
        "form": form, "problems": problems, "can_import": can_import,
        "visible_count": Site.objects.for_user(request.user, Action.VIEW).count(),
    }, status=status)


@require_http_methods(["GET"])
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The sites the user may see (narrowed by the list filters when given) as GeoJSON or CSV."""
    if fmt not in EXPORT_FORMATS:
        raise Http404(fmt)
    visible = Site.objects.for_user(request.user, Action.VIEW).select_related("category", "organisation")
    sites = filtered_sites(visible, request).queryset
    body = json.dumps(export_geojson(sites), ensure_ascii=False, indent=1) if fmt == "geojson" else export_csv(sites)
    org = getattr(request, "organisation", None)
    stem = slugify(org.slug if org is not None else "stoa")
    response = HttpResponse(body, content_type=EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}-sites-{datetime.date.today():%Y%m%d}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
