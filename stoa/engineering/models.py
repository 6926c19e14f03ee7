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

from stoa.accounts.tenancy import OrgOwnedModel
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


# ---------------------------------------------------------------- vehicle run-up

VEHICLE_THREATS = ("VEHICLE", "VBIED")  # the scenario threat types a vehicle run-up analysis applies to
DEFAULT_SEARCH_M = 500.0  # covers the run-up to top speed of every shipped class but the 30 t truck


class StreetNetwork(OrgOwnedModel):
    """A city's drivable streets, imported once from a GeoJSON or OSM XML file and stored as read.

    ``data`` is ``stoa.core.hvm.streets.Streets.to_json()``: nodes in WGS84 and segments, so an
    analysis projects them about its own site and nothing is fetched at run time.
    """

    name = models.CharField(_("name"), max_length=200)
    source_format = models.CharField(_("file format"), max_length=10, editable=False)
    filename = models.CharField(_("file"), max_length=255, blank=True, editable=False)
    data = models.JSONField(editable=False)
    node_count = models.PositiveIntegerField(_("nodes"), default=0, editable=False)
    segment_count = models.PositiveIntegerField(_("street segments"), default=0, editable=False)
    bbox = models.JSONField(_("extent"), default=list, editable=False, help_text=_("[west, south, east, north]"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("street network")
        verbose_name_plural = _("street networks")

    def __str__(self) -> str:
        return self.name

    def covers(self, lon: float, lat: float) -> bool:
        if len(self.bbox) != 4:
            return False
        west, south, east, north = self.bbox
        return bool(west <= lon <= east and south <= lat <= north)


def vehicle_class_choices() -> list[tuple[str, str]]:
    return [(key, vc.name) for key, vc in shipped().vehicle_classes.items()]


def surface_choices() -> list[tuple[str, str]]:
    return [(key, s.name) for key, s in shipped().surfaces.items()]


def default_surface() -> str:
    return shipped().surface(None).key


def default_classes() -> list[str]:
    return list(shipped().vehicle_classes)


class VehicleAnalysis(AssessmentPart):
    """The hostile-vehicle run-up of one scenario: its network, classes and parameters, and the
    last computed approaches (``results``, written by ``stoa.engineering.vehicle.run``)."""

    scenario = models.OneToOneField(Scenario, on_delete=models.CASCADE, related_name="vehicle_analysis")
    network = models.ForeignKey(StreetNetwork, verbose_name=_("street network"), on_delete=models.PROTECT,
                                related_name="analyses")
    vehicle_classes = models.JSONField(_("vehicle classes"), default=default_classes)
    surface = models.CharField(_("road surface"), max_length=40, default=default_surface)
    search_distance_m = models.FloatField(
        _("search distance (m)"), null=True, blank=True, default=DEFAULT_SEARCH_M,
        help_text=_("How far from each perimeter point a vehicle may start, along the streets. Empty: from anywhere "
                    "on the network."))
    snap_m = models.FloatField(_("snap distance (m)"), default=30.0,
                               help_text=_("An access point this close to a street is taken to be on it."))
    barrier_reach_m = models.FloatField(
        _("barrier reach (m)"), default=20.0,
        help_text=_("A rated existing measure this close to a perimeter point protects it."))
    respect_speed_limits = models.BooleanField(
        _("respect posted speed limits"), default=False,
        help_text=_("Off by default: a hostile driver ignores signs; only bends and the vehicle limit the speed."))
    overrides = models.JSONField(
        _("parameter overrides"), default=dict, blank=True,
        help_text=_("Per vehicle class, your own acceleration_ms2 and top_speed_ms instead of the documented "
                    "defaults."))
    results = models.JSONField(default=dict, editable=False)
    computed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("vehicle run-up analysis")
        verbose_name_plural = _("vehicle run-up analyses")

    def __str__(self) -> str:
        return str(_("Vehicle run-up: %(scenario)s") % {"scenario": self.scenario})

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        known = shipped().vehicle_classes
        classes = self.vehicle_classes if isinstance(self.vehicle_classes, list) else None
        if not classes:
            errors["vehicle_classes"] = _("Choose at least one vehicle class.")
        elif unknown := [str(c) for c in classes if c not in known]:
            errors["vehicle_classes"] = _("Unknown vehicle class %(classes)s; known: %(known)s.") % {
                "classes": ", ".join(unknown), "known": ", ".join(known)}
        if self.surface not in shipped().surfaces:
            errors["surface"] = _("Unknown road surface.")
        if self.search_distance_m is not None and not 10 <= self.search_distance_m <= 20000:
            errors["search_distance_m"] = _("The search distance must be between 10 m and 20 km.")
        if not 1 <= self.snap_m <= 200:
            errors["snap_m"] = _("The snap distance must be between 1 and 200 m.")
        if not 0 < self.barrier_reach_m <= 200:
            errors["barrier_reach_m"] = _("The barrier reach must be above 0 and at most 200 m.")
        if self.network_id and self.assessment_id and self.network.organisation_id != self.organisation_id:
            errors["network"] = _("Choose one of your organisation's street networks.")
        problem = overrides_problem(self.overrides)
        if problem:
            errors["overrides"] = problem
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.assessment_id = self.scenario.assessment_id
        super().save(*args, **kwargs)


def overrides_problem(value: Any) -> str | None:
    """Why VALUE is not {class: {"acceleration_ms2": a, "top_speed_ms": v}}, or None when it is."""
    if not isinstance(value, dict):
        return str(_("Give the overrides as {class: {acceleration_ms2, top_speed_ms}}."))
    known = shipped().vehicle_classes
    for key, numbers in value.items():
        if key not in known:
            return str(_("Unknown vehicle class %(key)s in the overrides.") % {"key": key})
        if not isinstance(numbers, dict) or not numbers or set(numbers) - {"acceleration_ms2", "top_speed_ms"}:
            return str(_("%(key)s: give acceleration_ms2 and/or top_speed_ms.") % {"key": key})
        for name, number in numbers.items():
            if isinstance(number, bool) or not isinstance(number, int | float) or not 0 < number < 100:
                return str(_("%(key)s: %(name)s must be a number above 0 and below 100.") % {"key": key, "name": name})
    return None
