"""An organisation's own catalogue entries, and its what-if options.

* ``LocalMeasure``: a measure a city adds to the catalogue, or its own numbers for a shipped
  measure (``based_on`` names the shipped measure's URN; the local entry then replaces it for that
  city). Local measures live in their own table, so a library upgrade never touches them, and
  ``data`` has exactly the shape of a shipped measure (``catalogue_schema.MeasureFields``), checked
  by the same schema. Only the organisation that made one sees it.
* ``WhatIfOption``: a named choice of candidate measures for the public space of one assessment,
  evaluated against that assessment's ratings (``stoa.catalogue.whatif``). It follows the
  assessment's site for access, like the assessment, but it is not part of the assessment: a
  signed-off assessment stays frozen while options are still drawn up on it.

Catalogue keys: a shipped measure is named by its URN, a local one by ``local:<uuid>``
(``stoa.catalogue.entries``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError as SchemaError

from stoa.accounts.tenancy import OrgOwnedModel
from stoa.assessments.models import Assessment, shared_sites
from stoa.library.catalogue_schema import MeasureFields

LOCAL_PREFIX = "local:"


def schema_messages(exc: SchemaError) -> list[str]:
    """Pydantic's errors as short lines naming the field, e.g. "effects.0.likelihood: ..."."""
    lines = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or _("measure")
        lines.append(f"{where}: {str(error['msg']).removeprefix('Value error, ')}")
    return lines


class LocalMeasure(OrgOwnedModel):
    """A catalogue entry of the organisation's own (see the module docstring)."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    based_on = models.CharField(_("adapts the shipped measure"), max_length=250, blank=True,
                                help_text=_("URN of the shipped measure this entry replaces for your organisation."))
    data = models.JSONField(_("details"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("local measure")
        verbose_name_plural = _("local measures")
        constraints = [models.UniqueConstraint(fields=["organisation", "based_on"], condition=~Q(based_on=""),
                                               name="one_local_version_per_shipped_measure")]

    def __str__(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        return f"{LOCAL_PREFIX}{self.pk}"

    def clean(self) -> None:
        try:
            MeasureFields.model_validate(self.data)
        except SchemaError as exc:
            # Not tied to one form field: the data is built from many (pages) or given whole (API).
            raise ValidationError(schema_messages(exc)) from exc
        if self.based_on:
            from stoa.library.models import ReferenceObject

            if not ReferenceObject.objects.filter(kind="measure", urn=self.based_on).exists():
                raise ValidationError(_("No shipped measure has the URN %(urn)s.") % {"urn": self.based_on})


class WhatIfOption(OrgOwnedModel):
    """A named set of candidate measures for one assessment's public space."""

    assessment = models.ForeignKey(Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE,
                                   related_name="whatif_options")
    name = models.CharField(_("name of the option"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    measures = models.JSONField(_("candidate measures"), default=list, blank=True,
                                help_text=_("Catalogue keys: a shipped measure's URN or local:<id>."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("what-if option")
        verbose_name_plural = _("what-if options")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def shared_condition(cls, org_ids: list[Any], levels: list[str]) -> Q | None:
        return Q(assessment__site_id__in=shared_sites(org_ids, levels))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organisation_id = self.assessment.organisation_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from stoa.catalogue.entries import catalogue_for

        if not isinstance(self.measures, list) or not all(isinstance(k, str) for k in self.measures):
            raise ValidationError({"measures": _("Give a list of catalogue keys.")})
        if len(set(self.measures)) != len(self.measures):
            raise ValidationError({"measures": _("A measure is listed twice.")})
        if self.assessment_id:
            catalogue = catalogue_for(self.assessment.organisation)
            unknown = [key for key in self.measures if catalogue.get(key) is None]
            if unknown:
                raise ValidationError({"measures": _("Not in the catalogue: %(keys)s.") % {
                    "keys": ", ".join(unknown)}})
