"""What the engineering pages show, computed from a site's stored zones, crowd and access points.

The pure rules are in ``stoa.core`` (``exposure`` for spreading a crowd over zones, counting it
inside rings and proposing a consequence; ``blast`` and ``crowd`` for the physics); this module
only reads the ORM and puts them together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry.base import BaseGeometry

from stoa.core import blast, crowd, exposure, geometry
from stoa.core.engineering_data import EngineeringDataError, shipped
from stoa.engineering.models import BlastAnalysis
from stoa.sites.models import AccessPoint, CrowdSlot, Site, SiteEvent, Zone

RING_COLOURS = {"mandatory": "#b2182b", "preferred": "#ef8a62", "injury": "#7b3294", "damage": "#2166ac"}


@dataclass(frozen=True)
class CrowdBasis:
    """A crowd figure of the site: a time slot's or an event's peak people."""

    key: str  # "slot:<id>" or "event:<id>"
    label: str
    people: int


def crowd_bases(site: Site) -> list[CrowdBasis]:
    slots = [CrowdBasis(f"slot:{s.pk}", s.label, s.peak_people) for s in CrowdSlot.objects.filter(site=site)]
    events = [CrowdBasis(f"event:{e.pk}", e.name, e.expected_peak) for e in SiteEvent.objects.filter(site=site)]
    return slots + events


def basis_of(analysis: BlastAnalysis) -> CrowdBasis | None:
    """The analysis's chosen crowd figure; none chosen: the site's largest (the worst case)."""
    if analysis.crowd_slot is not None:
        return CrowdBasis(f"slot:{analysis.crowd_slot.pk}", analysis.crowd_slot.label, analysis.crowd_slot.peak_people)
    if analysis.event is not None:
        return CrowdBasis(f"event:{analysis.event.pk}", analysis.event.name, analysis.event.expected_peak)
    bases = crowd_bases(analysis.assessment.site)
    return max(bases, key=lambda b: b.people) if bases else None


def centre_of(analysis: BlastAnalysis) -> tuple[float, float] | None:
    """(lon, lat): the analysis's own centre, else the scenario's point or area centroid, else the site's."""
    for value in (analysis.centre, analysis.scenario.geometry):
        if value:
            try:
                return geometry.centroid(geometry.parse(value, ("Point", "Polygon")))
            except geometry.GeometryError:
                continue
    site = analysis.assessment.site
    if site.lon is not None and site.lat is not None:
        return (site.lon, site.lat)
    return None


def zone_areas(zones: list[Zone], lon0: float, lat0: float) -> list[exposure.ZoneArea]:
    return [exposure.ZoneArea(z.pk, _metric(z.geometry, lon0, lat0), z.usable_share) for z in zones]


def _metric(value: dict[str, Any], lon0: float, lat0: float) -> BaseGeometry:
    return geometry.to_metric_about(geometry.parse(value, "Polygon"), lon0, lat0)


@dataclass(frozen=True)
class RingRow:
    key: str
    name: str
    kind: str
    radius_m: float
    overpressure_kpa: float | None
    people: float | None
    colour: str


@dataclass
class BlastResult:
    charge_kg: float
    centre: tuple[float, float] | None
    basis: CrowdBasis | None
    rings: list[RingRow] = field(default_factory=list)
    people_at_risk: float | None = None  # inside the mandatory evacuation ring
    proposed_consequence: int | None = None
    zones_counted: int = 0


def compute_blast(analysis: BlastAnalysis) -> BlastResult:
    charge = analysis.charge
    centre = centre_of(analysis)
    basis = basis_of(analysis)
    zones = list(Zone.objects.filter(site=analysis.assessment.site))
    result = BlastResult(charge, centre, basis, zones_counted=len(zones))
    by_zone: dict[Any, float] = {}
    areas: list[exposure.ZoneArea] = []
    if centre is not None and basis is not None and zones:
        areas = zone_areas(zones, *centre)
        by_zone = exposure.spread_people(basis.people, areas)
    counted = bool(by_zone)
    for ring in blast.blast_rings(charge, chart=analysis.chart):
        people = exposure.people_inside((0.0, 0.0), ring.radius_m, areas, by_zone) if counted else None
        result.rings.append(RingRow(ring.key, ring.name, ring.kind, ring.radius_m, ring.overpressure_kpa, people,
                                    RING_COLOURS.get(ring.kind, "#444444")))
        if ring.kind == "mandatory" and people is not None:
            result.people_at_risk = people
            result.proposed_consequence = exposure.proposed_consequence(people)
    return result


# ---------------------------------------------------------------- crowd density and egress

@dataclass(frozen=True)
class ZoneRow:
    zone: Zone
    people: float
    usable_m2: float
    density: float
    level_of_service: str
    warnings: list[str]


@dataclass
class BasisRow:
    basis: CrowdBasis
    zones: list[ZoneRow]
    egress: crowd.EgressResult | None


def default_target_s() -> float:
    """The library's egress target (the Green Guide's 8 minutes); 10 minutes if the file has none."""
    try:
        return float(shipped().parameter("GREEN_GUIDE_EGRESS_S"))
    except EngineeringDataError:  # a replaced data file may lack the parameter
        return 600.0


def compute_crowd(site: Site, *, target_s: float, closed: set[str], widths: dict[str, float]) -> list[BasisRow]:
    """Per crowd figure: each zone's people, density, level of service and warnings, and the
    site's egress through its open access points (people shared over exits by capacity)."""
    zones = list(Zone.objects.filter(site=site))
    exits = [crowd.Exit(str(ap.pk), ap.width_m) for ap in AccessPoint.objects.filter(site=site)]
    lon0, lat0 = (site.lon or 0.0), (site.lat or 0.0)
    areas = zone_areas(zones, lon0, lat0) if zones else []
    rows = []
    for basis in crowd_bases(site):
        by_zone = exposure.spread_people(basis.people, areas)
        zone_rows = []
        for zone, area in zip(zones, areas, strict=True):
            people = by_zone.get(zone.pk, 0.0)
            usable = area.usable_m2
            per_m2 = people / usable if usable > 0 else math.inf
            los = str(crowd.level_of_service(usable / people)) if people > 0 else "A"
            warnings = [t.name for t in crowd.density_warnings(per_m2)]
            zone_rows.append(ZoneRow(zone, people, usable, per_m2, los, warnings))
        egress = (crowd.zone_egress(float(basis.people), exits, target_s=target_s,
                                    closed=tuple(c for c in closed if c in {e.name for e in exits}),
                                    widths={k: v for k, v in widths.items() if k in {e.name for e in exits}})
                  if exits else None)
        rows.append(BasisRow(basis, zone_rows, egress))
    return rows
