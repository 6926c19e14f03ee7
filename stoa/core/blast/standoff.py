"""Evacuation distances and damage rings for a bomb threat: the NCTC chart and overpressure thresholds.

**Stand-off chart** (``threat-engineering.yaml``, kind ``standoff_chart``; the chart version is a
choice, default the current NCTC / DHS / FBI chart): eight threats from a pipe bomb (2.3 kg TNT)
to a semi-trailer (27,216 kg), each with a mandatory and a preferred evacuation distance.
``standoff(W)`` gives the chart's own distances for a charge on a chart row. Between two rows it
interpolates by cube-root (Hopkinson–Cranz) scaling, R = Z·W^(1/3), with the scaled distance Z
interpolated geometrically in ln W between the rows' own Z: exactly cube-root scaling where the
chart follows it (every mandatory distance is R ≈ 40·W^(1/3) ft·lb^(−1/3), i.e. Z ≈ 15.9
m·kg^(−1/3)), and monotone where it does not (the preferred distances of cased devices are set
by fragments and barely grow with the charge). Below the smallest row the mandatory distance
keeps that row's Z (cube-root scaling) and the preferred distance stays the row's own (fragments
do not shrink with the charge); above the largest row both keep its Z.

**Thresholds** (kind ``overpressure_threshold``): peak incident overpressures for injuries (eardrum
rupture, lung damage, lethality) and damage (glass breakage, windows and doors, residential
collapse). ``threshold_radii`` gives, for each, the distance at which the incident overpressure
of the charge falls to it (``airblast.radius_for_overpressure``); ``blast_rings`` puts the chart
distances and the threshold radii together for a map. Primary blast is rarely what hurts most
people near a small device (fragments and glass do): the overpressure rings are not casualty
estimates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from stoa.core.blast.airblast import BlastError, ScaledDistanceError, _positive, radius_for_overpressure
from stoa.core.engineering_data import EngineeringData, OverpressureThreshold, StandoffChart, StandoffRow, shipped


def _chart(chart: str | StandoffChart | None, data: EngineeringData | None) -> StandoffChart:
    if isinstance(chart, StandoffChart):
        return chart
    return (data or shipped()).chart(chart)


def standoff(charge_kg_tnt: ArrayLike, *, chart: str | StandoffChart | None = None,
             data: EngineeringData | None = None) -> tuple[Any, Any]:
    """(mandatory_m, preferred_m) evacuation distances for a TNT-equivalent charge (see the module doc).

    CHART is a chart key (``NCTC_CURRENT``, ``NCTC_2006``) or a ``StandoffChart``; default the
    shipped default chart. Arrays in give arrays out.
    """
    table = _chart(chart, data)
    w = _positive(charge_kg_tnt, "charge_kg_tnt")
    rows = table.rows
    log_w = np.log([row.tnt_kg for row in rows])
    results = []
    for column in ("mandatory_m", "preferred_m"):
        scaled = np.log([getattr(row, column) / np.cbrt(row.tnt_kg) for row in rows])
        log_z = np.interp(np.log(w), log_w, scaled)  # constant beyond the first and last rows
        distance = np.exp(log_z) * np.cbrt(w)
        if column == "preferred_m":
            distance = np.where(w < rows[0].tnt_kg, rows[0].preferred_m, distance)
        results.append(float(distance) if np.ndim(charge_kg_tnt) == 0 else distance)
    return results[0], results[1]


def threat_categories(chart: str | StandoffChart | None = None, *, data: EngineeringData | None = None
                      ) -> tuple[StandoffRow, ...]:
    """The chart's threats (pipe bomb … semi-trailer) with their TNT mass and distances, smallest first."""
    return _chart(chart, data).rows


def threat_category(threat: str, chart: str | StandoffChart | None = None, *,
                    data: EngineeringData | None = None) -> StandoffRow:
    """The row of THREAT (e.g. "SUV_VAN") in the chart."""
    table = _chart(chart, data)
    for row in table.rows:
        if row.threat == threat.strip().upper():
            return row
    raise BlastError(f"unknown threat {threat!r} in the chart {table.key}; known: "
                     + ", ".join(row.threat for row in table.rows))


def overpressure_thresholds(data: EngineeringData | None = None) -> tuple[OverpressureThreshold, ...]:
    """The injury and damage thresholds, lowest overpressure first."""
    return tuple(sorted((data or shipped()).thresholds.values(), key=lambda t: (t.kpa, t.order)))


def threshold_radii(charge_kg_tnt: float, thresholds: tuple[OverpressureThreshold, ...] | None = None, *,
                    data: EngineeringData | None = None) -> dict[str, float | None]:
    """For each threshold key, the distance in m at which the incident overpressure falls to it.

    None where the threshold lies outside the fit's range for this charge (a pressure higher than
    the fit's closest range reaches, or lower than its farthest).
    """
    chosen = thresholds if thresholds is not None else overpressure_thresholds(data)
    radii: dict[str, float | None] = {}
    for threshold in chosen:
        try:
            radii[threshold.key] = float(radius_for_overpressure(charge_kg_tnt, threshold.kpa))
        except ScaledDistanceError:
            radii[threshold.key] = None
    return radii


@dataclass(frozen=True)
class Ring:
    """A ring to draw round the scenario's location: evacuation zones and threshold radii."""

    key: str
    name: str
    kind: str  # "mandatory", "preferred", "injury" or "damage"
    radius_m: float
    overpressure_kpa: float | None  # the threshold (None for the chart's zones)
    flag: str


def blast_rings(charge_kg_tnt: float, *, chart: str | StandoffChart | None = None,
                data: EngineeringData | None = None) -> list[Ring]:
    """The chart's two evacuation zones and every threshold radius within the fit's range, largest first."""
    tables = data or shipped()
    table = _chart(chart, tables)
    mandatory, preferred = standoff(charge_kg_tnt, chart=table)
    on_row = any(abs(row.tnt_kg - float(charge_kg_tnt)) < 1e-9 for row in table.rows)
    flag = table.rows[0].flag if on_row else "computed"
    rings = [Ring("MANDATORY", f"Mandatory evacuation ({table.name})", "mandatory", float(mandatory), None, flag),
             Ring("PREFERRED", f"Preferred evacuation ({table.name})", "preferred", float(preferred), None, flag)]
    for threshold in overpressure_thresholds(tables):
        radius = threshold_radii(charge_kg_tnt, (threshold,))[threshold.key]
        if radius is not None:
            rings.append(Ring(threshold.key, threshold.name, threshold.effect, radius, threshold.kpa, threshold.flag))
    return sorted(rings, key=lambda ring: -ring.radius_m)
