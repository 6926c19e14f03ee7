"""Crowds: density, Fruin level of service, critical-density warnings and egress time.

* ``density``: ``density``, ``area_per_person``, ``level_of_service`` (Fruin walkway scheme by
  default; queueing and stairway schemes as data), ``density_band``, ``density_warnings`` and
  ``assess_zone`` for one zone at one time slot or event;
* ``egress``: the hydraulic model ``egress_time_s`` (vectorised over exits), a zone's exits with
  what-if on widths and closed exits (``zone_egress``, ``worst_exit_loss``), the Home Office
  unit-width method (``exit_units``) and the SFPE speed and specific flow by density.

SI units: people, m², m, s; flows in persons per metre of exit width per minute.
"""

from stoa.core.crowd.density import (
    CrowdError,
    ZoneCrowd,
    area_per_person,
    assess_zone,
    density,
    density_band,
    density_warnings,
    level_of_service,
    level_of_service_for,
)
from stoa.core.crowd.egress import (
    EgressResult,
    Exit,
    ExitFlow,
    ExitUnits,
    egress_time_s,
    exit_units,
    hydraulic_speed,
    specific_flow,
    worst_exit_loss,
    zone_egress,
)

__all__ = [
    "CrowdError", "EgressResult", "Exit", "ExitFlow", "ExitUnits", "ZoneCrowd", "area_per_person", "assess_zone",
    "density", "density_band", "density_warnings", "egress_time_s", "exit_units", "hydraulic_speed",
    "level_of_service", "level_of_service_for", "specific_flow", "worst_exit_loss", "zone_egress",
]
