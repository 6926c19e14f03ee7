"""The vendors' portal: an RFI as a vendor reads it, their questions, and their answers.

A vendor sees a published RFI it was invited to (or a public one), the answered clarifications
(never who asked) and its own questions, and its own answers only. Asking and answering are done
for the user's active organisation, which must be a vendor in which their role may add records,
and only while the RFI is open. An answer is a draft until submitted (``services.submit`` enforces
the deadline); a submitted answer can no longer change, and only then does the city see it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import allowed_actions, get_for_user, org_ids_for
from stoa.procurement import services
from stoa.procurement.document import criteria_groups, requirement_condition
from stoa.procurement.forms import AttachmentForm, QuestionForm, SubmissionForm, reference_choices
from stoa.procurement.models import (
    Clarification,
    Demonstration,
    Rfi,
    Submission,
    SubmissionAttachment,
    SubmissionStatus,
)
from stoa.procurement.views import answering_organisation, is_city_member

LOCKED = gettext_lazy("A submitted answer can no longer be edited: it is the answer the city evaluates.")


def _requirements(rfi: Rfi) -> list[Any]:
    requirements = list(rfi.requirements.all())
    for requirement in requirements:
        requirement.condition = requirement_condition(requirement)  # type: ignore[attr-defined]
    return requirements


def vendor_context(request: HttpRequest, rfi: Rfi, question_form: QuestionForm | None = None) -> dict[str, Any]:
    org = answering_organisation(request, rfi)
    own = set(org_ids_for(request.user, Action.VIEW))
    clarifications = list(Clarification.objects.for_user(request.user, Action.VIEW).filter(rfi=rfi))
    for clarification in clarifications:
        clarification.mine = clarification.asked_by_id in own  # type: ignore[attr-defined]
    threat_names = dict(reference_choices("threat_type"))
    return {
        "rfi": rfi, "phase": rfi.phase(), "organisation": org,
        "window_problem": services.submission_window_problem(rfi),
        "threats": [threat_names.get(t, t) for t in rfi.threats or []], "requirements": _requirements(rfi),
        "groups": criteria_groups(rfi.criteria), "clarifications": clarifications,
        "submissions": list(Submission.objects.for_user(request.user, Action.VIEW).filter(rfi=rfi)),
        "demonstrations": list(Demonstration.objects.for_user(request.user, Action.VIEW).filter(rfi=rfi)
                               .select_related("submission")),
        "question_form": question_form or (QuestionForm(prefix="q") if org and rfi.is_open else None),
    }


def vendor_page(request: HttpRequest, rfi: Rfi, *, problems: list[str] | None = None, status: int = 200,
                question_form: QuestionForm | None = None) -> HttpResponse:
    context = vendor_context(request, rfi, question_form)
    context["problems"] = problems or []
    return render(request, "procurement/vendor.html", context, status=status)


def _answering(request: HttpRequest, rfi: Rfi) -> Any:
    org = answering_organisation(request, rfi)
    if org is None:
        raise PermissionDenied(_("Only members of an invited vendor organisation whose role may add records can "
                                 "ask or answer."))
    return org


@require_http_methods(["POST"])
def clarification_ask(request: HttpRequest, pk: Any) -> HttpResponse:
    rfi = get_for_user(Rfi, request.user, Action.VIEW, pk=pk)
    org = _answering(request, rfi)
    if not rfi.is_open:
        return vendor_page(request, rfi, problems=[services.submission_window_problem(rfi) or ""], status=409)
    form = QuestionForm(request.POST, prefix="q", instance=Clarification(rfi=rfi, asked_by=org))
    if not form.is_valid():
        return vendor_page(request, rfi, question_form=form, status=400)
    form.save()
    messages.success(request, _("Question sent. Once the city answers it, every vendor who may see this request "
                                "reads the question and the answer, without your name."))
    return redirect("procurement:detail", pk=rfi.pk)


@require_http_methods(["GET", "POST"])
def submission_create(request: HttpRequest, pk: Any) -> HttpResponse:
    rfi = get_for_user(Rfi, request.user, Action.VIEW, pk=pk)
    org = _answering(request, rfi)
    problem = services.submission_window_problem(rfi)
    if problem:
        return vendor_page(request, rfi, problems=[problem], status=409)
    form = SubmissionForm(request.POST or None, instance=Submission(rfi=rfi, organisation=org,
                                                                    created_by=request.user))  # type: ignore[misc]
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved as a draft. Attach your evidence, then submit before the deadline."))
        return redirect("procurement:submission", pk=form.instance.pk)
    return render(request, "procurement/submission_form.html", {"form": form, "rfi": rfi, "creating": True},
                  status=400 if request.method == "POST" else 200)


def submission_context(request: HttpRequest, submission: Submission,
                       attachment_form: AttachmentForm | None = None) -> dict[str, Any]:
    rfi = submission.rfi
    allowed = allowed_actions(submission, request.user)
    draft = submission.status == SubmissionStatus.DRAFT
    editable = Action.CHANGE in allowed and draft
    city = is_city_member(request, rfi)
    threat_names, phase_names = dict(reference_choices("threat_type")), dict(reference_choices("attack_phase"))
    return {
        "submission": submission, "rfi": rfi, "allowed": allowed, "draft": draft, "editable": editable,
        "city": city, "window_problem": services.submission_window_problem(rfi),
        "threats": [threat_names.get(t, t) for t in submission.threats or []],
        "phases": [phase_names.get(p, p) for p in submission.phases or []],
        "checks": [(r, ok, requirement_condition(r)) for r, ok in submission.screening()] if city else [],
        "attachments": list(SubmissionAttachment.objects.for_user(request.user, Action.VIEW)
                            .filter(submission=submission)),
        "attachment_form": attachment_form or (AttachmentForm(prefix="att") if editable else None),
    }


def submission_page_response(request: HttpRequest, submission: Submission, *, problems: list[str] | None = None,
                             status: int = 200, attachment_form: AttachmentForm | None = None) -> HttpResponse:
    context = submission_context(request, submission, attachment_form)
    context["problems"] = problems or []
    return render(request, "procurement/submission.html", context, status=status)


@require_http_methods(["GET"])
def submission_page(request: HttpRequest, pk: Any) -> HttpResponse:
    return submission_page_response(request, get_for_user(Submission, request.user, Action.VIEW, pk=pk))


@require_http_methods(["GET", "POST"])
def submission_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    submission = get_for_user(Submission, request.user, Action.CHANGE, pk=pk)
    if submission.status != SubmissionStatus.DRAFT:
        return submission_page_response(request, submission, problems=[str(LOCKED)], status=409)
    form = SubmissionForm(request.POST or None, instance=submission)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Draft saved."))
        return redirect("procurement:submission", pk=submission.pk)
    return render(request, "procurement/submission_form.html", {"form": form, "rfi": submission.rfi,
                                                                "submission": submission},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["POST"])
def submission_submit(request: HttpRequest, pk: Any) -> HttpResponse:
    submission = get_for_user(Submission, request.user, Action.CHANGE, pk=pk)
    if not Rfi.objects.for_user(request.user, Action.VIEW).filter(pk=submission.rfi_id).exists():
        return submission_page_response(request, submission, status=409, problems=[
            _("Your organisation is no longer invited to answer this request.")])
    try:
        services.submit(submission, request.user)
    except ValidationError as exc:
        submission.refresh_from_db()
        return submission_page_response(request, submission, problems=exc.messages, status=409)
    messages.success(request, _("Submitted. The city now sees your answer; it can no longer be changed."))
    return redirect("procurement:submission", pk=submission.pk)


@require_http_methods(["POST"])
def submission_delete(request: HttpRequest, pk: Any) -> HttpResponse:
    submission = get_for_user(Submission, request.user, Action.DELETE, pk=pk)
    if submission.status != SubmissionStatus.DRAFT:
        return submission_page_response(request, submission, problems=[str(LOCKED)], status=409)
    stored = [a.file for a in submission.attachments.all()]
    with transaction.atomic():
        submission.delete()
        transaction.on_commit(lambda: [f.delete(save=False) for f in stored])
    messages.success(request, _("Draft removed: %(solution)s.") % {"solution": submission.solution})
    return redirect("procurement:detail", pk=submission.rfi_id)


@require_http_methods(["POST"])
def attachment_add(request: HttpRequest, pk: Any) -> HttpResponse:
    submission = get_for_user(Submission, request.user, Action.CHANGE, pk=pk)
    if submission.status != SubmissionStatus.DRAFT:
        return submission_page_response(request, submission, problems=[str(LOCKED)], status=409)
    form = AttachmentForm(request.POST, request.FILES, prefix="att")
    if not form.is_valid():
        return submission_page_response(request, submission, attachment_form=form, status=400)
    upload = form.cleaned_data["file"]
    attachment = SubmissionAttachment.objects.create(submission=submission, file=upload, name=form.cleaned_data["name"],
                                                     content_type=form.content_type, size=upload.size)
    messages.success(request, _("Attached: %(name)s.") % {"name": attachment.name})
    return redirect("procurement:submission", pk=submission.pk)


@require_http_methods(["POST"])
def attachment_remove(request: HttpRequest, pk: Any) -> HttpResponse:
    attachment = get_for_user(SubmissionAttachment, request.user, Action.CHANGE, pk=pk)
    submission = attachment.submission
    if submission.status != SubmissionStatus.DRAFT:
        return submission_page_response(request, submission, problems=[str(LOCKED)], status=409)
    stored = attachment.file
    with transaction.atomic():
        attachment.delete()
        transaction.on_commit(lambda: stored.delete(save=False))
    messages.success(request, _("Removed: %(name)s.") % {"name": attachment.name})
    return redirect("procurement:submission", pk=submission.pk)
