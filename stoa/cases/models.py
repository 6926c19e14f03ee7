"""Case studies: what a city did about one public space, what it cost, how it went and what it learnt.

A case is written from a **finished** action plan (``stoa.cases.services.prefill``): the PSOI's
category, the threat types its measures treat, the measures with their costs and status, and an
anonymised risk profile (per threat type, the risk score likelihood × consequence before the plan
and the residual score after it, ``stoa.plans.residual``). The author adds the outcome and the
lessons, a distribution level (TLP 2.0) and what may leave the organisation (redaction).

Cases travel between Stoa installations as checksummed bundles (``stoa.cases.bundle``). An
imported case belongs to the importing organisation, records where it came from and is
read-only: it is the other city's account, not ours to rewrite.

Access: a case is owned by one organisation and is never shared through a PSOI share; another
organisation sees it only by importing a bundle (need-to-know).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from stoa.accounts.tenancy import OrgOwnedModel
from stoa.library.models import ReferenceObject


class Distribution(models.TextChoices):
    """The Traffic Light Protocol 2.0 labels (FIRST). A small fixed vocabulary, so choices, not reference data."""

    CLEAR = "CLEAR", _("TLP:CLEAR")
    GREEN = "GREEN", _("TLP:GREEN")
    AMBER = "AMBER", _("TLP:AMBER")
    AMBER_STRICT = "AMBER+STRICT", _("TLP:AMBER+STRICT")
    RED = "RED", _("TLP:RED")


# What each label lets a recipient do, in our own words.
DISTRIBUTION_MEANING = {
    Distribution.CLEAR: _("No limit: the recipient may share it with anyone, publicly too."),
    Distribution.GREEN: _("The recipient may share it with peers and partners in their community (other cities, "
                          "police, regions), but not publicly."),
    Distribution.AMBER: _("Limited: the recipient may share it only inside their own organisation and with those "
                          "who need to know to protect it, such as its contractors."),
    Distribution.AMBER_STRICT: _("Limited strictly: the recipient may share it only inside their own organisation."),
    Distribution.RED: _("For the named recipients only, in person or in a meeting: never passed on. Stoa does not "
                        "export RED cases as files."),
}

DISTRIBUTION_BADGE = {
    Distribution.CLEAR: "text-bg-light border", Distribution.GREEN: "text-bg-success",
    Distribution.AMBER: "text-bg-warning", Distribution.AMBER_STRICT: "text-bg-warning",
    Distribution.RED: "text-bg-danger",
}


class Installation(models.Model):
    """This Stoa installation's identity: one row, created on first use, unless ``STOA_INSTALLATION_ID`` is set."""

    installation_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("installation")

    def __str__(self) -> str:
        return str(self.installation_id)


def installation_id() -> str:
    """The stable id of this installation: the setting if given, else the one stored on first use."""
    configured = getattr(settings, "STOA_INSTALLATION_ID", "")
    if configured:
        return str(uuid.UUID(str(configured)))
    row = Installation.objects.order_by("pk").first() or Installation.objects.create()
    return str(row.installation_id)


class CaseStudy(OrgOwnedModel):
    """One case: a public space's category, the threats, the measures and costs, the outcome and lessons."""

    title = models.CharField(_("title"), max_length=200)
    category = models.ForeignKey(ReferenceObject, verbose_name=_("category of public space"),
                                 on_delete=models.PROTECT, related_name="+", limit_choices_to={"kind": "psoi_category"})
    threats = models.ManyToManyField(ReferenceObject, verbose_name=_("threat types"), related_name="+",
                                     limit_choices_to={"kind": "threat_type"})
    measures = models.JSONField(_("measures chosen"), default=list, blank=True,
                                help_text=_("Each: name, catalogue key, capital and yearly cost (€), status."))
    capital_eur = models.PositiveIntegerField(_("total capital cost (€)"), default=0)
    yearly_eur = models.PositiveIntegerField(_("total yearly cost (€)"), default=0)
    risk_profile = models.JSONField(
        _("risk profile"), default=list, blank=True,
        help_text=_("Per threat type: the risk score (likelihood × consequence) before the plan and after it."))
    outcome = models.TextField(_("outcome"), help_text=_("What happened once the measures were in place."))
    lessons = models.TextField(_("lessons learned"), help_text=_("What another city should know before doing the "
                                                                 "same."))
    distribution = models.CharField(_("distribution (TLP)"), max_length=12, choices=Distribution.choices,
                                    default=Distribution.AMBER)
    include_geometry = models.BooleanField(_("include the boundary on the map"), default=False)
    include_names = models.BooleanField(_("include names"), default=False)
    include_exact_location = models.BooleanField(_("include the exact location"), default=False)
    # What could leave the organisation, kept at creation; the redaction choices decide what does.
    place = models.JSONField(default=dict, blank=True, editable=False)
    source_plan = models.ForeignKey("plans.ActionPlan", verbose_name=_("from the action plan"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+", editable=False)
    imported_from_installation = models.CharField(_("imported from installation"), max_length=36, blank=True,
                                                  editable=False)
    imported_from_organisation = models.CharField(_("imported from organisation"), max_length=200, blank=True,
                                                  editable=False, help_text=_("As given in the bundle."))
    bundle_sha256 = models.CharField(_("bundle checksum"), max_length=64, blank=True, editable=False)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    # Set on every export, so the audit trail records who sent the case out, when, and which bundle.
    last_exported_at = models.DateTimeField(_("last exported"), null=True, blank=True, editable=False)
    last_export_sha256 = models.CharField(_("checksum of the last bundle"), max_length=64, blank=True,
                                          editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")
        constraints = [models.UniqueConstraint(
            fields=["organisation", "bundle_sha256"], condition=~models.Q(bundle_sha256=""),
            name="cases_one_import_per_bundle")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_imported(self) -> bool:
        return self.imported_at is not None

    @property
    def distribution_meaning(self) -> str:
        return str(DISTRIBUTION_MEANING[Distribution(self.distribution)])

    @property
    def distribution_badge(self) -> str:
        return DISTRIBUTION_BADGE[Distribution(self.distribution)]

    @property
    def threat_ids(self) -> list[str]:
        return [t.ref_id for t in self.threats.all()]

    def clean(self) -> None:
        if self.include_geometry and not self.include_exact_location:
            raise ValidationError({"include_geometry": _(
                "A boundary shows exactly where the place is: tick “include the exact location” too, or leave the "
                "boundary out.")})

    def measure_rows(self) -> list[dict[str, Any]]:
        """The measures with their status in words."""
        from stoa.plans.models import ItemStatus

        labels = dict(ItemStatus.choices)
        return [dict(m, status_label=labels.get(m.get("status", ""), m.get("status", ""))) for m in self.measures]

    def profile_rows(self) -> list[dict[str, Any]]:
        """The risk profile with each threat type's name, in the threat types' order."""
        names = {t.ref_id: t for t in ReferenceObject.objects.filter(kind="threat_type").order_by("order")}
        order = list(names)
        rows = [dict(row, threat_name=names[row["threat"]].label() if row["threat"] in names else row["threat"])
                for row in self.risk_profile]
        return sorted(rows, key=lambda r: order.index(r["threat"]) if r["threat"] in order else len(order))
