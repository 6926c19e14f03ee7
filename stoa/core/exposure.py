"""People exposed to a blast: a site's crowd spread over its zones, counted inside rings.

**Spreading rule.** A crowd figure (a time slot's or event's peak people) is for the whole site.
It is spread over the site's zones in proportion to their usable area (zone area × usable share),
so every zone gets the same density: people_i = N · U_i / Σ U. Inside a zone people are taken as
evenly spread, so the people of zone i inside a ring are people_i · area(ring ∩ zone_i) /
area(zone_i). A site without zones has no one to count (the page says so).

**Proposed consequence** from the people inside the *mandatory* evacuation ring (the chart's
distance inside which people in the open are exposed to blast and fragments). The preferred
distance is not used: for small cased devices it is set by fragment throw (366 m for a pipe
bomb) and covers almost any public space whole, so it would not tell one scenario from another.
The bands follow orders of magnitude, as casualty scales of national risk assessments do (e.g.
the UK National Risk Register's fatalities scale): fewer than 10 people → 1, 10–99 → 2,
100–999 → 3, 1,000–9,999 → 4, 10,000 or more → 5. They are ``CONSEQUENCE_BANDS`` below, a
documented Stoa choice, not a published table; the assessor's rating stays the assessor's.

Geometries are shapely objects in metres in one local projection (``geometry.to_metric_about``).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from shapely import geometry as sg
from shapely.geometry.base import BaseGeometry

# (lower bound of people inside the mandatory evacuation ring, proposed consequence), lowest first.
CONSEQUENCE_BANDS: tuple[tuple[int, int], ...] = ((0, 1), (10, 2), (100, 3), (1000, 4), (10000, 5))
CIRCLE_SEGMENTS = 64  # quarter-circle segments of the ring polygons (area error < 0.01 %)


@dataclass(frozen=True)
class ZoneArea:
    """One zone in metres: its outline and the part of it people can stand on."""

    key: Hashable
    outline: BaseGeometry
    usable_share: float = 1.0

    @property
    def usable_m2(self) -> float:
        return float(self.outline.area) * self.usable_share


def spread_people(people: float, zones: list[ZoneArea]) -> dict[Hashable, float]:
    """PEOPLE shared over ZONES by usable area (see the module doc); {} when there is no usable area."""
    if people < 0 or not math.isfinite(people):
        raise ValueError(f"people must be a finite number ≥ 0, got {people!r}")
    total = sum(zone.usable_m2 for zone in zones)
    if total <= 0:
        return {}
    return {zone.key: people * zone.usable_m2 / total for zone in zones}


def people_inside(centre_xy: tuple[float, float], radius_m: float, zones: list[ZoneArea],
                  people_by_zone: Mapping[Hashable, float]) -> float:
    """People inside the disc of RADIUS_M round CENTRE_XY, zones' people evenly spread in each zone."""
    disc = sg.Point(centre_xy).buffer(radius_m, quad_segs=CIRCLE_SEGMENTS)
    count = 0.0
    for zone in zones:
        area = float(zone.outline.area)
        if area > 0 and zone.key in people_by_zone:
            count += people_by_zone[zone.key] * float(disc.intersection(zone.outline).area) / area
    return count


def proposed_consequence(people_at_risk: float, bands: tuple[tuple[int, int], ...] = CONSEQUENCE_BANDS) -> int:
    """The consequence (1–5) of PEOPLE_AT_RISK inside the mandatory evacuation ring (module doc)."""
    reached = [level for floor, level in bands if round(people_at_risk) >= floor]
    return reached[-1] if reached else bands[0][1]
