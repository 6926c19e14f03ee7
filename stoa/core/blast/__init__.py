"""Blast: Kingery–Bulmash air blast (Swisdak 1994), the NCTC bomb threat stand-off chart and damage rings.

* ``airblast``: incident and reflected overpressure (kPa) and impulse (kPa·ms), arrival time and
  positive duration (ms) of a hemispherical surface burst of a TNT-equivalent charge, by the
  Hopkinson–Cranz scaled distance Z = R / W^(1/3); outside a fit's range of Z a
  ``ScaledDistanceError`` (no extrapolation); the distance at which the overpressure falls to a
  threshold (``radius_for_overpressure``);
* ``standoff``: mandatory and preferred evacuation distances from the NCTC chart (data, the chart
  version a choice), the chart's threat categories, the injury and glass-breakage thresholds and
  the rings to draw.

SI units: charges in kg TNT equivalent, distances in m. Convert another explosive with its TNT
equivalence factor before calling (research note §2.6: the factors differ by effect and source).
"""

from stoa.core.blast.airblast import (
    BlastError,
    ScaledDistanceError,
    arrival_time_ms,
    incident_impulse,
    incident_overpressure,
    positive_duration_ms,
    radius_for_overpressure,
    reflected_impulse,
    reflected_overpressure,
    scaled_distance,
)
from stoa.core.blast.standoff import (
    Ring,
    blast_rings,
    overpressure_thresholds,
    standoff,
    threat_categories,
    threat_category,
    threshold_radii,
)

__all__ = [
    "BlastError", "Ring", "ScaledDistanceError", "arrival_time_ms", "blast_rings", "incident_impulse",
    "incident_overpressure", "overpressure_thresholds", "positive_duration_ms", "radius_for_overpressure",
    "reflected_impulse", "reflected_overpressure", "scaled_distance", "standoff", "threat_categories",
    "threat_category", "threshold_radii",
]
