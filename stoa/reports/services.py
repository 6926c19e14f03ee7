"""Asking for a report: the one place that decides who may start which report (pages and API).

Who: any member of the organisation whose role lets them see its records (viewers and police
liaisons too). A report prints only what they may already read on screen, so making one is
reading, not changing; the job and its file are then visible to every member who may see the
organisation's records, and to nobody outside it. Vendor organisations make no reports. An action
plan report is about a plan of the same organisation (not one shared by another).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from stoa.accounts.models import Organisation, OrganisationKind
from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can
from stoa.plans.models import ActionPlan
from stoa.reports.jobs import start_job
from stoa.reports.models import KIND_FORMAT, ReportJob, ReportKind


def may_report(user: Any, organisation: Organisation | None) -> bool:
    return (organisation is not None and organisation.kind != OrganisationKind.VENDOR
            and can(user, Action.VIEW, organisation))


def plans_for(user: Any, organisation: Organisation) -> Any:
    """The plans an action-plan report may be about (a city has a thousand: only what the choice shows
    is read; the rest of a chosen plan loads when the report needs it)."""
    return (ActionPlan.objects.for_user(user, Action.VIEW).filter(organisation=organisation).select_related("site")
            .only("id", "title", "organisation", "site", "site__name"))


def request_report(user: Any, organisation: Organisation | None, *, kind: str, fmt: str | None = None,
                   redacted: bool = False, plan: ActionPlan | None = None, language: str | None = None) -> ReportJob:
    """Save a new job and start it (``stoa.reports.jobs.start_job``). PermissionDenied when USER may
    not report for ORGANISATION; ValidationError for a request that does not make sense."""
    if organisation is None or not may_report(user, organisation):
        raise PermissionDenied(_("Your role does not allow making reports for this organisation."))
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("Choose one of the reports.")})
    if plan is not None and not plans_for(user, organisation).filter(pk=plan.pk).exists():
        raise ValidationError({"plan": _("Choose a plan of your own organisation.")})
    job = ReportJob(organisation=organisation, kind=kind, format=fmt or KIND_FORMAT[ReportKind(kind)],
                    redacted=redacted, plan=plan, created_by=user if user.is_authenticated else None)
    job.full_clean(exclude=["file"])
    job.save()
    return start_job(job, language=language)
