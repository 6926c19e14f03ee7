"""Field use: download the XLSForm of an assessment, and import what ODK / KoboToolbox collected.

Downloading the form only needs to see the assessment; importing changes its answers, so it needs
``change`` on the assessment, and the assessment must still be a draft (409 otherwise).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import allowed_actions, get_for_user
from stoa.assessments.field.forms import SubmissionUploadForm, assessor_choices
from stoa.assessments.field.submissions import AssessmentNotEditable, SubmissionRejected, import_submissions
from stoa.assessments.field.xlsform import CONTENT_TYPE, build_xlsform, filename
from stoa.assessments.models import Assessment
from stoa.assessments.views import nav_context


def _page(request: HttpRequest, assessment: Assessment, form: SubmissionUploadForm | None = None,
          problems: list[Any] | None = None, status: int = 200) -> HttpResponse:
    allowed = allowed_actions(assessment, request.user)
    can_import = Action.CHANGE in allowed and assessment.is_editable
    if form is None and can_import:
        form = SubmissionUploadForm(assessors=assessor_choices(assessment, request.user))
    return render(request, "assessments/field.html", {
        "assessment": assessment, "site": assessment.site, "allowed": allowed, "form": form if can_import else None,
        "problems": problems or [], "can_import": can_import, **nav_context()}, status=status)


@require_http_methods(["GET"])
def field_page(request: HttpRequest, pk: Any) -> HttpResponse:
    return _page(request, get_for_user(Assessment, request.user, Action.VIEW, pk=pk))


@require_http_methods(["GET"])
def xlsform_download(request: HttpRequest, pk: Any) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.VIEW, pk=pk)
    response = HttpResponse(build_xlsform(assessment), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename(assessment)}"'
    return response


@require_http_methods(["POST"])
def submissions_import(request: HttpRequest, pk: Any) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.CHANGE, pk=pk)
    form = SubmissionUploadForm(request.POST, request.FILES, assessors=assessor_choices(assessment, request.user))
    if not assessment.is_editable:
        return _page(request, assessment, problems=[], status=409)
    if not form.is_valid():
        return _page(request, assessment, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        result = import_submissions(assessment, upload.read(), upload.name, form.chosen_assessor(),
                                    user=request.user)
    except AssessmentNotEditable as rejected:
        return _page(request, assessment, form, list(rejected.problems), status=409)
    except SubmissionRejected as rejected:
        return _page(request, assessment, form, list(rejected.problems), status=400)
    message = ngettext("%(answers)d answer imported from %(file)s (submissions read: %(n)d).",
                       "%(answers)d answers imported from %(file)s (submissions read: %(n)d).", result.count) % {
        "answers": result.count, "n": result.submissions, "file": upload.name}
    messages.success(request, message)
    if result.photos_skipped:
        messages.info(request, ngettext(
            "The photo question %(ids)s was not imported: attach the photo to the public space and choose it "
            "on the question page.",
            "The photo questions %(ids)s were not imported: attach the photos to the public space and choose "
            "them on the question pages.", len(result.photos_skipped)) % {"ids": ", ".join(result.photos_skipped)})
    return redirect("assessments:field", pk=assessment.pk)
