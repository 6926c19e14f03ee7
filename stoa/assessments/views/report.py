"""The assessment report: on screen, as a PDF, and the answers as an Excel workbook.

All three only read, so whoever may see the assessment may have them (its site's shares too).
Downloads are marked private and never cached, and carry the owner's classification in an
``X-Classification`` header, like the site exports.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import get_for_user
from stoa.assessments.models import Assessment
from stoa.assessments.report.context import report_context
from stoa.assessments.report.excel import answers_workbook
from stoa.assessments.report.pdf import html_to_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(body: bytes, content_type: str, assessment: Assessment, suffix: str) -> HttpResponse:
    stem = slugify(assessment.site.name) or "site"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="assessment-{stem}-{assessment.date:%Y%m%d}.{suffix}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Classification"] = assessment.organisation.classification
    return response


@require_http_methods(["GET"])
def report_page(request: HttpRequest, pk: Any) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.VIEW, pk=pk)
    return render(request, "assessments/report.html", report_context(assessment))


@require_http_methods(["GET"])
def report_pdf(request: HttpRequest, pk: Any) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.VIEW, pk=pk)
    html = render_to_string("assessments/report_pdf.html", report_context(assessment), request=request)
    return _download(html_to_pdf(html), "application/pdf", assessment, "pdf")


@require_http_methods(["GET"])
def answers_xlsx(request: HttpRequest, pk: Any) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.VIEW, pk=pk)
    return _download(answers_workbook(assessment), XLSX, assessment, "xlsx")
