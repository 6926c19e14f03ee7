"""Technology evaluations after PRoTECT's TEF: which solution best answers one vulnerability.

* ``CriteriaSet``: a city's own criteria tree (a copy of a shipped ``criteria_set`` library item,
  edited). Its ``data`` has exactly the library shape and is checked by the same schema.
* ``Evaluation``: candidate solutions for one vulnerability (a scenario of an assessment), judged
  on criteria copied into the evaluation when it is made, so editing a set later never changes an
  evaluation under way. It follows the assessment's site for access, like a what-if option.
* ``Weighting``: one elicitation of the weights (direct points, ranking, AHP or swing) with its
  inputs, who made it and when: the provenance an auditor asks for. The evaluation uses the latest.
* ``Alternative``: a catalogue measure (shipped or local), an RFI submission, or one described by hand.
* ``Expert`` and ``Score``: the panel, their declared conflicts of interest, and each expert's
  score of each alternative on each criterion at one stage, with a justification.
* ``DecisionRecord``: the frozen inputs, method, versions and outputs (``stoa.evaluation.record``).

The computation lives in ``stoa.core.mcda``; ``stoa.evaluation.results`` turns these rows into its
arrays.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stoa.accounts.tenancy import OrgOwnedModel
from stoa.assessments.models import Assessment, Scenario, shared_sites
from stoa.evaluation.criteria import CriteriaTree, criteria_problems


class Stage(models.TextChoices):
    """The TEF's three kinds of evaluation, in the order they happen."""

    RFI = "rfi", _("Information supplied (RFI)")
    DEMONSTRATION = "demonstration", _("Demonstration")
    TABLETOP = "tabletop", _("Table-top scenario session")


STAGE_ORDER = [Stage.RFI, Stage.DEMONSTRATION, Stage.TABLETOP]


class Method(models.TextChoices):
    WEIGHTED_SUM = "weighted_sum", _("Weighted sum")
    TOPSIS = "topsis", _("TOPSIS")
    PROMETHEE_II = "promethee_ii", _("PROMETHEE II")


class WeightMethod(models.TextChoices):
    DIRECT = "direct", _("Direct points")
    RANK = "rank", _("Ranking (rank-order centroid)")
    AHP = "ahp", _("Pairwise comparison (AHP)")
    SWING = "swing", _("Swing weighting")


def _check_criteria(data: Any) -> None:
    problems = criteria_problems(data)
    if problems:
        raise ValidationError({"data": problems})


class CriteriaSet(OrgOwnedModel):
    """An organisation's own criteria tree, usually adapted from a shipped one."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    based_on = models.CharField(_("adapted from"), max_length=250, blank=True,
                                help_text=_("URN of the shipped criteria set this one started from."))
    data = models.JSONField(_("criteria"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _check_criteria(self.data)

    @property
    def tree(self) -> CriteriaTree:
        return CriteriaTree(self.data)


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("In progress")
    FROZEN = "frozen", _("Decided (frozen)")


class Evaluation(OrgOwnedModel):
    """The evaluation of candidate solutions for one vulnerability of one public space."""

    assessment = models.ForeignKey(Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE,
                                   related_name="evaluations")
    scenario = models.ForeignKey(Scenario, verbose_name=_("vulnerability"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="evaluations",
                                 help_text=_("The scenario whose risk the solutions should reduce."))
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("what the solution must achieve"), blank=True)
    criteria = models.JSONField(_("criteria"), default=dict, editable=False)
    criteria_source = models.CharField(_("criteria taken from"), max_length=250, blank=True, editable=False)
    method = models.CharField(_("aggregation method"), max_length=20, choices=Method.choices,
                              default=Method.WEIGHTED_SUM)
    topsis_normalization = models.CharField(_("TOPSIS normalisation"), max_length=10, default="vector",
                                            choices=[("vector", _("vector")), ("minmax", _("min–max"))])
    promethee_preference = models.CharField(
        _("PROMETHEE preference function"), max_length=10, default="usual",
        choices=[("usual", _("usual")), ("linear", _("linear (q = 0.5, p = 2 score points)"))])
    stage = models.CharField(_("current stage"), max_length=16, choices=Stage.choices, default=Stage.RFI)
    shortlist_size = models.PositiveSmallIntegerField(_("shortlist size"), default=5,
                                                      help_text=_("How many alternatives go on to demonstration."))
    status = models.CharField(_("status"), max_length=10, choices=EvaluationStatus.choices,
                              default=EvaluationStatus.DRAFT, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return self.title

    @classmethod
    def shared_condition(cls, org_ids: list[Any], levels: list[str]) -> Q | None:
        return Q(assessment__site_id__in=shared_sites(org_ids, levels))

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            check_editable(self)
        self.organisation_id = self.assessment.organisation_id
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        check_editable(self)
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        if self.scenario is not None and self.assessment_id and self.scenario.assessment_id != self.assessment_id:
            raise ValidationError({"scenario": _("The vulnerability belongs to another assessment.")})
        problems = criteria_problems(self.criteria)
        if problems:  # not a form field: a general error, never tied to a field the form lacks
            raise ValidationError(problems)

    @property
    def tree(self) -> CriteriaTree:
        return CriteriaTree(self.criteria)

    @property
    def is_frozen(self) -> bool:
        return self.status == EvaluationStatus.FROZEN

    @property
    def stages_so_far(self) -> list[str]:
        return [str(s) for s in STAGE_ORDER[: STAGE_ORDER.index(Stage(self.stage)) + 1]]

    @property
    def latest_weighting(self) -> Weighting | None:
        return self.weightings.order_by("-created_at").first()


def check_editable(evaluation: Evaluation) -> None:
    """A frozen evaluation is the record of a decision: nothing in it changes any more."""
    if evaluation.is_frozen:
        raise ValidationError(_("This evaluation is frozen: its decision is recorded and nothing in it can change."))


class EvaluationPart(OrgOwnedModel):
    """Something recorded in one evaluation; it follows the evaluation for access."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="%(class)ss")

    class Meta:
        abstract = True

    @classmethod
    def shared_condition(cls, org_ids: list[Any], levels: list[str]) -> Q | None:
        return Q(evaluation__assessment__site_id__in=shared_sites(org_ids, levels))

    def save(self, *args: Any, **kwargs: Any) -> None:
        check_editable(self.evaluation)
        self.organisation_id = self.evaluation.organisation_id
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        check_editable(self.evaluation)
        return super().delete(*args, **kwargs)


class Weighting(EvaluationPart):
    """One elicitation of the weights: its method, the raw inputs, and the weights they give."""

    method = models.CharField(_("method"), max_length=10, choices=WeightMethod.choices)
    inputs = models.JSONField(_("inputs"), default=dict,
                              help_text=_("Points, ranks, swings per criterion, or the AHP comparison matrix."))
    weights = models.JSONField(_("weights"), default=dict, editable=False)
    consistency_ratio = models.FloatField(_("consistency ratio"), null=True, blank=True, editable=False)
    note = models.TextField(_("how the weights were agreed"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("weighting")
        verbose_name_plural = _("weightings")

    def __str__(self) -> str:
        return f"{self.get_method_display()} ({self.created_at:%Y-%m-%d})" if self.created_at else str(self.method)


class AlternativeKind(models.TextChoices):
    CATALOGUE = "catalogue", _("Catalogue measure")
    SUBMISSION = "submission", _("RFI submission")
    OTHER = "other", _("Described here")


class Alternative(EvaluationPart):
    """One candidate solution in an evaluation."""

    kind = models.CharField(_("kind"), max_length=12, choices=AlternativeKind.choices, default=AlternativeKind.OTHER)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    catalogue_key = models.CharField(_("catalogue entry"), max_length=250, blank=True)
    submission = models.OneToOneField("procurement.Submission", verbose_name=_("RFI submission"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="alternative")
    facts = models.JSONField(_("facts for suggested scores"), default=dict, blank=True, editable=False,
                             help_text=_("Measure-shaped facts (costs, maturity, impacts) Stoa suggests scores from."))
    shortlisted = models.BooleanField(_("shortlisted for demonstration"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("alternative")
        verbose_name_plural = _("alternatives")
        constraints = [models.UniqueConstraint(fields=["evaluation", "catalogue_key"], condition=~Q(catalogue_key=""),
                                               name="one_alternative_per_catalogue_entry")]

    def __str__(self) -> str:
        return self.name


class Expert(EvaluationPart):
    """A member of the scoring panel, with the conflicts of interest they declared."""

    name = models.CharField(_("name"), max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Stoa user"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+",
                             help_text=_("When set, this person can enter their own scores."))
    affiliation = models.CharField(_("organisation and role"), max_length=200, blank=True)
    expertise = models.CharField(_("expertise"), max_length=200, blank=True)
    conflicts = models.TextField(_("declared conflicts of interest"),
                                 help_text=_("Write “none” if there are none. Needed before scoring."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [models.UniqueConstraint(fields=["evaluation", "user"], condition=Q(user__isnull=False),
                                               name="one_panel_seat_per_user")]

    def __str__(self) -> str:
        return self.name

    @property
    def has_conflict(self) -> bool:
        return self.conflicts.strip().casefold() not in ("", "none", "aucun", "-", "n/a")

    def clean(self) -> None:
        if not self.conflicts.strip():
            raise ValidationError({"conflicts": _("Declare conflicts of interest, or write “none”.")})


class Score(EvaluationPart):
    """One expert's score of one alternative on one criterion, at one stage."""

    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="scores")
    alternative = models.ForeignKey(Alternative, verbose_name=_("alternative"), on_delete=models.CASCADE,
                                    related_name="scores")
    criterion = models.CharField(_("criterion"), max_length=80)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.RFI)
    value = models.FloatField(_("score"))
    justification = models.TextField(_("justification"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    class Meta:
        ordering = ["alternative__name", "criterion"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["expert", "alternative", "criterion", "stage"],
                                               name="one_score_per_expert_cell")]

    def __str__(self) -> str:
        return f"{self.criterion} = {self.value:g}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for part in (self.expert, self.alternative) if self.expert_id and self.alternative_id else ():
            if part.evaluation_id != self.evaluation_id:
                errors["expert" if part is self.expert else "alternative"] = _("Not part of this evaluation.")
        if self.evaluation_id:
            problem = self.evaluation.tree.score_problem(self.criterion, self.value, self.stage)
            if problem:
                errors["value"] = problem
        if errors:
            raise ValidationError(errors)


class DecisionRecord(OrgOwnedModel):
    """What was decided on a frozen evaluation, with everything needed to compute it again."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE, related_name="decision")
    chosen = models.ForeignKey(Alternative, verbose_name=_("chosen solution"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    rationale = models.TextField(_("reasons for the decision"))
    inputs = models.JSONField(default=dict, editable=False)
    outputs = models.JSONField(default=dict, editable=False)
    versions = models.JSONField(default=dict, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", editable=False)

    class Meta:
        verbose_name = _("decision record")
        verbose_name_plural = _("decision records")

    def __str__(self) -> str:
        return str(self.evaluation)

    @classmethod
    def shared_condition(cls, org_ids: list[Any], levels: list[str]) -> Q | None:
        return Q(evaluation__assessment__site_id__in=shared_sites(org_ids, levels))
