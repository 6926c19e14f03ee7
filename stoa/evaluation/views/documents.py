"""An evaluation's documents: the decision record PDF (frozen evaluations) and the matrix in Excel.

Both only read, so whoever may see the evaluation may have them (404 for anyone else). Like the
assessment report, downloads are private, never cached, and carry the owner's classification in
an ``X-Classification`` header.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.evaluation.models import DecisionRecord, Evaluation
from stoa.evaluation.report.excel import matrix_workbook
from stoa.evaluation.report.pdf import record_pdf as render_record
from stoa.evaluation.views.common import load

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(body: bytes, content_type: str, evaluation: Evaluation, stem: str, suffix: str) -> HttpResponse:
    name = slugify(evaluation.assessment.site.name) or "site"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{name}-{evaluation.created_at:%Y%m%d}.{suffix}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Classification"] = evaluation.organisation.classification
    return response


@require_http_methods(["GET"])
def record_pdf(request: HttpRequest, pk: Any) -> HttpResponse:
    evaluation = load(request, pk)
    record = DecisionRecord.objects.filter(evaluation=evaluation).select_related("chosen", "frozen_by").first()
    if record is None:
        raise Http404(_("This evaluation has no decision record yet: freeze it first."))
    return _download(render_record(record), "application/pdf", evaluation, "decision-record", "pdf")


@require_http_methods(["GET"])
def matrix_xlsx(request: HttpRequest, pk: Any) -> HttpResponse:
    evaluation = load(request, pk)
    return _download(matrix_workbook(evaluation), XLSX, evaluation, "evaluation-matrix", "xlsx")
