"""Reports: a job that builds one report file in the background, and what an organisation keeps out
of its redacted reports.

A ``ReportJob`` belongs to the organisation whose data it prints (the active organisation of the
member who asked for it); members who may see that organisation's records see its jobs and may
download their files, nobody else (``for_user``, 404 otherwise). The file is kept in the private
storage under ``reports/<organisation>/`` and is only ever served by the download view, never by a
URL of its own.

The worker writes progress with ``QuerySet.update`` in short autocommit statements (one row, no
signals), so a page polling the job never waits on a long transaction, on SQLite or PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stoa.accounts.models import Organisation
from stoa.accounts.tenancy import OrgOwnedModel


class ReportKind(models.TextChoices):
    CITY_OVERVIEW = "city_overview", _("City overview for the council")
    ACTION_PLAN = "action_plan", _("Action plan")
    REGISTER = "register", _("Register export")


class ReportFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    XLSX = "xlsx", _("Excel workbook")


# The one format each kind is made in.
KIND_FORMAT = {ReportKind.CITY_OVERVIEW: ReportFormat.PDF, ReportKind.ACTION_PLAN: ReportFormat.PDF,
               ReportKind.REGISTER: ReportFormat.XLSX}


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


FINISHED = (JobStatus.DONE, JobStatus.FAILED)


def _report_path(instance: ReportJob, filename: str) -> str:
    return f"reports/{instance.organisation_id}/{instance.id}-{filename}"


class ReportJob(OrgOwnedModel):
    """One report to build: what, for whom, how far it has got, and the file once done."""

    kind = models.CharField(_("report"), max_length=16, choices=ReportKind.choices)
    format = models.CharField(_("format"), max_length=4, choices=ReportFormat.choices)
    redacted = models.BooleanField(_("redacted"), default=False,
                                   help_text=_("Leave out what the organisation marked sensitive."))
    plan = models.ForeignKey("plans.ActionPlan", verbose_name=_("action plan"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    step = models.CharField(_("step"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=_report_path, max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        expected = KIND_FORMAT.get(self.kind)  # type: ignore[call-overload]
        if expected and self.format and self.format != expected:
            errors["format"] = _("This report is made as %(format)s only.") % {"format": expected.label}
        if self.kind == ReportKind.ACTION_PLAN:
            if self.plan_id is None:
                errors["plan"] = _("Choose the action plan to print.")
            elif self.plan is not None and self.plan.organisation_id != self.organisation_id:
                errors["plan"] = _("Choose a plan of your own organisation.")
        elif self.plan_id is not None:
            errors["plan"] = _("Only the action plan report is about one plan.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def download_name(self) -> str:
        stamp = (self.finished_at or self.created_at).strftime("%Y%m%d-%H%M")
        suffix = "-redacted" if self.redacted else ""
        return f"stoa-{self.kind.replace('_', '-')}{suffix}-{stamp}.{self.format}"


class Sensitive(models.TextChoices):
    """The kinds of content an organisation may keep out of its redacted reports."""

    SITE_NAMES = "site_names", _("Names of public spaces (replaced by codes P1, P2…)")
    LOCATIONS = "locations", _("Maps and exact locations (boundaries, addresses, where scenarios take place)")
    NARRATIVES = "narratives", _("Scenario narratives and rating justifications")
    MEASURE_DETAILS = "measure_details", _("Details of existing measures (descriptions, places, barrier ratings)")
    PEOPLE = "people", _("People's names (owners, team members, authors)")


def all_sensitive() -> list[str]:
    return [choice.value for choice in Sensitive]


class RedactionPolicy(models.Model):
    """What one organisation marked sensitive: left out of every redacted report it makes.

    An organisation that never set it gets every category (``for_organisation`` without saving),
    so a redacted report is safe by default; only an administrator changes it.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="redaction_policy")
    sensitive = models.JSONField(_("sensitive content"), default=all_sensitive)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("redaction policy")
        verbose_name_plural = _("redaction policies")

    def __str__(self) -> str:
        return f"{self.organisation}: {', '.join(self.sensitive)}"

    def clean(self) -> None:
        unknown = set(self.sensitive or []) - set(all_sensitive())
        if unknown:
            raise ValidationError({"sensitive": _("Unknown kinds of content: %(kinds)s.") % {
                "kinds": ", ".join(sorted(unknown))}})

    @classmethod
    def for_organisation(cls, organisation: Organisation) -> RedactionPolicy:
        """The stored policy, else one that marks everything sensitive (not saved)."""
        found = cls.objects.filter(organisation=organisation).first()
        return found or cls(organisation=organisation, sensitive=all_sensitive())

    def get_additional_data(self) -> dict[str, Any]:
        """Extra data stored with each audit entry, so the trail can be scoped by organisation."""
        return {"organisation": str(self.organisation_id)}
