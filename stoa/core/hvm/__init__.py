"""Hostile vehicle mitigation: vehicle dynamics, barrier ratings and street-network run-up analysis.

* ``dynamics``: run-up speed ``max_speed``, ``kinetic_energy_kj``, cornering limits and the speed
  profile along a path (``path_impact_speed``);
* ``rating``: ISO 22343-1 / IWA 14-1 / PAS 68 rating strings (``parse_rating``, ``format_rating``),
  the rating a computed speed requires (``required_rating``) and whether an existing rating
  covers a vehicle (``check_rating``);
* ``network``: the worst approach to each access point of a perimeter on a street network
  (``StreetNetwork``, ``analyse_run_up``);
* ``streets``: street files (GeoJSON, OSM XML) read into ``Streets``, which give a ``StreetNetwork``
  in the projection of Stoa's maps (``read_streets``, ``Streets.to_network``); imported on its own.

SI units throughout (m, s, kg, m/s, m/s²; energy in kJ); the parameter tables (vehicle classes,
standards, friction) are data, ``stoa.core.engineering_data``.
"""

from stoa.core.engineering_data import UnknownVehicleClass, VehicleClass
from stoa.core.hvm.dynamics import (
    KMH,
    MPH,
    DynamicsError,
    SpeedProfile,
    VehicleDynamics,
    cornering_speed,
    kinetic_energy_kj,
    lateral_acceleration,
    max_speed,
    path_impact_speed,
    run_up_for_speed,
    speed_profile,
    turn_radii,
    vehicle_dynamics,
)
from stoa.core.hvm.network import AccessPoint, Approach, NetworkError, StreetNetwork, analyse_run_up
from stoa.core.hvm.rating import (
    Rating,
    RatingCheck,
    RatingError,
    RequiredRating,
    check_rating,
    format_rating,
    parse_rating,
    rating_stops,
    rating_vehicle_class,
    required_rating,
)

__all__ = [
    "KMH", "MPH", "AccessPoint", "Approach", "DynamicsError", "NetworkError", "Rating", "RatingCheck", "RatingError",
    "RequiredRating", "SpeedProfile", "StreetNetwork", "UnknownVehicleClass", "VehicleClass", "VehicleDynamics",
    "analyse_run_up", "check_rating", "cornering_speed", "format_rating", "kinetic_energy_kj", "lateral_acceleration",
    "max_speed", "parse_rating", "path_impact_speed", "rating_stops", "rating_vehicle_class", "required_rating",
    "run_up_for_speed", "speed_profile", "turn_radii", "vehicle_dynamics",
]
