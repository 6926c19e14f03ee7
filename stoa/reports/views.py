"""The reports pages: ask for a report, follow its progress, download it; the redaction settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can, get_for_user
from stoa.reports.forms import RedactionForm, ReportForm
from stoa.reports.models import RedactionPolicy, ReportJob, ReportKind
from stoa.reports.services import may_report, plans_for, request_report

CONTENT_TYPES = {"pdf": "application/pdf",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _forms(request: HttpRequest, bound: ReportForm | None = None) -> list[tuple[str, Any, ReportForm]]:
    plans = plans_for(request.user, request.organisation) if request.organisation else None  # type: ignore[attr-defined]
    out = []
    for kind in ReportKind:
        form = bound if bound is not None and bound.data.get("kind") == kind.value else \
            ReportForm(initial={"kind": kind.value}, plans=plans, auto_id=f"id_{kind.value}_%s")
        out.append((kind.value, kind.label, form))
    return out


@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    organisation = getattr(request, "organisation", None)
    if not may_report(request.user, organisation):
        raise PermissionDenied(_("Your role does not allow making reports for this organisation."))
    bound = None
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        bound = ReportForm(request.POST, plans=plans_for(request.user, organisation),  # type: ignore[arg-type]
                           auto_id=f"id_{kind}_%s")
        if bound.is_valid():
            try:
                job = request_report(request.user, organisation, kind=bound.cleaned_data["kind"],
                                     redacted=bound.cleaned_data["redacted"], plan=bound.cleaned_data["plan"],
                                     language=get_language())
            except ValidationError as exc:
                bound.add_error(None, exc)
            else:
                return redirect("reports:job", pk=job.pk)
    jobs = ReportJob.objects.for_user(request.user, Action.VIEW).select_related("plan", "created_by")[:50]
    return render(request, "reports/list.html", {
        "forms": _forms(request, bound), "jobs": jobs,
        "can_manage": can(request.user, Action.MANAGE, organisation)}, status=400 if bound else 200)


@require_http_methods(["GET"])
def job_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    job = get_for_user(ReportJob, request.user, Action.VIEW, pk=pk)
    template = "reports/partials/job_status.html" if request.headers.get("HX-Request") else "reports/job.html"
    return render(request, template, {"job": job})


@require_http_methods(["GET"])
def job_download(request: HttpRequest, pk: Any) -> FileResponse:
    job = get_for_user(ReportJob, request.user, Action.VIEW, pk=pk)
    return serve_report(job)


def serve_report(job: ReportJob) -> FileResponse:
    """The job's file as an attachment, never cached; 404 while it has none."""
    if not job.file:
        raise Http404(_("This report has no file yet."))
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing from the server's storage.")) from exc
    response = FileResponse(handle, content_type=CONTENT_TYPES.get(job.format, "application/octet-stream"),
                            as_attachment=True, filename=job.download_name)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def redaction_settings(request: HttpRequest) -> HttpResponse:
    organisation = getattr(request, "organisation", None)
    if organisation is None or not can(request.user, Action.MANAGE, organisation):
        raise PermissionDenied(_("Only an administrator of the organisation changes what is sensitive."))
    policy = RedactionPolicy.for_organisation(organisation)
    form = RedactionForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The redaction rules are saved; they apply to the next redacted reports."))
        return redirect(reverse("reports:settings"))
    return render(request, "reports/settings.html", {"form": form, "organisation": organisation},
                  status=400 if request.method == "POST" else 200)
