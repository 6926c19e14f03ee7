"""Pages for assessments themselves: lists, create, overview, edit details, team, delete.

An assessment hangs off a site: creating one changes the site's record, so it needs ``change`` on
the site (as adding a zone does); editing needs ``change`` on the assessment, deleting ``delete``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import allowed_actions, get_for_user
from stoa.assessments.forms import AssessmentForm, TeamMemberForm
from stoa.assessments.models import Assessment, TeamMember
from stoa.assessments.services import CannotCreate, create_assessment
from stoa.assessments.views import nav_context
from stoa.sites.models import Site
from stoa.web.paging import paginate

# What the list shows: not the frozen risk matrix, a copy of about 20 KB in each assessment.
LISTED = ("id", "date", "depth", "status", "managing_body", "created_at", "site_id", "site__id", "site__name")


@require_http_methods(["GET"])
def assessment_list(request: HttpRequest) -> HttpResponse:
    """Every assessment the user may see, newest first, across their organisations' spaces, a page at a time."""
    assessments = (Assessment.objects.for_user(request.user, Action.VIEW).select_related("site")
                   .only(*LISTED).order_by("-date", "-created_at", "-pk"))
    paged = paginate(request, assessments)
    return render(request, "assessments/list.html", {"assessments": paged.items, **paged.context()})


@require_http_methods(["GET"])
def site_assessments(request: HttpRequest, site_pk: Any) -> HttpResponse:
    site = get_for_user(Site, request.user, Action.VIEW, pk=site_pk)
    assessments = Assessment.objects.for_user(request.user, Action.VIEW).filter(site=site)
    return render(request, "assessments/site_list.html", {
        "site": site, "assessments": assessments, "allowed": allowed_actions(site, request.user)})


@require_http_methods(["GET", "POST"])
def assessment_create(request: HttpRequest, site_pk: Any) -> HttpResponse:
    site = get_for_user(Site, request.user, Action.CHANGE, pk=site_pk)
    instance = Assessment(site=site, organisation_id=site.organisation_id)
    form = AssessmentForm(request.POST if request.method == "POST" else None, instance=instance,
                          initial={"managing_body": site.owner_name, "date": datetime.date.today(),
                                   "lead": request.user.pk})
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ("managing_body", "depth", "review_cycle_months", "lead")}
        fields["lead"] = fields["lead"] or request.user
        try:
            assessment = create_assessment(site, user=request.user, date=form.cleaned_data["date"], **fields)
        except CannotCreate as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The assessment was created with one scenario per threat type. "
                                        "Add the team, then work through the steps."))
            return redirect("assessments:detail", pk=assessment.pk)
    return render(request, "assessments/form.html", {
        "site": site, "form": form, "title": _("New assessment of “%(site)s”") % {"site": site},
        "submit_label": _("Create the assessment"), "cancel_url": reverse("assessments:site", args=[site.pk]),
    }, status=400 if form.errors else 200)


def overview_context(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    allowed = allowed_actions(assessment, request.user)
    scenarios = list(assessment.scenarios.select_related("threat"))
    return {
        "assessment": assessment, "site": assessment.site, "allowed": allowed,
        "team": assessment.teammembers.all(),
        "team_form": TeamMemberForm() if Action.CHANGE in allowed else None,
        "rated_count": sum(1 for s in scenarios if s.rated or s.not_applicable),
        "scenario_count": len(scenarios),
        **nav_context(),
    }


@require_http_methods(["GET"])
def assessment_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.VIEW, pk=pk)
    return render(request, "assessments/detail.html", overview_context(request, assessment))


@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.CHANGE, pk=pk)
    form = AssessmentForm(request.POST if request.method == "POST" else None, instance=assessment)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The assessment's details were saved."))
        return redirect("assessments:detail", pk=assessment.pk)
    return render(request, "assessments/form.html", {
        "site": assessment.site, "assessment": assessment, "form": form, "title": _("Assessment details"),
        "submit_label": _("Save"), "cancel_url": reverse("assessments:detail", args=[assessment.pk]),
    }, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def assessment_delete(request: HttpRequest, pk: Any) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.DELETE, pk=pk)
    site = assessment.site
    if request.method == "POST":
        with transaction.atomic():
            assessment.delete()
        messages.success(request, _("The assessment was deleted."))
        return redirect("assessments:site", site_pk=site.pk)
    return render(request, "assessments/confirm.html", {
        "site": site, "assessment": assessment, "title": _("Delete this assessment?"),
        "message": _("This deletes the assessment with its team, answers, measures and scenarios. "
                     "The audit trail keeps a record."),
        "button": _("Delete"), "cancel_url": reverse("assessments:detail", args=[assessment.pk]),
    })


@require_http_methods(["POST"])
def team_add(request: HttpRequest, pk: Any) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.CHANGE, pk=pk)
    form = TeamMemberForm(request.POST, instance=TeamMember(assessment=assessment,
                                                            organisation_id=assessment.organisation_id))
    if form.is_valid():
        form.save()
        messages.success(request, _("Added to the team: %(name)s.") % {"name": form.instance.name})
        return redirect(f"{reverse('assessments:detail', args=[assessment.pk])}#team-heading")
    context = overview_context(request, assessment)
    context["team_form"] = form
    return render(request, "assessments/detail.html", context, status=400)


@require_http_methods(["POST"])
def team_remove(request: HttpRequest, pk: Any) -> HttpResponse:
    member = get_for_user(TeamMember, request.user, Action.CHANGE, pk=pk)  # editing the assessment
    member.delete()
    messages.success(request, _("Removed from the team: %(name)s.") % {"name": member.name})
    return redirect(f"{reverse('assessments:detail', args=[member.assessment_id])}#team-heading")
