"""Threat-engineering analyses attached to an assessment's scenarios.

A ``BlastAnalysis`` is recorded during an assessment like the scenario it belongs to: it follows
the assessment's site for access and freezes with the assessment. The computation itself is in
``stoa.engineering.blast`` (ORM) and ``stoa.core.exposure`` / ``stoa.core.blast`` (pure).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from stoa.assessments.models import AssessmentPart, Scenario
from stoa.core import blast
from stoa.core.engineering_data import shipped
from stoa.sites.models import CrowdSlot, SiteEvent

BLAST_THREATS = ("IED", "PBIED", "VBIED")  # the scenario threat types a blast analysis applies to


def category_choices() -> list[tuple[str, str]]:
    return [(row.threat, f"{row.name} ({row.tnt_kg:g} kg TNT)") for row in blast.threat_categories()]


def chart_choices() -> list[tuple[str, str]]:
    return [(key, chart.name) for key, chart in shipped().charts.items()]


def default_chart() -> str:
    return shipped().chart(None).key


class BlastAnalysis(AssessmentPart):
    """The bomb threat of one scenario: its size, chart version, centre and crowd basis."""

    scenario = models.OneToOneField(Scenario, on_delete=models.CASCADE, related_name="blast_analysis")
    threat_category = models.CharField(
        _("threat category"), max_length=40, blank=True,
        help_text=_("A row of the NCTC bomb threat stand-off chart; or give a TNT-equivalent mass instead."))
    charge_kg_tnt = models.FloatField(_("TNT-equivalent mass (kg)"), null=True, blank=True)
    chart = models.CharField(_("stand-off chart"), max_length=40, default=default_chart)
    centre = models.JSONField(_("centre"), null=True, blank=True,
                              help_text=_("GeoJSON point; empty: the scenario's location, else the site's centre."))
    crowd_slot = models.ForeignKey(CrowdSlot, verbose_name=_("crowd time slot"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    event = models.ForeignKey(SiteEvent, verbose_name=_("event"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("blast analysis")
        verbose_name_plural = _("blast analyses")

    def __str__(self) -> str:
        return str(_("Blast stand-off: %(scenario)s") % {"scenario": self.scenario})

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.charge_kg_tnt is not None and self.charge_kg_tnt <= 0:
            errors["charge_kg_tnt"] = _("The TNT-equivalent mass must be more than 0 kg (%(value)s was given).") % {
                "value": f"{self.charge_kg_tnt:g}"}
        elif self.charge_kg_tnt is None and not self.threat_category:
            errors["threat_category"] = _("Choose a threat category or give a TNT-equivalent mass.")
        elif self.charge_kg_tnt is not None and self.threat_category:
            errors["charge_kg_tnt"] = _("Give either a threat category or a TNT-equivalent mass, not both.")
        if self.threat_category and self.threat_category not in dict(category_choices()):
            errors["threat_category"] = _("Unknown threat category.")
        if self.chart not in shipped().charts:
            errors["chart"] = _("Unknown stand-off chart.")
        if self.crowd_slot_id and self.event_id:
            errors["event"] = _("Choose a crowd time slot or an event, not both.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.assessment_id = self.scenario.assessment_id
        super().save(*args, **kwargs)

    @property
    def charge(self) -> float:
        """The charge in kg TNT equivalent: the mass given, else the category's."""
        if self.charge_kg_tnt is not None:
            return float(self.charge_kg_tnt)
        return float(blast.threat_category(self.threat_category, self.chart).tnt_kg)
