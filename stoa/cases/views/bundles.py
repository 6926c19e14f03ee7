"""Exporting a case as a bundle (a file download) and importing one (all or nothing)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can, get_for_user
from stoa.cases.bundle import BundleError, bundle_bytes
from stoa.cases.forms import ImportForm
from stoa.cases.models import CaseStudy
from stoa.cases.services import export_case, import_bundle


def bundle_filename(case: CaseStudy) -> str:
    return f"case-{slugify(case.title)[:60] or 'study'}.stoa-case.json"


@require_http_methods(["POST"])
def case_export(request: HttpRequest, pk: Any) -> HttpResponse:
    case = get_for_user(CaseStudy, request.user, Action.SHARE, pk=pk)
    try:
        document = export_case(case, request.user)
    except BundleError as exc:
        messages.error(request, str(exc))
        return redirect("cases:detail", pk=case.pk)
    response = HttpResponse(bundle_bytes(document), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{bundle_filename(case)}"'
    response["X-Distribution"] = f"TLP:{case.distribution}"
    return response


@require_http_methods(["GET", "POST"])
def case_import(request: HttpRequest) -> HttpResponse:
    org: Any = getattr(request, "organisation", None)
    if org is None or not can(request.user, Action.ADD, org):
        raise PermissionDenied(_("Your role does not allow adding records."))
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            case = import_bundle(org, form.cleaned_data["file"].read(), request.user)
        except BundleError as exc:
            problems = exc.messages
        else:
            messages.success(request, _("Imported: %(title)s. It is read-only.") % {"title": case.title})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/import.html", {"form": form, "problems": problems, "organisation": org},
                  status=400 if request.method == "POST" else 200)
