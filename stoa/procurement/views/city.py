"""The city's side of an RFI page and its actions: requirements (while a draft), invitations,
answers to clarifications, the answers received with their must-have screening, the shortlist,
demonstration sessions and the move of the evaluation to the demonstration stage.

Every action needs ``change`` on the RFI (members of its organisation whose role may change); a
refused one shows the page again with the reason (409), an invalid form with its errors (400).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import allowed_actions, get_for_user
from stoa.evaluation.compute import compute, inputs_of
from stoa.procurement import services
from stoa.procurement.document import criteria_groups, requirement_condition
from stoa.procurement.forms import AnswerForm, DemonstrationForm, InvitationForm, RequirementForm, reference_choices
from stoa.procurement.models import (
    Clarification,
    Demonstration,
    Rfi,
    RfiInvitation,
    RfiRequirement,
    RfiStatus,
    Submission,
    SubmissionStatus,
)


def _ranking(rfi: Rfi) -> tuple[dict[str, int], dict[str, Any]]:
    """Alternative id → position in the evaluation's ranking, and the knocked-out ones (once scored)."""
    evaluation = rfi.evaluation
    if evaluation is None or not evaluation.scores.exists():
        return {}, {}
    outputs = compute(inputs_of(evaluation))
    return {aid: n for n, aid in enumerate(outputs["ranking"], start=1)}, outputs["knocked_out"]


def shortlisted_answers(request: HttpRequest, rfi: Rfi) -> Any:
    return (Submission.objects.for_user(request.user, Action.VIEW)
            .filter(rfi=rfi, status=SubmissionStatus.SUBMITTED, alternative__shortlisted=True,
                    alternative__evaluation_id=rfi.evaluation_id).select_related("organisation"))


def _answers(request: HttpRequest, rfi: Rfi) -> list[Submission]:
    prefetch_related_objects([rfi], "requirements")
    positions, knocked = _ranking(rfi)
    answers = list(Submission.objects.for_user(request.user, Action.VIEW)
                   .filter(rfi=rfi, status=SubmissionStatus.SUBMITTED)
                   .select_related("organisation", "alternative").prefetch_related("attachments"))
    for answer in answers:
        answer.rfi = rfi  # the requirements are read once for all answers
        alternative = getattr(answer, "alternative", None)
        answer.checks = [(r, ok, requirement_condition(r)) for r, ok in answer.screening()]  # type: ignore[attr-defined]
        answer.failed = [r for r, ok, _c in answer.checks if r.is_must and not ok]  # type: ignore[attr-defined]
        answer.alt = alternative  # type: ignore[attr-defined]
        answer.position = positions.get(str(alternative.pk)) if alternative else None  # type: ignore[attr-defined]
        answer.knocked = bool(alternative and str(alternative.pk) in knocked)  # type: ignore[attr-defined]
    return answers


def city_context(request: HttpRequest, rfi: Rfi, *, requirement_form: RequirementForm | None = None,
                 invitation_form: InvitationForm | None = None, demonstration_form: DemonstrationForm | None = None,
                 failed_answer: tuple[Any, AnswerForm] | None = None) -> dict[str, Any]:
    allowed = allowed_actions(rfi, request.user)
    editable = Action.CHANGE in allowed
    draft = rfi.status == RfiStatus.DRAFT
    requirements = list(rfi.requirements.all())
    for requirement in requirements:
        requirement.condition = requirement_condition(requirement)  # type: ignore[attr-defined]
    clarifications = list(Clarification.objects.for_user(request.user, Action.VIEW).filter(rfi=rfi)
                          .select_related("asked_by"))
    if editable:
        for c in clarifications:
            c.form = (failed_answer[1] if failed_answer and failed_answer[0] == c.pk  # type: ignore[attr-defined]
                      else AnswerForm(prefix=f"c-{c.pk}", initial={"answer": c.answer}))
    shortlisted = shortlisted_answers(request, rfi)
    evaluation = rfi.evaluation
    threat_names = dict(reference_choices("threat_type"))
    return {
        "rfi": rfi, "assessment": rfi.assessment, "site": rfi.assessment.site, "allowed": allowed,
        "editable": editable, "draft": draft, "phase": rfi.phase(), "requirements": requirements,
        "groups": criteria_groups(rfi.criteria),
        "threats": [threat_names.get(t, t) for t in rfi.threats or []],
        "invitations": list(rfi.invitations.select_related("vendor")),
        "answers": _answers(request, rfi), "clarifications": clarifications,
        "demonstrations": list(Demonstration.objects.for_user(request.user, Action.VIEW).filter(rfi=rfi)
                               .select_related("submission__organisation")),
        "evaluation": evaluation, "shortlist_size": evaluation.shortlist_size if evaluation else 5,
        "requirement_form": (requirement_form or RequirementForm(prefix="req")) if editable and draft else None,
        "invitation_form": (invitation_form or InvitationForm(prefix="inv", rfi=rfi))
        if editable and rfi.status != RfiStatus.CANCELLED else None,
        "demonstration_form": demonstration_form if demonstration_form is not None else (
            DemonstrationForm(prefix="demo", shortlisted=shortlisted) if editable and shortlisted.exists() else None),
    }


def city_page(request: HttpRequest, rfi: Rfi, *, problems: list[str] | None = None, status: int = 200,
              **forms: Any) -> HttpResponse:
    context = city_context(request, rfi, **forms)
    context["problems"] = problems or []
    return render(request, "procurement/city.html", context, status=status)


def refused(request: HttpRequest, rfi: Rfi, problems: list[str]) -> HttpResponse:
    """The RFI page again with why the action was refused (409: it does not fit the RFI's state)."""
    return city_page(request, rfi, problems=problems, status=409)


def _back(rfi: Rfi, anchor: str) -> HttpResponse:
    return redirect(f"{reverse('procurement:detail', args=[rfi.pk])}#{anchor}")


def _draft_only(request: HttpRequest, rfi: Rfi) -> HttpResponse | None:
    if rfi.status != RfiStatus.DRAFT:
        return refused(request, rfi, [_("The requirements can only change while the request is a draft: vendors "
                                        "may already have read them.")])
    return None


@require_http_methods(["POST"])
def requirement_add(request: HttpRequest, pk: Any) -> HttpResponse:
    rfi = get_for_user(Rfi, request.user, Action.CHANGE, pk=pk)
    if (locked := _draft_only(request, rfi)) is not None:
        return locked
    form = RequirementForm(request.POST, prefix="req",
                           instance=RfiRequirement(rfi=rfi, order=rfi.requirements.count() + 1))
    if not form.is_valid():
        return city_page(request, rfi, requirement_form=form, status=400)
    form.save()
    messages.success(request, _("Requirement added."))
    return _back(rfi, "requirements")


@require_http_methods(["GET", "POST"])
def requirement_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    requirement = get_for_user(RfiRequirement, request.user, Action.CHANGE, pk=pk)
    rfi = requirement.rfi
    if (locked := _draft_only(request, rfi)) is not None:
        return locked
    form = RequirementForm(request.POST or None, instance=requirement)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Requirement saved."))
        return _back(rfi, "requirements")
    return render(request, "procurement/form.html", {"form": form, "rfi": rfi, "heading": _("Change the requirement")},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["POST"])
def requirement_remove(request: HttpRequest, pk: Any) -> HttpResponse:
    requirement = get_for_user(RfiRequirement, request.user, Action.CHANGE, pk=pk)
    rfi = requirement.rfi
    if (locked := _draft_only(request, rfi)) is not None:
        return locked
    requirement.delete()
    messages.success(request, _("Requirement removed."))
    return _back(rfi, "requirements")


@require_http_methods(["POST"])
def invitation_add(request: HttpRequest, pk: Any) -> HttpResponse:
    rfi = get_for_user(Rfi, request.user, Action.CHANGE, pk=pk)
    if rfi.status == RfiStatus.CANCELLED:
        return refused(request, rfi, [_("This request for information is cancelled.")])
    form = InvitationForm(request.POST, prefix="inv", rfi=rfi)
    if not form.is_valid():
        return city_page(request, rfi, invitation_form=form, status=400)
    invitation = RfiInvitation.objects.create(rfi=rfi, vendor=form.cleaned_data["vendor"])
    messages.success(request, _("Invited: %(vendor)s.") % {"vendor": invitation.vendor.name})
    return _back(rfi, "invitations")


@require_http_methods(["POST"])
def invitation_remove(request: HttpRequest, pk: Any) -> HttpResponse:
    invitation = get_for_user(RfiInvitation, request.user, Action.CHANGE, pk=pk)
    invitation.delete()
    messages.success(request, _("Invitation withdrawn: %(vendor)s no longer sees this request, unless it is "
                                "public.") % {"vendor": invitation.vendor.name})
    return _back(invitation.rfi, "invitations")


@require_http_methods(["POST"])
def clarification_answer(request: HttpRequest, pk: Any) -> HttpResponse:
    clarification = get_for_user(Clarification, request.user, Action.CHANGE, pk=pk)
    rfi = clarification.rfi
    form = AnswerForm(request.POST, prefix=f"c-{clarification.pk}")
    if not form.is_valid():
        return city_page(request, rfi, failed_answer=(clarification.pk, form), status=400)
    services.answer_clarification(clarification, form.cleaned_data["answer"])
    messages.success(request, _("Answer published to every vendor who may see this request."))
    return _back(rfi, "clarifications")


@require_http_methods(["POST"])
def shortlist_top(request: HttpRequest, pk: Any) -> HttpResponse:
    rfi = get_for_user(Rfi, request.user, Action.CHANGE, pk=pk)
    try:
        chosen = services.shortlist_answers(rfi)
    except ValidationError as exc:
        return refused(request, rfi, exc.messages)
    messages.success(request, _("Shortlisted %(n)s: %(names)s.") % {
        "n": len(chosen), "names": ", ".join(a.name for a in chosen) or "—"})
    return _back(rfi, "answers")


@require_http_methods(["POST"])
def shortlist_toggle(request: HttpRequest, pk: Any, submission_pk: Any) -> HttpResponse:
    rfi = get_for_user(Rfi, request.user, Action.CHANGE, pk=pk)
    submission = get_for_user(Submission, request.user, Action.VIEW, pk=submission_pk, rfi=rfi)
    on = request.POST.get("shortlisted") == "1"
    try:
        services.set_shortlisted(rfi, submission, on)
    except ValidationError as exc:
        return refused(request, rfi, exc.messages)
    messages.success(request, (_("On the shortlist: %(name)s.") if on else _("Off the shortlist: %(name)s.")) % {
        "name": submission.solution})
    return _back(rfi, "answers")


@require_http_methods(["POST"])
def demonstration_add(request: HttpRequest, pk: Any) -> HttpResponse:
    rfi = get_for_user(Rfi, request.user, Action.CHANGE, pk=pk)
    form = DemonstrationForm(request.POST, prefix="demo", instance=Demonstration(rfi=rfi),
                             shortlisted=shortlisted_answers(request, rfi))
    if not form.is_valid():
        return city_page(request, rfi, demonstration_form=form, status=400)
    form.save()
    messages.success(request, _("Demonstration scheduled: %(demo)s.") % {"demo": form.instance})
    return _back(rfi, "demonstrations")


@require_http_methods(["POST"])
def demonstration_remove(request: HttpRequest, pk: Any) -> HttpResponse:
    demonstration = get_for_user(Demonstration, request.user, Action.CHANGE, pk=pk)
    demonstration.delete()
    messages.success(request, _("Demonstration removed."))
    return _back(demonstration.rfi, "demonstrations")


@require_http_methods(["POST"])
def start_demonstrations(request: HttpRequest, pk: Any) -> HttpResponse:
    rfi = get_for_user(Rfi, request.user, Action.CHANGE, pk=pk)
    try:
        services.start_demonstrations(rfi)
    except ValidationError as exc:
        return refused(request, rfi, exc.messages)
    messages.success(request, _("The evaluation is now at the demonstration stage: the panel scores the "
                                "demonstrations of the shortlisted answers."))
    return _back(rfi, "demonstrations")
