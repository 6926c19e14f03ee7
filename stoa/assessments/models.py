"""A vulnerability self-assessment of one public space, after the EU VAT method.

An assessment belongs to its site's organisation and is seen and changed by whoever may see or
change the site (its shares included), like the site's own parts. Everything recorded during the
assessment (team, answers, existing measures, the ten scenarios) hangs off the assessment and
follows the same rule. The risk matrix is copied into the assessment when it is created, so a
later change to the library never changes the ratings of an assessment already made.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import MD5, Cast
from django.utils.translation import gettext_lazy as _

from stoa.accounts.tenancy import OrgOwnedModel
from stoa.accounts.versioning import VersionedModel
from stoa.assessments.locking import (
    check_assessment_delete,
    check_assessment_save,
    check_link_change,
    check_part_editable,
)
from stoa.assessments.matrix import matrix_of
from stoa.core import geometry
from stoa.core.catalogue.requirements import limit_problem, meets
from stoa.library.models import ReferenceObject
from stoa.sites.formfields import geometry_message
from stoa.sites.models import Site, SiteShare


def shared_sites(org_ids: list[Any], levels: list[str]) -> Any:
    """Ids of the sites shared with one of ORG_IDS at one of LEVELS (for ``shared_condition``)."""
    return SiteShare.objects.filter(organisation_id__in=org_ids, access__in=levels).values("site_id")


class Depth(models.TextChoices):
    QUICK = "quick", _("Quick scan")
    FULL = "full", _("Full assessment")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SIGNED_OFF = "signed_off", _("Signed off")


class AnswerSource(models.TextChoices):
    WEB = "web", _("Stoa pages")
    API = "api", _("API")
    XLSFORM = "xlsform", _("ODK / KoboToolbox submission")
    COPY = "copy", _("Copied from the previous assessment")


class Assessment(OrgOwnedModel):
    """One assessment of one site on one date, by a team, on a frozen risk matrix."""

    site = models.ForeignKey(Site, verbose_name=_("public space"), on_delete=models.CASCADE,
                             related_name="assessments")
    date = models.DateField(_("date of the assessment"))
    managing_body = models.CharField(_("managing body"), max_length=200, blank=True,
                                     help_text=_("Who manages the space day to day."))
    depth = models.CharField(_("depth"), max_length=8, choices=Depth.choices, default=Depth.QUICK)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT,
                              editable=False)
    risk_matrix = models.JSONField(_("risk matrix"), default=dict, editable=False,
                                   help_text=_("Copy of the risk matrix taken when the assessment was created."))
    # Lets a list of assessments share one decoded copy per distinct matrix (stoa.assessments.matrix_copies).
    # Computed by the database on every write, so no path (a bulk update, a restore) can leave it stale.
    risk_matrix_key = models.GeneratedField(expression=MD5(Cast("risk_matrix", models.TextField())),
                                            output_field=models.CharField(max_length=32), db_persist=True)
    question_bank_urn = models.CharField(_("question bank"), max_length=200, blank=True, editable=False)
    question_bank_version = models.PositiveIntegerField(_("question bank version"), null=True, blank=True,
                                                        editable=False)
    review_cycle_months = models.PositiveSmallIntegerField(
        _("review cycle (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("How often the assessment should be repeated."))
    previous = models.ForeignKey("self", verbose_name=_("previous assessment"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="reassessments", editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("team lead"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+",
                             help_text=_("Settles disagreements between assessors and submits the assessment."))
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+", editable=False)
    signed_off_at = models.DateTimeField(_("signed off on"), null=True, blank=True, editable=False)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed off by"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+", editable=False)
    returned_reason = models.TextField(_("why it was sent back"), blank=True, editable=False)

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return _("%(site)s, %(date)s") % {"site": self.site, "date": self.date}

    @classmethod
    def shared_condition(cls, org_ids: list[Any], levels: list[str]) -> Q | None:
        return Q(site_id__in=shared_sites(org_ids, levels))

    def clean(self) -> None:
        from stoa.accounts.roles import Action

        if self.lead is not None and self.site_id and not Site.objects.for_user(self.lead, Action.CHANGE).filter(
                pk=self.site_id).exists():
            raise ValidationError({"lead": _("The team lead must be someone who may change this public space.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        check_assessment_save(self)  # the freeze rule (stoa.assessments.locking)
        self.organisation_id = self.site.organisation_id
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        check_assessment_delete(self)
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.status == Status.SIGNED_OFF

    @property
    def is_editable(self) -> bool:
        """Only a draft may change: a submitted assessment waits for sign-off or to be sent back."""
        return self.status == Status.DRAFT


class AssessmentPart(OrgOwnedModel):
    """Something recorded during one assessment; it follows the assessment's site for access."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="%(class)ss")

    class Meta:
        abstract = True

    @classmethod
    def shared_condition(cls, org_ids: list[Any], levels: list[str]) -> Q | None:
        return Q(assessment__site_id__in=shared_sites(org_ids, levels))

    def save(self, *args: Any, **kwargs: Any) -> None:
        check_part_editable(self.assessment_id)  # the freeze rule (stoa.assessments.locking)
        self.organisation_id = self.assessment.organisation_id
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        check_part_editable(self.assessment_id)
        return super().delete(*args, **kwargs)


class TeamMember(AssessmentPart):
    """Someone on the assessment team: municipality, police, operator, expert."""

    name = models.CharField(_("name"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role in the team"), max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Stoa account"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name = _("team member")
        verbose_name_plural = _("team")

    def __str__(self) -> str:
        return self.name


class Answer(AssessmentPart):
    """One assessor's answer to one question of the bank. The value's shape depends on the
    question type and is checked by ``stoa.assessments.answers`` before it is stored."""

    question = models.CharField(_("question"), max_length=80)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assessor"), null=True,
                                 on_delete=models.SET_NULL, related_name="+")
    value = models.JSONField(_("answer"), null=True, blank=True)
    source = models.CharField(_("entered through"), max_length=12, choices=AnswerSource.choices,
                              default=AnswerSource.WEB, editable=False)

    class Meta:
        ordering = ["question"]
        constraints = [models.UniqueConstraint(fields=["assessment", "question", "assessor"],
                                               name="one_answer_per_assessor")]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


class SettledAnswer(AssessmentPart):
    """The team's answer to a question on which assessors disagreed, chosen by the lead.
    When present it is the answer the proposals use, whatever the assessors said."""

    question = models.CharField(_("question"), max_length=80)
    value = models.JSONField(_("settled answer"), null=True, blank=True)
    note = models.TextField(_("why this answer"), blank=True)
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("settled by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+", editable=False)

    class Meta:
        ordering = ["question"]
        constraints = [models.UniqueConstraint(fields=["assessment", "question"], name="one_settled_answer")]
        verbose_name = _("settled answer")
        verbose_name_plural = _("settled answers")

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


class Nature(models.TextChoices):
    NATURAL = "natural", _("Natural (part of the place: trees, level changes, water)")
    EMPLACED = "emplaced", _("Emplaced (installed: bollards, barriers, cameras)")


class Timing(models.TextChoices):
    STRUCTURAL = "structural", _("Structural (always in place)")
    EVENT = "event", _("Event-driven (put in place for events)")


class ExistingMeasure(AssessmentPart):
    """A protective measure already in place, which the ratings take into account."""

    description = models.CharField(_("description"), max_length=300)
    nature = models.CharField(_("natural or emplaced"), max_length=10, choices=Nature.choices,
                              default=Nature.EMPLACED)
    technology_category = models.ForeignKey(
        ReferenceObject, verbose_name=_("technology category"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", limit_choices_to={"kind": "technology_category"})
    timing = models.CharField(_("structural or event-driven"), max_length=10, choices=Timing.choices,
                              default=Timing.STRUCTURAL)
    threats = models.JSONField(_("threats it helps against"), default=list, blank=True,
                               help_text=_("Threat type ids, e.g. VEHICLE."))
    geometry = models.JSONField(_("location"), null=True, blank=True, help_text=_("GeoJSON point or polygon, WGS84."))
    catalogue_key = models.CharField(
        _("catalogue entry"), max_length=250, blank=True,
        help_text=_("The catalogue measure this is, so its effect is known and it is not proposed again."))
    barrier_rating = models.CharField(
        _("vehicle barrier rating"), max_length=80, blank=True,
        help_text=_("For a tested vehicle barrier, its rating as on the certificate, e.g. V/7200[N3C]/64/90 "
                    "(IWA 14-1), V/7200[N3C]/64/90:1.3 (ISO 22343-1) or V/7500(N2)/48/90:3.5/25.0 (PAS 68). "
                    "The vehicle run-up analysis checks it against the computed impact speeds."))

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("existing measure")
        verbose_name_plural = _("existing measures")

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        known = set(ReferenceObject.objects.filter(kind="threat_type").values_list("ref_id", flat=True))
        if not isinstance(self.threats, list) or any(t not in known for t in self.threats):
            raise ValidationError({"threats": _("Give a list of threat type ids, e.g. VEHICLE.")})
        if self.geometry:
            try:
                geometry.parse(self.geometry, ("Point", "Polygon"))
            except geometry.GeometryError as exc:
                raise ValidationError({"geometry": geometry_message(exc)}) from exc
        if self.barrier_rating:
            from stoa.core.hvm.rating import RatingError, parse_rating

            try:
                parse_rating(self.barrier_rating)
            except RatingError as exc:
                raise ValidationError({"barrier_rating": _("This is not a barrier rating Stoa can read: %(problem)s")
                                       % {"problem": exc}}) from exc
        if self.catalogue_key and self.assessment_id:
            from stoa.catalogue.entries import catalogue_for

            if catalogue_for(self.assessment.organisation).get(self.catalogue_key) is None:
                raise ValidationError({"catalogue_key": _("This is not an entry of your catalogue.")})


class Scenario(VersionedModel, AssessmentPart):
    """How an attack of one threat type could unfold at this site, and how it is rated."""

    threat = models.ForeignKey(ReferenceObject, verbose_name=_("threat type"), on_delete=models.PROTECT,
                               related_name="+", limit_choices_to={"kind": "threat_type"}, editable=False)
    narrative = models.TextField(_("scenario"), blank=True,
                                 help_text=_("In a few sentences: who, how, where, when, and what would happen."))
    attack_phase = models.ForeignKey(
        ReferenceObject, verbose_name=_("attack phase"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", limit_choices_to={"kind": "attack_phase"},
        help_text=_("The phase of the attack this scenario looks at most closely."))
    location = models.CharField(_("where on the site"), max_length=300, blank=True)
    geometry = models.JSONField(_("location on the map"), null=True, blank=True,
                                help_text=_("GeoJSON point or polygon, WGS84."))
    time_slot = models.CharField(_("event or time slot"), max_length=200, blank=True)
    not_applicable = models.BooleanField(_("not applicable to this site"), default=False)
    not_applicable_reason = models.TextField(_("why it does not apply"), blank=True)
    proposed_likelihood = models.PositiveSmallIntegerField(_("proposed likelihood"), null=True, blank=True,
                                                           editable=False)
    proposed_consequence = models.PositiveSmallIntegerField(_("proposed consequence"), null=True, blank=True,
                                                            editable=False)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), null=True, blank=True)
    consequence = models.PositiveSmallIntegerField(_("consequence"), null=True, blank=True)
    override_justification = models.TextField(
        _("why the rating differs from the proposal"), blank=True,
        help_text=_("Needed when your rating is not the one Stoa proposed."))

    class Meta:
        ordering = ["threat__order", "threat__ref_id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "threat"], name="one_scenario_per_threat")]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self) -> str:
        return str(self.threat)

    @property
    def rated(self) -> bool:
        return self.likelihood is not None and self.consequence is not None

    @property
    def overridden(self) -> bool:
        if not self.rated or self.proposed_likelihood is None or self.proposed_consequence is None:
            return False
        return (self.likelihood, self.consequence) != (self.proposed_likelihood, self.proposed_consequence)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.not_applicable and not self.not_applicable_reason.strip():
            errors["not_applicable_reason"] = _("Say why this threat type does not apply to the site.")
        if self.geometry:
            try:
                geometry.parse(self.geometry, ("Point", "Polygon"))
            except geometry.GeometryError as exc:
                errors["geometry"] = geometry_message(exc)
        if (self.likelihood is None) != (self.consequence is None):
            errors["consequence" if self.consequence is None else "likelihood"] = _(
                "Rate both likelihood and consequence, or neither.")
        elif self.rated and self.assessment_id:
            matrix = matrix_of(self.assessment)
            for field, value, scale in (("likelihood", self.likelihood, matrix.likelihood_values),
                                        ("consequence", self.consequence, matrix.consequence_values)):
                if value not in scale:
                    errors[field] = _("%(value)s is outside this assessment's risk matrix (%(low)s to %(high)s).") % {
                        "value": value, "low": min(scale), "high": max(scale)}
        if not errors and self.overridden and not self.override_justification.strip():
            errors["override_justification"] = _(
                "Your rating differs from the proposal (likelihood %(l)s, consequence %(c)s): say why.") % {
                "l": self.proposed_likelihood, "c": self.proposed_consequence}
        if errors:
            raise ValidationError(errors)


class Objective(AssessmentPart):
    """What the team wants to achieve about one or more vulnerabilities (road-map step 3)."""

    title = models.CharField(_("objective"), max_length=300)
    description = models.TextField(_("details"), blank=True)
    scenarios = models.ManyToManyField(Scenario, verbose_name=_("vulnerabilities it addresses"), blank=True,
                                       related_name="objectives")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.title


class RequirementScope(models.TextChoices):
    GENERAL = "general", _("General (any solution, any site)")
    SITE = "site", _("Specific to this site")


class RequirementPriority(models.TextChoices):
    MUST = "must", _("Must have")
    DESIRABLE = "desirable", _("Desirable")


class RequirementCriterion(models.TextChoices):
    """A measurable condition on a solution; the rule is ``stoa.core.catalogue.requirements``."""

    NONE = "", _("None (described in words only)")
    MAX_PRIVACY = "max_privacy", _("Privacy impact at most")
    MAX_NORMAL_USE = "max_normal_use_impact", _("Impact on normal use at most")
    MAX_AESTHETIC = "max_aesthetic_impact", _("Impact on the look of the place at most")
    MAX_ACCESSIBILITY = "max_accessibility_impact", _("Impact on accessibility at most")
    NO_PERSONAL_DATA = "no_personal_data", _("Processes no personal data")
    MAX_CAPITAL = "max_capital_eur", _("Capital cost at most (EUR)")
    MAX_YEARLY = "max_yearly_eur", _("Yearly running cost at most (EUR)")
    MIN_TRL = "min_trl", _("Maturity at least (TRL 1–9)")
    MAX_DEPLOY_DAYS = "max_deploy_days", _("Ready within (days)")
    TIMING = "timing", _("Usable as (structural or event)")


LIMIT_MESSAGES = {
    "impact": _("Give the highest acceptable impact: none, low, medium or high."),
    "timing": _("Give structural or event."),
    "number": _("Give a number."),
    "range": _("The number is out of range (TRL runs from 1 to 9; amounts and days are not negative)."),
    "unknown criterion": _("Unknown condition."),
}


class Requirement(AssessmentPart):
    """A condition a solution must or should meet to serve an objective; feeds catalogue search and RFIs."""

    objective = models.ForeignKey(Objective, verbose_name=_("objective"), on_delete=models.CASCADE,
                                  related_name="requirements")
    text = models.TextField(_("requirement"))
    scope = models.CharField(_("scope"), max_length=8, choices=RequirementScope.choices,
                             default=RequirementScope.SITE)
    priority = models.CharField(_("priority"), max_length=10, choices=RequirementPriority.choices,
                                default=RequirementPriority.MUST)
    threats = models.JSONField(_("threat types"), default=list, blank=True,
                               help_text=_("Threat type ids the requirement is about, e.g. VEHICLE."))
    criterion = models.CharField(_("measurable condition"), max_length=30, blank=True,
                                 choices=RequirementCriterion.choices,
                                 help_text=_("Lets the gap analysis leave out measures that do not meet it."))
    limit = models.CharField(_("limit"), max_length=40, blank=True,
                             help_text=_("e.g. low, 50000, 7, event: what the condition compares with."))

    class Meta:
        ordering = ["objective", "-priority", "created_at"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        if self.objective_id and self.assessment_id and self.objective.assessment_id != self.assessment_id:
            raise ValidationError({"objective": _("The objective belongs to another assessment.")})
        known = set(ReferenceObject.objects.filter(kind="threat_type").values_list("ref_id", flat=True))
        if not isinstance(self.threats, list) or any(t not in known for t in self.threats):
            raise ValidationError({"threats": _("Give a list of threat type ids, e.g. VEHICLE.")})
        problem = limit_problem(self.criterion, self.limit.strip())
        if problem:
            raise ValidationError({"limit": LIMIT_MESSAGES[problem]})

    def meets(self, measure_data: dict[str, Any]) -> bool:
        return meets(self.criterion, self.limit.strip(), measure_data)


# The freeze rule covers the objective ↔ scenario links too (they do not go through save()).
models.signals.m2m_changed.connect(check_link_change, sender=Objective.scenarios.through,
                                   dispatch_uid="assessments-freeze-objective-links")
