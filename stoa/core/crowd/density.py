"""Crowd density, Fruin level of service and the documented critical densities.

* ``density`` = people / usable area (persons per m²); ``area_per_person`` its inverse, the
  "space" of Fruin's tables (m² per person).
* ``level_of_service``: the level A–F whose minimum space per person the crowd still has (a space
  exactly on a boundary belongs to the better level). The scheme is data
  (``threat-engineering.yaml``, kind ``los_scheme``): Fruin (1971) walkways by default, HCM 2000
  walkways, Fruin queueing areas and stairways (the last two unverified, research note §3.1).
* ``density_band``: Stoa's bands (free, busy, congested, dangerous, crush), a design choice after
  G. Keith Still (kind ``density_scheme``).
* ``density_warnings``: the documented critical densities reached (kind ``density_threshold``):
  4 p/m², where a moving crowd's speed collapses, and 5 p/m², uncomfortable and becoming
  dangerous (research note §3.2).

Numbers or arrays in (broadcast); scalars in give scalars out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from stoa.core.engineering_data import DensityBand, DensityScheme, DensityThreshold, EngineeringData, LosScheme, shipped


class CrowdError(ValueError):
    """A crowd input out of its domain (negative people, an area or exit width that is not positive...)."""


def _values(value: ArrayLike, name: str, *, positive: bool = False, allow_inf: bool = False) -> NDArray[np.float64]:
    array = np.asarray(value, dtype=float)
    bad = np.isnan(array) | (np.isinf(array) if not allow_inf else np.isneginf(array))
    if bad.any():
        raise CrowdError(f"{name} must be a finite number, got {_shown(array, bad)}")
    wrong = array <= 0 if positive else array < 0
    if wrong.any():
        raise CrowdError(f"{name} must be {'above 0' if positive else 'at least 0'}, got {_shown(array, wrong)}")
    return array


def _shown(array: NDArray[np.float64], mask: NDArray[np.bool_]) -> str:
    if array.ndim == 0:
        return repr(float(array))
    index = tuple(int(i) for i in np.argwhere(mask)[0])
    return f"{float(array[index])!r} at index {index[0] if len(index) == 1 else index}"


def _out(values: NDArray[Any], *inputs: ArrayLike) -> Any:
    if all(np.ndim(i) == 0 for i in inputs):
        return values.item()
    return values


def density(people: ArrayLike, area_m2: ArrayLike) -> Any:
    """Persons per m² of usable area."""
    return _out(_values(people, "people") / _values(area_m2, "area_m2", positive=True), people, area_m2)


def area_per_person(people: ArrayLike, area_m2: ArrayLike) -> Any:
    """Usable m² per person (∞ for an empty area)."""
    crowd = _values(people, "people")
    area = _values(area_m2, "area_m2", positive=True)
    with np.errstate(divide="ignore"):
        return _out(np.where(crowd > 0, area / np.maximum(crowd, 1e-300), np.inf), people, area_m2)


def _scheme(scheme: str | LosScheme | None, facility: str, data: EngineeringData | None) -> LosScheme:
    if isinstance(scheme, LosScheme):
        return scheme
    return (data or shipped()).los_scheme(scheme, facility)


def level_of_service(area_m2_per_person: ArrayLike, scheme: str | LosScheme | None = None, *,
                     facility: str = "walkway", data: EngineeringData | None = None) -> Any:
    """The level of service "A".."F" for a space per person (see the module doc).

    SCHEME is a scheme key (``FRUIN_WALKWAY``, ``HCM_2000_WALKWAY``, ``FRUIN_QUEUEING``,
    ``FRUIN_STAIRWAY``) or a ``LosScheme``; default the default scheme for FACILITY ("walkway",
    "queue" or "stairway").
    """
    table = _scheme(scheme, facility, data)
    space = _values(area_m2_per_person, "area_m2_per_person", allow_inf=True)
    minimums = np.array([level.min_m2_per_person for level in table.levels])  # falling, A first
    names = np.array([level.level for level in table.levels])
    index = np.searchsorted(-minimums, -space, side="left")  # the first level whose minimum ≤ space
    return _out(names[np.clip(index, 0, len(names) - 1)], area_m2_per_person)


def level_of_service_for(people: ArrayLike, area_m2: ArrayLike, scheme: str | LosScheme | None = None, *,
                         facility: str = "walkway", data: EngineeringData | None = None) -> Any:
    """``level_of_service`` of PEOPLE on AREA_M2."""
    return level_of_service(area_per_person(people, area_m2), scheme, facility=facility, data=data)


def density_band(persons_per_m2: float, scheme: str | DensityScheme | None = None, *,
                 data: EngineeringData | None = None) -> DensityBand:
    """The band of a density (the last band whose lower bound it reaches)."""
    table = scheme if isinstance(scheme, DensityScheme) else (data or shipped()).density_scheme(scheme)
    value = float(_values(persons_per_m2, "persons_per_m2", allow_inf=True))
    reached = [band for band in table.bands if value >= band.min_p_per_m2]
    return reached[-1] if reached else table.bands[0]


def density_warnings(persons_per_m2: float, *, data: EngineeringData | None = None) -> list[DensityThreshold]:
    """The documented critical densities that PERSONS_PER_M2 reaches, lowest first."""
    value = float(_values(persons_per_m2, "persons_per_m2", allow_inf=True))
    thresholds = sorted((data or shipped()).density_thresholds.values(), key=lambda t: t.p_per_m2)
    return [threshold for threshold in thresholds if value >= threshold.p_per_m2]


@dataclass(frozen=True)
class ZoneCrowd:
    """How crowded one zone is at one time slot or event."""

    people: float
    area_m2: float
    density_p_m2: float
    area_m2_per_person: float
    level_of_service: str
    band: DensityBand
    warnings: list[DensityThreshold] = field(default_factory=list)


def assess_zone(people: float, area_m2: float, *, scheme: str | LosScheme | None = None, facility: str = "walkway",
                data: EngineeringData | None = None) -> ZoneCrowd:
    """Density, space, level of service, band and warnings of PEOPLE on AREA_M2 of usable area."""
    per_m2 = float(density(people, area_m2))
    return ZoneCrowd(float(people), float(area_m2), per_m2, float(area_per_person(people, area_m2)),
                     str(level_of_service_for(people, area_m2, scheme, facility=facility, data=data)),
                     density_band(per_m2, data=data), density_warnings(per_m2, data=data))
