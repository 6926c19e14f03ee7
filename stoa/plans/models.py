"""Action plans: the measures a city decides on for each public space, who does them, when, at what cost.

A plan belongs to one public space (PSOI) and treats the scenarios of one of its assessments; the
city-wide plan is the set of every PSOI's plan (``stoa.plans.city``). Each planned measure comes
from a what-if option, an evaluation's decision or is typed in, and carries its owner, costs,
dates, status, horizon and dependencies. The residual risk a plan leaves is computed, not typed
(``stoa.plans.residual``), from the catalogue effects of its measures that are not cancelled.

A plan is followed like a PSOI security plan: it is reviewed every ``review_every_months``; the
next review date is kept and a reminder is mailed once per review date (``stoa manage remind_reviews``,
``stoa.plans.reminders``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stoa.accounts.tenancy import OrgOwnedModel
from stoa.accounts.versioning import VersionedModel
from stoa.assessments.models import Assessment, Scenario, shared_sites
from stoa.sites.models import Site


class Horizon(models.TextChoices):
    SHORT = "short", _("Short term (1–3 years)")
    MID = "mid", _("Mid term (3–5 years)")
    LONG = "long", _("Long term (5–10 years)")


RISK_FIELDS = ("risk_current", "risk_residual", "risk_stamp")

HORIZON_YEARS = {Horizon.SHORT: (1, 3), Horizon.MID: (3, 5), Horizon.LONG: (5, 10)}


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    FINISHED = "finished", _("Finished")


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ItemSource(models.TextChoices):
    WHATIF = "whatif", _("What-if option")
    EVALUATION = "evaluation", _("Evaluation decision")
    OPTIMISER = "optimiser", _("Budget optimisation")
    MANUAL = "manual", _("Typed in")


class ActionPlan(VersionedModel, OrgOwnedModel):
    """The action plan of one public space, against the scenarios of one of its assessments."""

    site = models.ForeignKey(Site, verbose_name=_("public space"), on_delete=models.CASCADE, related_name="plans")
    assessment = models.ForeignKey(Assessment, verbose_name=_("assessment"), on_delete=models.PROTECT,
                                   related_name="plans",
                                   help_text=_("The assessment whose scenarios the plan treats."))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    owner_name = models.CharField(_("plan owner"), max_length=200, blank=True,
                                  help_text=_("The managing body or person accountable for the plan."))
    review_every_months = models.PositiveSmallIntegerField(
        _("review every (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(60)])
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    next_review = models.DateField(_("next review"), null=True, blank=True,
                                   help_text=_("Empty: computed from the last review and the cycle."))
    reminder_sent_for = models.DateField(null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    # The plan's risk score, current and residual (``stoa.plans.residual``), kept so the city totals are
    # one SQL sum. Empty: not known (never computed, or an input changed since); ``stoa.plans.risk``
    # empties them on every change of an input and fills them again on the next read. The stamp grows
    # with each emptying, so a figure computed from inputs read before a change is never stored.
    risk_current = models.FloatField(null=True, blank=True, editable=False)
    risk_residual = models.FloatField(null=True, blank=True, editable=False)
    risk_stamp = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["site__name", "created_at"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return self.title

    @classmethod
    def shared_condition(cls, org_ids: list[Any], levels: list[str]) -> Q | None:
        return Q(site_id__in=shared_sites(org_ids, levels))

    def clean(self) -> None:
        if self.assessment_id and self.site_id and self.assessment.site_id != self.site_id:
            raise ValidationError({"assessment": _("Choose an assessment of this public space.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organisation_id = self.site.organisation_id
        if self.next_review is None:
            self.next_review = self.due_review()
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            # The stored risk is written by ``stoa.plans.risk`` alone: a plan loaded before an item
            # changed must not write back the figure the change emptied.
            kwargs["update_fields"] = [f.name for f in self._meta.concrete_fields
                                       if not f.primary_key and f.name not in RISK_FIELDS]
        super().save(*args, **kwargs)

    def due_review(self) -> datetime.date:
        """The last review (else the plan's creation) plus the review cycle."""
        start = self.last_reviewed or (self.created_at.date() if self.created_at else datetime.date.today())
        month = start.month - 1 + self.review_every_months
        year, month = start.year + month // 12, month % 12 + 1
        day = min(start.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
                              31, 31, 30, 31, 30, 31][month - 1])
        return datetime.date(year, month, day)


class PlanPart(OrgOwnedModel):
    """Something that belongs to one plan and follows its access."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="%(class)ss")

    class Meta:
        abstract = True

    @classmethod
    def shared_condition(cls, org_ids: list[Any], levels: list[str]) -> Q | None:
        return Q(plan__site_id__in=shared_sites(org_ids, levels))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organisation_id = self.plan.organisation_id
        super().save(*args, **kwargs)


class PlannedMeasure(VersionedModel, PlanPart):
    """One measure of a plan: what, from where, who, when, how much, and how far it has got."""

    name = models.CharField(_("measure"), max_length=300)
    catalogue_key = models.CharField(
        _("catalogue entry"), max_length=250, blank=True,
        help_text=_("The catalogue measure this is, so its effect on the scenarios is known."))
    source = models.CharField(_("comes from"), max_length=12, choices=ItemSource.choices, default=ItemSource.MANUAL)
    source_ref = models.CharField(max_length=64, blank=True, editable=False,
                                  help_text=_("Id of the what-if option, evaluation or optimisation run."))
    scenarios = models.ManyToManyField(Scenario, verbose_name=_("scenarios it treats"), blank=True, related_name="+")
    owner = models.CharField(_("owner"), max_length=200, blank=True, help_text=_("Department or person in charge."))
    owner_email = models.EmailField(_("owner's e-mail"), blank=True)
    capital_eur = models.PositiveIntegerField(_("capital cost (€)"), default=0)
    yearly_eur = models.PositiveIntegerField(_("yearly cost (€)"), default=0)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0,
                                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    horizon = models.CharField(_("horizon"), max_length=6, choices=Horizon.choices, default=Horizon.SHORT)
    depends_on = models.ManyToManyField("self", verbose_name=_("depends on"), symmetrical=False, blank=True,
                                        related_name="needed_by")
    notes = models.TextField(_("notes"), blank=True)
    # The end date an overdue notice was mailed to the owner for (``stoa.plans.reminders``): once per end date.
    overdue_notice_sent_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["start", "created_at"]
        verbose_name = _("planned measure")
        verbose_name_plural = _("planned measures")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end (%(end)s) is before the start (%(start)s).") % {
                "end": self.end.isoformat(), "start": self.start.isoformat()}
        if self.status == ItemStatus.DONE and self.progress != 100:
            self.progress = 100
        if self.catalogue_key and self.plan_id:
            from stoa.catalogue.entries import catalogue_for

            if catalogue_for(self.plan.organisation).get(self.catalogue_key) is None:
                errors["catalogue_key"] = _("This is not an entry of your catalogue.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_overdue(self) -> bool:
        return bool(self.end and self.end < datetime.date.today()
                    and self.status in (ItemStatus.PLANNED, ItemStatus.IN_PROGRESS))


class OptimisationRun(OrgOwnedModel):
    """A budget optimisation across the organisation's public spaces: its inputs and result, kept."""

    name = models.CharField(_("name"), max_length=200)
    budget_eur = models.PositiveIntegerField(_("capital budget (€)"))
    yearly_budget_eur = models.PositiveIntegerField(_("yearly budget (€)"), null=True, blank=True)
    inputs = models.JSONField(default=dict, editable=False)
    result = models.JSONField(default=dict, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("optimisation run")
        verbose_name_plural = _("optimisation runs")

    def __str__(self) -> str:
        return self.name
