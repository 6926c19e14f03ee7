"""RFIs: the list (the city's own, or those a vendor may answer), drafting one from an assessment,
its page (the city's or the vendor's side), editing a draft, publishing and cancelling.

Drafting needs ``change`` on the assessment, as a member of its organisation (an RFI belongs to
the assessment's organisation); publishing, editing and cancelling need ``change`` on the RFI;
seeing it ``view``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.models import OrganisationKind
from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can, get_for_user, org_ids_for
from stoa.assessments.models import Assessment
from stoa.assessments.picker import pick_assessments
from stoa.evaluation.sources import criteria_sources
from stoa.procurement import services
from stoa.procurement.drafting import draft_rfi, next_reference, vulnerabilities
from stoa.procurement.forms import RfiDraftForm, RfiForm
from stoa.procurement.models import Rfi, RfiStatus, Submission, SubmissionStatus, Visibility
from stoa.procurement.views import is_city_member
from stoa.procurement.views.city import city_page, refused
from stoa.procurement.views.vendor import vendor_page
from stoa.web.paging import paginate


@require_http_methods(["GET"])
def rfi_list(request: HttpRequest) -> HttpResponse:
    visible = (Rfi.objects.for_user(request.user, Action.VIEW).select_related("organisation", "assessment__site")
               .annotate(answers=Count("submissions", filter=Q(submissions__status=SubmissionStatus.SUBMITTED))))
    own = org_ids_for(request.user, Action.VIEW)
    org: Any = getattr(request, "organisation", None)
    vendor = org is not None and org.kind == OrganisationKind.VENDOR
    offered = list(visible.exclude(organisation_id__in=own)) if vendor else []
    answers: dict[Any, list[Submission]] = {}
    for submission in Submission.objects.for_user(request.user, Action.VIEW).filter(rfi__in=[r.pk for r in offered]):
        answers.setdefault(submission.rfi_id, []).append(submission)
    for rfi in offered:
        mine = answers.get(rfi.pk, [])
        rfi.answered = sum(s.status == SubmissionStatus.SUBMITTED for s in mine)  # type: ignore[attr-defined]
        rfi.drafts = sum(s.status == SubmissionStatus.DRAFT for s in mine)  # type: ignore[attr-defined]
    paged = paginate(request, visible.filter(organisation_id__in=own).order_by("-created_at", "pk"))
    # Only the assessment's own organisation drafts an RFI about it, not one it was shared with.
    assessments = Assessment.objects.for_user(request.user, Action.CHANGE).filter(
        organisation_id__in=org_ids_for(request.user, Action.CHANGE))
    return render(request, "procurement/list.html", {
        "city_rfis": paged.items, "offered": offered, "picker": pick_assessments(request, assessments),
        **paged.context()})


def _initial(assessment: Assessment, found: list[Any], sources: list[Any]) -> dict[str, Any]:
    addressed = [v.scenario.pk for v in found if v.scenario.objectives.exists()]
    chosen = addressed or [v.scenario.pk for v in found[:1] if v.position is not None]
    now = timezone.localtime().replace(second=0, microsecond=0)
    category = assessment.site.category.label() if assessment.site.category_id else _("public space")
    return {"title": _("Protecting a public space (%(category)s): solutions wanted") % {"category": category},
            "reference": next_reference(assessment), "opens_at": now, "closes_at": now + timedelta(days=28),
            "scenarios": [str(pk) for pk in chosen], "criteria_source": sources[0].key if sources else ""}


@require_http_methods(["GET", "POST"])
def rfi_create(request: HttpRequest) -> HttpResponse:
    assessment_id = request.POST.get("assessment") or request.GET.get("assessment")
    if not assessment_id:
        return redirect("procurement:list")
    assessment = get_for_user(Assessment, request.user, Action.CHANGE, pk=assessment_id)
    if not can(request.user, Action.CHANGE, assessment.organisation_id):
        raise PermissionDenied(_("Only the assessment's own organisation asks the market about it."))
    found = vulnerabilities(assessment)
    sources = criteria_sources(assessment.organisation)
    form = RfiDraftForm(request.POST or None, instance=Rfi(assessment=assessment), initial=_initial(
        assessment, found, sources), vulnerabilities=[(str(v.scenario.pk), v.label) for v in found],
        sources=[(s.key, s.label) for s in sources])
    if request.method == "POST" and form.is_valid():
        chosen = [v.scenario for v in found if str(v.scenario.pk) in form.cleaned_data["scenarios"]]
        source = next(s for s in sources if s.key == form.cleaned_data["criteria_source"])
        try:
            rfi = draft_rfi(form.instance, chosen, source, request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Draft saved with %(n)s requirements copied from the objectives. Check the "
                                        "problem statement and the requirements, then publish.") % {
                "n": rfi.requirements.count()})
            return redirect("procurement:detail", pk=rfi.pk)
    return render(request, "procurement/draft_form.html", {
        "form": form, "assessment": assessment, "site": assessment.site},
        status=400 if request.method == "POST" else 200)


@require_http_methods(["GET"])
def rfi_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    rfi = get_for_user(Rfi, request.user, Action.VIEW, pk=pk)
    return city_page(request, rfi) if is_city_member(request, rfi) else vendor_page(request, rfi)


@require_http_methods(["GET", "POST"])
def rfi_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    rfi = get_for_user(Rfi, request.user, Action.CHANGE, pk=pk)
    if rfi.status != RfiStatus.DRAFT:
        return refused(request, rfi, [_("Only a draft can be edited: vendors may already have read this request.")])
    form = RfiForm(request.POST or None, instance=rfi)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved: %(title)s.") % {"title": rfi.title})
        return redirect("procurement:detail", pk=rfi.pk)
    return render(request, "procurement/form.html", {
        "form": form, "rfi": rfi, "heading": _("Edit the request for information")},
        status=400 if request.method == "POST" else 200)


@require_http_methods(["POST"])
def rfi_publish(request: HttpRequest, pk: Any) -> HttpResponse:
    rfi = get_for_user(Rfi, request.user, Action.CHANGE, pk=pk)
    try:
        services.publish(rfi)
    except ValidationError as exc:
        return refused(request, rfi, exc.messages)
    messages.success(request, _("Published. Vendors who may see it can read it, and answer from %(when)s.") % {
        "when": date_format(timezone.localtime(rfi.opens_at), "DATETIME_FORMAT")})
    if not rfi.invitations.exists() and rfi.visibility != Visibility.PUBLIC:
        messages.warning(request, _("No vendor is invited yet: invite vendors, or nobody can see this request."))
    return redirect("procurement:detail", pk=rfi.pk)


@require_http_methods(["POST"])
def rfi_cancel(request: HttpRequest, pk: Any) -> HttpResponse:
    rfi = get_for_user(Rfi, request.user, Action.CHANGE, pk=pk)
    try:
        services.cancel(rfi)
    except ValidationError as exc:
        return refused(request, rfi, exc.messages)
    messages.success(request, _("Cancelled: vendors no longer see this request and answers are no longer accepted."))
    return redirect("procurement:detail", pk=rfi.pk)
