"""Pages for the workflow steps: submit, sign off, send back, re-assess (all POST, from the overview).

Each loads the assessment with the action the step needs (404 unseen, 403 not allowed), then lets
``stoa.assessments.workflow`` decide; a refused step shows the overview again with the reasons
(400 when something is missing, 409 when the status does not fit).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import get_for_user
from stoa.assessments import workflow
from stoa.assessments.models import Assessment
from stoa.assessments.views.assessments import overview_context


def _refused(request: HttpRequest, assessment: Assessment, exc: workflow.WorkflowError, **extra: Any) -> HttpResponse:
    context = overview_context(request, assessment)
    context.update(workflow_problems=exc.problems, **extra)
    return render(request, "assessments/detail.html", context,
                  status=409 if isinstance(exc, workflow.WrongStatus) else 400)


def _done(assessment: Assessment) -> HttpResponse:
    return redirect("assessments:detail", pk=assessment.pk)


@require_http_methods(["POST"])
def submit(request: HttpRequest, pk: Any) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.CHANGE, pk=pk)
    try:
        workflow.submit(assessment, request.user)
    except workflow.WorkflowError as exc:
        return _refused(request, assessment, exc)
    messages.success(request, _("The assessment was submitted for sign-off."))
    return _done(assessment)


@require_http_methods(["POST"])
def sign_off(request: HttpRequest, pk: Any) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.APPROVE, pk=pk)
    try:
        workflow.sign_off(assessment, request.user)
    except workflow.WorkflowError as exc:
        return _refused(request, assessment, exc)
    messages.success(request, _("The assessment is signed off. It can no longer change."))
    return _done(assessment)


@require_http_methods(["POST"])
def send_back(request: HttpRequest, pk: Any) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.APPROVE, pk=pk)
    reason = request.POST.get("reason", "")
    try:
        workflow.send_back(assessment, request.user, reason)
    except workflow.WorkflowError as exc:
        return _refused(request, assessment, exc, send_back_reason=reason)
    messages.success(request, _("The assessment went back to the team as a draft."))
    return _done(assessment)


@require_http_methods(["POST"])
def reassess(request: HttpRequest, pk: Any) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.VIEW, pk=pk)
    try:
        new = workflow.reassess(assessment, request.user)
    except workflow.WorkflowError as exc:
        return _refused(request, assessment, exc)
    messages.success(request, _("The re-assessment starts as a copy of the signed-off assessment: review each "
                                "step and change what is different now."))
    return _done(new)
