"""Vehicle dynamics: run-up speed, kinetic energy, cornering limits and the speed along a path.

All in SI units (m, s, kg, m/s, m/s²); kinetic energy in kJ. Functions taking numbers accept
NumPy arrays too (broadcast together); scalars in give a float out.

* ``max_speed``: constant acceleration a from v0 over a straight run-up s, v = √(v0² + 2·a·s),
  optionally capped at the vehicle's top speed.
* ``kinetic_energy_kj``: E = ½·m·v².
* ``cornering_speed``: the skid- (or rollover-) limited speed through a bend of radius r,
  v = √(a_lat·r), with a_lat = g·min(μ, SRT) (``lateral_acceleration``; MIL-HDBK-1013/14, UFC
  4-022-02).
* ``speed_profile`` / ``path_impact_speed``: the highest speed a vehicle can have at each vertex
  of a polyline (in metres), ending at the perimeter, as the minimum-time velocity profile of
  racing-line and rail-braking curves:

  1. a speed limit at each vertex: the cornering speed √(a_lat·R) for the vertex's bend radius
     R (``turn_radii``), the vehicle's top speed, and the speed limits of the two segments that
     meet there, if given; the first vertex starts at ``initial_speed_ms`` (0: from rest);
  2. backward pass: each limit lowered so that the vehicle can still brake (at ``braking_ms2``)
     to every later limit, v[i] ≤ √(v[i+1]² + 2·b·s);
  3. forward pass: from the first vertex, accelerating at ``acceleration_ms2``,
     v[i+1] = min(limit[i+1], √(v[i]² + 2·a·s)).

  Bends are point constraints at the vertices. Both passes are closed forms over cumulative
  distances (running minima), so a path of any length is a few NumPy operations. The speed at
  the last vertex is the impact speed. Because a driver can always accelerate less, the impact
  speed does not depend on the braking rate (tests check this); braking shapes the profile in
  between, e.g. how fast the vehicle is before it must slow down for a bend (``peak_ms``).

**Bend radius at a vertex** (``turn_radii``): the radius of the circle through the vertex and
the two points at equal distance t along its two segments, t = the shorter segment (capped at
``corner_leg_m`` when given), i.e. R = t / (2·sin(θ/2)) = t / |u_out − u_in| for a deflection θ
between the unit directions. With segments of equal length (a resampled polyline) it is exactly
the circle through three consecutive points (the research note's oracle: (0,0), (10,0), (10,10)
gives 7.0711 m) and along a polyline drawn on a circular arc it is the arc's radius. Unlike the
plain three-point circle it stays bounded for a hairpin drawn with unequal segments, whose three
points are nearly collinear. ``corner_leg_m`` stands for the carriageway: on a street network a
right-angle corner between long streets would otherwise get the radius of a circle through
points a block away.

Model limits, to keep in mind when reading the numbers: constant acceleration (real vehicles
accelerate less as they go faster, Long 2000; the constant rate overestimates speed at the end of
long run-ups, which errs on the safe side); flat road (no grade); bends as points (no
speed-dependent path through a long curve beyond its vertices' radii); no driver reaction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from stoa.core.engineering_data import EngineeringData, VehicleClass, shipped

MPH = 0.44704  # m/s, exactly
KMH = 1 / 3.6  # m/s

FloatOrArray = Any  # a float for scalar inputs, else an ndarray


class DynamicsError(ValueError):
    """An input to a dynamics computation is out of its domain (negative run-up, bad path...)."""


def _values(value: ArrayLike, name: str, *, positive: bool = False, allow_inf: bool = False) -> NDArray[np.float64]:
    array = np.asarray(value, dtype=float)
    bad = np.isnan(array) | (~np.isfinite(array) if not allow_inf else np.isneginf(array))
    if bad.any():
        raise DynamicsError(f"{name} must be a finite number, got {_first(value, bad)}")
    wrong = array <= 0 if positive else array < 0
    if wrong.any():
        raise DynamicsError(f"{name} must be {'above 0' if positive else 'at least 0'}, got {_first(value, wrong)}")
    return array


def _first(value: ArrayLike, mask: NDArray[np.bool_]) -> str:
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return repr(float(array))
    index = tuple(int(i) for i in np.argwhere(mask)[0])
    return f"{float(array[index])!r} at index {index[0] if len(index) == 1 else index}"


def _out(array: NDArray[np.float64], *inputs: ArrayLike) -> FloatOrArray:
    if all(np.ndim(i) == 0 for i in inputs):
        return float(array)
    return array


def max_speed(run_up_m: ArrayLike, acceleration_ms2: ArrayLike, initial_speed_ms: ArrayLike = 0.0,
              top_speed_ms: ArrayLike | None = None) -> FloatOrArray:
    """The speed in m/s after a straight run-up: √(v0² + 2·a·s), at most TOP_SPEED_MS if given."""
    s = _values(run_up_m, "run_up_m")
    a = _values(acceleration_ms2, "acceleration_ms2")
    v0 = _values(initial_speed_ms, "initial_speed_ms")
    speed = np.sqrt(v0 ** 2 + 2.0 * a * s)
    if top_speed_ms is not None:
        speed = np.minimum(speed, _values(top_speed_ms, "top_speed_ms", positive=True, allow_inf=True))
    return _out(speed, run_up_m, acceleration_ms2, initial_speed_ms, *(() if top_speed_ms is None else
                                                                       (top_speed_ms,)))


def run_up_for_speed(speed_ms: ArrayLike, acceleration_ms2: ArrayLike, initial_speed_ms: ArrayLike = 0.0
                     ) -> FloatOrArray:
    """The straight run-up in m needed to reach SPEED_MS from INITIAL_SPEED_MS: (v² − v0²) / (2·a), 0 if v ≤ v0."""
    v = _values(speed_ms, "speed_ms")
    a = _values(acceleration_ms2, "acceleration_ms2", positive=True)
    v0 = _values(initial_speed_ms, "initial_speed_ms")
    return _out(np.maximum(v ** 2 - v0 ** 2, 0.0) / (2.0 * a), speed_ms, acceleration_ms2, initial_speed_ms)


def kinetic_energy_kj(mass_kg: ArrayLike, speed_ms: ArrayLike) -> FloatOrArray:
    """½·m·v² in kJ (use ``MPH`` = 0.44704 m/s exactly when a speed is given in mph)."""
    m = _values(mass_kg, "mass_kg")
    v = _values(speed_ms, "speed_ms")
    return _out(0.5 * m * v ** 2 / 1000.0, mass_kg, speed_ms)


def cornering_speed(radius_m: ArrayLike, lateral_accel_ms2: ArrayLike) -> FloatOrArray:
    """The highest speed through a bend of RADIUS_M: √(a_lat·r) (infinite for a straight, r = ∞)."""
    r = _values(radius_m, "radius_m", allow_inf=True)
    a_lat = _values(lateral_accel_ms2, "lateral_accel_ms2")
    with np.errstate(invalid="ignore"):
        speed = np.sqrt(a_lat * r)
    speed = np.where(np.isinf(r) & (a_lat > 0), np.inf, np.nan_to_num(speed, nan=0.0))
    return _out(speed, radius_m, lateral_accel_ms2)


def lateral_acceleration(friction: float, *, rollover_threshold_g: float | None = None, superelevation: float = 0.0,
                         gravity: float | None = None) -> float:
    """The lateral acceleration limit a_lat in m/s²: g·min(μ, SRT), on a banked road g·(μ + e)/(1 − μ·e).

    FRICTION is the tyre–road coefficient μ, ROLLOVER_THRESHOLD_G the vehicle's static rollover
    threshold in g (when it is below μ the vehicle rolls before it skids), SUPERELEVATION the
    road's cross slope e (m/m). GRAVITY defaults to the shipped parameter (9.81 m/s²).
    """
    g = shipped().gravity if gravity is None else float(gravity)
    mu = float(_values(friction, "friction"))
    if rollover_threshold_g is not None:
        mu = min(mu, float(_values(rollover_threshold_g, "rollover_threshold_g", positive=True)))
    e = float(superelevation)
    if not math.isfinite(e) or e < 0 or mu * e >= 1:
        raise DynamicsError(f"superelevation must be at least 0 with friction × superelevation below 1, got {e!r}")
    return g * (mu + e) / (1.0 - mu * e)


@dataclass(frozen=True)
class VehicleDynamics:
    """The numbers a speed computation needs for one vehicle class on one road surface."""

    vehicle_class: str
    mass_kg: float
    acceleration_ms2: float
    lateral_accel_ms2: float
    braking_ms2: float
    top_speed_ms: float


def vehicle_dynamics(vehicle_class: str | VehicleClass, surface: str | None = None, *,
                     data: EngineeringData | None = None, acceleration_ms2: float | None = None,
                     top_speed_ms: float | None = None) -> VehicleDynamics:
    """The documented defaults of VEHICLE_CLASS on SURFACE (a road surface key; default: the shipped default).

    Lateral limit g·min(μ, SRT); braking μ·g (friction-limited). ACCELERATION_MS2 and
    TOP_SPEED_MS override the class defaults.
    """
    tables = data or shipped()
    vehicle = tables.vehicle_class(vehicle_class)
    road = tables.surface(surface)
    g = tables.gravity
    return VehicleDynamics(
        vehicle.key, vehicle.mass_kg,
        vehicle.acceleration_ms2 if acceleration_ms2 is None else float(acceleration_ms2),
        g * vehicle.lateral_limit_g(road.friction), g * road.friction,
        vehicle.top_speed_ms if top_speed_ms is None else float(top_speed_ms))


# --- paths -------------------------------------------------------------------------------------

def _points(points_xy_m: ArrayLike) -> NDArray[np.float64]:
    try:
        points = np.asarray(points_xy_m, dtype=float)
    except (TypeError, ValueError) as error:
        raise DynamicsError(f"points_xy_m must be a list of (x, y) pairs in metres: {error}") from None
    if points.ndim != 2 or points.shape[1] != 2 or len(points) < 2:
        raise DynamicsError(f"points_xy_m must hold at least two (x, y) points, got an array of shape {points.shape}")
    if not np.isfinite(points).all():
        raise DynamicsError(f"point {int(np.argwhere(~np.isfinite(points))[0][0])} is not a finite (x, y)")
    lengths = np.hypot(*np.diff(points, axis=0).T)
    if (lengths == 0).any():
        index = int(np.flatnonzero(lengths == 0)[0])
        raise DynamicsError(f"points {index} and {index + 1} are the same point; a path has no zero-length segment")
    return points


def turn_radii(points_xy_m: ArrayLike, corner_leg_m: float | None = None) -> NDArray[np.float64]:
    """The bend radius at each vertex (∞ at both ends and where the path runs straight); see the module doc."""
    points = _points(points_xy_m)
    leg = np.inf if corner_leg_m is None else float(_values(corner_leg_m, "corner_leg_m", positive=True))
    steps = np.diff(points, axis=0)
    lengths = np.hypot(*steps.T)
    directions = steps / lengths[:, None]
    radii = np.full(len(points), np.inf)
    if len(points) > 2:
        radii[1:-1] = bend_radius(lengths[:-1], lengths[1:], directions[:-1], directions[1:], leg)
    return radii


def bend_radius(length_in: NDArray[np.float64], length_out: NDArray[np.float64], direction_in: NDArray[np.float64],
                direction_out: NDArray[np.float64], corner_leg_m: float = np.inf) -> NDArray[np.float64]:
    """R = t / |u_out − u_in| with t = min(length_in, length_out, corner_leg_m), vectorised over bends."""
    t = np.minimum(np.minimum(length_in, length_out), corner_leg_m)
    turn = np.hypot(*(direction_out - direction_in).T)  # 2·sin(θ/2)
    with np.errstate(divide="ignore"):
        return np.where(turn > 1e-12, t / np.maximum(turn, 1e-300), np.inf)


@dataclass(frozen=True)
class SpeedProfile:
    """The speed along a path, per vertex (``distance_m`` from the first) and per segment (``peak_*``)."""

    distance_m: NDArray[np.float64]
    radius_m: NDArray[np.float64]
    limit_ms: NDArray[np.float64]  # the speed limit at each vertex (bend, top speed, segment limits)
    speed_ms: NDArray[np.float64]  # the highest achievable speed at each vertex
    peak_ms: NDArray[np.float64]  # the highest speed within each segment
    peak_at_m: NDArray[np.float64]  # where that peak is, from the first vertex

    @property
    def impact_speed_ms(self) -> float:
        return float(self.speed_ms[-1])


def speed_profile(points_xy_m: ArrayLike, acceleration_ms2: float, lateral_accel_ms2: float, braking_ms2: float, *,
                  initial_speed_ms: float = 0.0, top_speed_ms: float = np.inf, corner_leg_m: float | None = None,
                  segment_max_speed_ms: ArrayLike | None = None) -> SpeedProfile:
    """The speed profile along the polyline POINTS_XY_M (metres, ending at the perimeter); see the module doc.

    INITIAL_SPEED_MS is the speed at the first point (0: from rest); if it is too fast to brake
    for a later bend it is lowered to the fastest speed that can. SEGMENT_MAX_SPEED_MS optionally
    gives a speed limit per segment (e.g. traffic calming).
    """
    points = _points(points_xy_m)
    a = float(_values(acceleration_ms2, "acceleration_ms2"))
    a_lat = float(_values(lateral_accel_ms2, "lateral_accel_ms2"))
    b = float(_values(braking_ms2, "braking_ms2"))
    v0 = float(_values(initial_speed_ms, "initial_speed_ms"))
    top = float(_values(top_speed_ms, "top_speed_ms", positive=True, allow_inf=True))
    lengths = np.hypot(*np.diff(points, axis=0).T)
    distance = np.concatenate([[0.0], np.cumsum(lengths)])
    radii = turn_radii(points, corner_leg_m)

    limit2 = np.minimum(np.where(np.isinf(radii), np.inf, a_lat * radii), top ** 2)
    segment2 = np.full(len(lengths), top ** 2)
    if segment_max_speed_ms is not None:
        segment = _values(segment_max_speed_ms, "segment_max_speed_ms", positive=True, allow_inf=True)
        if segment.ndim and segment.shape != lengths.shape:
            raise DynamicsError(f"segment_max_speed_ms needs one value per segment ({len(lengths)}), got "
                                f"{segment.size}")
        segment2 = np.minimum(segment2, segment ** 2)
        limit2[:-1] = np.minimum(limit2[:-1], segment2)
        limit2[1:] = np.minimum(limit2[1:], segment2)

    # Backward pass: lim²[i] = min over k ≥ i of (limit²[k] + 2·b·(S[k] − S[i])).
    braked2 = np.minimum.accumulate((limit2 + 2.0 * b * distance)[::-1])[::-1] - 2.0 * b * distance
    braked2 = np.minimum(braked2, limit2)  # exact where b·S adds nothing (and for b = 0)
    # Forward pass: v²[j] = min over k ≤ j of (L[k] + 2·a·(S[j] − S[k])), L = braked limits, L[0] = v0².
    start2 = braked2.copy()
    start2[0] = min(v0 ** 2, braked2[0])
    speed2 = np.minimum.accumulate(start2 - 2.0 * a * distance) + 2.0 * a * distance
    speed2 = np.clip(np.minimum(speed2, start2), 0.0, None)

    v_in, v_out = speed2[:-1], speed2[1:]
    # Accelerating from v_in and braking to v_out, the two parabolas meet at the peak.
    peak2 = (b * v_in + a * v_out + 2.0 * a * b * lengths) / (a + b) if a + b > 0 else np.maximum(v_in, v_out)
    peak2 = np.maximum(np.minimum(peak2, segment2), np.maximum(v_in, v_out))
    with np.errstate(divide="ignore", invalid="ignore"):
        rise = np.where(a > 0, (peak2 - v_in) / (2.0 * a), 0.0)
    peak_at = distance[:-1] + np.clip(np.nan_to_num(rise), 0.0, lengths)
    return SpeedProfile(distance, radii, np.sqrt(limit2), np.sqrt(speed2), np.sqrt(peak2), peak_at)


def path_impact_speed(points_xy_m: ArrayLike, acceleration_ms2: float, lateral_accel_ms2: float, braking_ms2: float,
                      *, initial_speed_ms: float = 0.0, top_speed_ms: float = np.inf, corner_leg_m: float | None = None,
                      segment_max_speed_ms: ArrayLike | None = None) -> float:
    """The highest achievable speed in m/s at the last point of the path (the perimeter); see ``speed_profile``."""
    return speed_profile(points_xy_m, acceleration_ms2, lateral_accel_ms2, braking_ms2,
                         initial_speed_ms=initial_speed_ms, top_speed_ms=top_speed_ms, corner_leg_m=corner_leg_m,
                         segment_max_speed_ms=segment_max_speed_ms).impact_speed_ms
