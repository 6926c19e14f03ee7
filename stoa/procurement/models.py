"""Requests for information (RFI): a city asks the market, vendors answer, answers are evaluated.

Who sees what (the rules live in each model's ``shared_condition``, applied by the one tenancy
mechanism, ``OrgScopedQuerySet.for_user``):

* An ``Rfi`` belongs to the city. Once published, members of an invited vendor organisation see it
  (a public RFI: members of any vendor organisation). Vendors never see the city's assessment: the RFI
  carries its own problem statement and requirements, which the city writes for the market.
* A ``Submission`` belongs to the vendor organisation that wrote it. The city sees it once it is
  submitted; no other vendor ever does.
* A ``Clarification`` belongs to the city. The vendor that asked sees its own question; every
  vendor that may see the RFI sees the answered ones (never who asked).
* A ``Demonstration`` belongs to the city; the vendor whose submission it shows sees it.
* A ``SubmissionAttachment`` follows its submission.

Vendors only read (view) the city's objects; sharing never grants them change.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stoa.accounts.models import Organisation, OrganisationKind
from stoa.accounts.tenancy import OrgOwnedModel
from stoa.assessments.models import Assessment, RequirementCriterion, RequirementPriority, Scenario
from stoa.core.catalogue.requirements import limit_problem, meets

IMPACT_CHOICES = [("none", _("none")), ("low", _("low")), ("medium", _("medium")), ("high", _("high"))]
TIMING_CHOICES = [("structural", _("structural")), ("event", _("for events")), ("both", _("both"))]


def _reads(levels: list[str]) -> bool:
    """Vendors get view only: grant nothing when the action asked for needs an edit share."""
    return "read" in levels


class RfiStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class Visibility(models.TextChoices):
    INVITED = "invited", _("Invited vendors only")
    PUBLIC = "public", _("Any vendor")


class Rfi(OrgOwnedModel):
    """One request for information about one or more vulnerabilities of a public space."""

    assessment = models.ForeignKey(Assessment, verbose_name=_("assessment"), on_delete=models.PROTECT,
                                   related_name="rfis")
    scenarios = models.ManyToManyField(Scenario, verbose_name=_("vulnerabilities"), blank=True, related_name="rfis")
    evaluation = models.OneToOneField("evaluation.Evaluation", verbose_name=_("evaluation"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="rfi",
                                      help_text=_("Every submission becomes an alternative of this evaluation."))
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("the problem, for the market"),
                               help_text=_("What vendors may know: the kind of place, the threat and what is "
                                           "wanted. Keep site-specific weaknesses out."))
    threats = models.JSONField(_("threat types"), default=list, blank=True)
    criteria = models.JSONField(_("evaluation criteria"), default=dict, blank=True, editable=False)
    opens_at = models.DateTimeField(_("open from"))
    closes_at = models.DateTimeField(_("deadline"))
    visibility = models.CharField(_("who may answer"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.INVITED)
    status = models.CharField(_("status"), max_length=10, choices=RfiStatus.choices, default=RfiStatus.DRAFT,
                              editable=False)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True, editable=False)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("request for information")
        verbose_name_plural = _("requests for information")

    def __str__(self) -> str:
        return self.title

    @classmethod
    def shared_condition(cls, org_ids: list[Any], levels: list[str]) -> Q | None:
        if not _reads(levels) or not org_ids:
            return None
        invited = Q(pk__in=RfiInvitation.objects.filter(vendor_id__in=org_ids).values("rfi_id"))
        # "Public" means any vendor: another city or the police never read a city's RFI this way.
        if Organisation.objects.filter(pk__in=org_ids, kind=OrganisationKind.VENDOR).exists():
            invited |= Q(visibility=Visibility.PUBLIC)
        return Q(status=RfiStatus.PUBLISHED) & invited

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organisation_id = self.assessment.organisation_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The deadline must come after the opening date.")})

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return self.status == RfiStatus.PUBLISHED and self.opens_at <= now < self.closes_at

    @property
    def is_past_deadline(self) -> bool:
        return timezone.now() >= self.closes_at

    def phase(self) -> str:
        """draft, scheduled (published, not yet open), open, closed or cancelled."""
        if self.status != RfiStatus.PUBLISHED:
            return str(self.status)
        now = timezone.now()
        return "scheduled" if now < self.opens_at else "open" if now < self.closes_at else "closed"


class RfiRequirement(OrgOwnedModel):
    """A requirement as the market reads it: must-have (screens answers out) or desirable."""

    rfi = models.ForeignKey(Rfi, on_delete=models.CASCADE, related_name="requirements")
    text = models.TextField(_("requirement"))
    priority = models.CharField(_("priority"), max_length=10, choices=RequirementPriority.choices,
                                default=RequirementPriority.MUST)
    criterion = models.CharField(_("measurable condition"), max_length=30, blank=True,
                                 choices=RequirementCriterion.choices)
    limit = models.CharField(_("limit"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "created_at"]
        verbose_name = _("RFI requirement")
        verbose_name_plural = _("RFI requirements")

    def __str__(self) -> str:
        return self.text[:80]

    @classmethod
    def shared_condition(cls, org_ids: list[Any], levels: list[str]) -> Q | None:
        rfis = Rfi.shared_condition(org_ids, levels)
        return None if rfis is None else Q(rfi__in=Rfi.objects.filter(rfis).values("pk"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organisation_id = self.rfi.organisation_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        problem = limit_problem(self.criterion, self.limit.strip())
        if problem:
            from stoa.assessments.models import LIMIT_MESSAGES

            raise ValidationError({"limit": LIMIT_MESSAGES[problem]})

    @property
    def is_must(self) -> bool:
        return self.priority == RequirementPriority.MUST

    def meets(self, facts: dict[str, Any]) -> bool:
        return meets(self.criterion, self.limit.strip(), facts)


class RfiInvitation(OrgOwnedModel):
    """A vendor organisation asked to answer an RFI."""

    rfi = models.ForeignKey(Rfi, on_delete=models.CASCADE, related_name="invitations")
    vendor = models.ForeignKey(Organisation, verbose_name=_("vendor"), on_delete=models.CASCADE, related_name="+",
                               limit_choices_to={"kind": OrganisationKind.VENDOR})

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["rfi", "vendor"], name="one_invitation_per_vendor")]

    def __str__(self) -> str:
        return str(self.vendor)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organisation_id = self.rfi.organisation_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.vendor_id and self.vendor.kind != OrganisationKind.VENDOR:
            raise ValidationError({"vendor": _("Only vendor organisations can be invited.")})


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Submission(OrgOwnedModel):
    """A vendor's answer to an RFI: one solution, described in the fields the evaluation needs."""

    rfi = models.ForeignKey(Rfi, verbose_name=_("request for information"), on_delete=models.CASCADE,
                            related_name="submissions")
    solution = models.CharField(_("solution"), max_length=200)
    description = models.TextField(_("what it is and how it works"))
    threats = models.JSONField(_("threat types addressed"), default=list, blank=True)
    phases = models.JSONField(_("attack phases addressed"), default=list, blank=True)
    trl = models.PositiveSmallIntegerField(_("maturity (TRL 1–9)"), null=True, blank=True)
    performance = models.TextField(_("performance evidence"), blank=True,
                                   help_text=_("Test reports, certificates, ratings, field results."))
    detection_rate = models.FloatField(_("detection rate (%)"), null=True, blank=True)
    false_alarms_per_day = models.FloatField(_("false alarms per day"), null=True, blank=True)
    physical_needs = models.TextField(_("physical needs"), blank=True,
                                      help_text=_("Footprint, foundations, power, network, installation works."))
    deploy_days = models.PositiveIntegerField(_("days to deploy"), null=True, blank=True)
    capital_eur = models.PositiveIntegerField(_("capital cost (EUR)"), null=True, blank=True)
    yearly_eur = models.PositiveIntegerField(_("running cost per year (EUR)"), null=True, blank=True)
    timing = models.CharField(_("usable as"), max_length=10, choices=TIMING_CHOICES, default="both")
    personal_data = models.BooleanField(_("processes personal data"), default=False)
    privacy_impact = models.CharField(_("privacy impact"), max_length=8, choices=IMPACT_CHOICES, default="none")
    normal_use_impact = models.CharField(_("impact on normal use"), max_length=8, choices=IMPACT_CHOICES,
                                         default="low")
    aesthetic_impact = models.CharField(_("impact on the look of the place"), max_length=8, choices=IMPACT_CHOICES,
                                        default="low")
    accessibility_impact = models.CharField(_("impact on accessibility"), max_length=8, choices=IMPACT_CHOICES,
                                            default="none")
    compliance = models.TextField(_("compliance statement"), blank=True,
                                  help_text=_("Law, GDPR and ethics: how the solution complies."))
    demo_available = models.BooleanField(_("can be demonstrated on site"), default=False)
    demo_notes = models.TextField(_("demonstration needs"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.DRAFT, editable=False)
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    class Meta:
        ordering = ["-submitted_at", "solution"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [models.UniqueConstraint(fields=["rfi", "organisation", "solution"],
                                               name="one_submission_per_solution")]

    def __str__(self) -> str:
        return self.solution

    @classmethod
    def shared_condition(cls, org_ids: list[Any], levels: list[str]) -> Q | None:
        if not _reads(levels) or not org_ids:
            return None
        return Q(status=SubmissionStatus.SUBMITTED, rfi__organisation_id__in=org_ids)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.trl is not None and not 1 <= self.trl <= 9:
            errors["trl"] = _("TRL runs from 1 to 9.")
        if self.detection_rate is not None and not 0 <= self.detection_rate <= 100:
            errors["detection_rate"] = _("A detection rate is a percentage from 0 to 100.")
        if self.false_alarms_per_day is not None and self.false_alarms_per_day < 0:
            errors["false_alarms_per_day"] = _("Cannot be negative.")
        if errors:
            raise ValidationError(errors)

    def facts(self) -> dict[str, Any]:
        """The submission in the shape of a catalogue measure's data, for screening and suggestions."""
        return {
            "trl": self.trl or 0,
            "cost": {"capital_eur": [self.capital_eur or 0] * 2, "yearly_eur": [self.yearly_eur or 0] * 2},
            "deploy_days": [self.deploy_days or 0] * 2,
            "timing": self.timing, "gdpr": self.personal_data, "privacy": self.privacy_impact,
            "normal_use_impact": self.normal_use_impact, "aesthetic_impact": self.aesthetic_impact,
            "accessibility_impact": self.accessibility_impact,
            "detection_rate": self.detection_rate, "false_alarms_per_day": self.false_alarms_per_day,
            "threats": list(self.threats or []),
        }

    def screening(self) -> list[tuple[RfiRequirement, bool]]:
        """Each requirement of the RFI with a measurable condition, and whether this answer meets it."""
        facts = self.facts()
        return [(r, r.meets(facts)) for r in self.rfi.requirements.all() if r.criterion]

    @property
    def fails_must_haves(self) -> list[RfiRequirement]:
        return [r for r, ok in self.screening() if r.is_must and not ok]


def attachment_path(instance: SubmissionAttachment, filename: str) -> str:
    return f"rfi/{instance.submission.rfi_id}/{instance.submission_id}/{instance.pk}"


class SubmissionAttachment(OrgOwnedModel):
    """A file a vendor attached to a submission (test report, datasheet, drawing)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def shared_condition(cls, org_ids: list[Any], levels: list[str]) -> Q | None:
        if not _reads(levels) or not org_ids:
            return None
        return Q(submission__status=SubmissionStatus.SUBMITTED, submission__rfi__organisation_id__in=org_ids)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organisation_id = self.submission.organisation_id
        super().save(*args, **kwargs)


class Clarification(OrgOwnedModel):
    """A vendor's question about an RFI and the city's answer, shared with every vendor once answered."""

    rfi = models.ForeignKey(Rfi, on_delete=models.CASCADE, related_name="clarifications")
    asked_by = models.ForeignKey(Organisation, verbose_name=_("asked by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications")

    def __str__(self) -> str:
        return self.question[:80]

    @classmethod
    def shared_condition(cls, org_ids: list[Any], levels: list[str]) -> Q | None:
        rfis = Rfi.shared_condition(org_ids, levels)
        if rfis is None:
            return None
        visible = Q(rfi__in=Rfi.objects.filter(rfis).values("pk"))
        return visible & (Q(answered_at__isnull=False) | Q(asked_by_id__in=org_ids))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organisation_id = self.rfi.organisation_id
        super().save(*args, **kwargs)


class DemoMode(models.TextChoices):
    LIVE = "live", _("Live on site")
    BROADCAST = "broadcast", _("Live broadcast with web conference")
    WEBINAR = "webinar", _("Web conference")


class Demonstration(OrgOwnedModel):
    """A demonstration session of a shortlisted submission: the evaluation's next stage."""

    rfi = models.ForeignKey(Rfi, on_delete=models.CASCADE, related_name="demonstrations")
    submission = models.ForeignKey(Submission, verbose_name=_("submission"), on_delete=models.CASCADE,
                                   related_name="demonstrations")
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    place = models.CharField(_("place"), max_length=200, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=DemoMode.choices, default=DemoMode.LIVE)
    scenario = models.TextField(_("scenario played"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("demonstration")
        verbose_name_plural = _("demonstrations")

    def __str__(self) -> str:
        return f"{self.submission} — {self.starts_at:%Y-%m-%d %H:%M}" if self.starts_at else str(self.submission)

    @classmethod
    def shared_condition(cls, org_ids: list[Any], levels: list[str]) -> Q | None:
        if not _reads(levels) or not org_ids:
            return None
        return Q(submission__organisation_id__in=org_ids)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organisation_id = self.rfi.organisation_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.submission_id and self.rfi_id and self.submission.rfi_id != self.rfi_id:
            raise ValidationError({"submission": _("This submission answers another RFI.")})
