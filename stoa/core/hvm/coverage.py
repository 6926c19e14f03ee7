"""What the existing barriers stop of the computed approaches, and the likelihood that follows.

For each perimeter point and vehicle class the run-up analysis gives the highest impact speed
and its angle. A barrier already in place *at* the point (its location within ``reach_m``) stops
the class when its rating covers the class at that speed and angle (``check_rating`` with
``accept_heavier``: a barrier tested with a heavier vehicle of the same or a heavier category at
the speed is taken to stop the lighter one too). Several barriers at one point: any that stops
the class is enough.

**The likelihood rule** (a documented Stoa choice, not a published table): the highest impact
speed of any class that no barrier stops, at any perimeter point, in bands at the barrier
standards' test speeds: below 16 km/h → 1, 16–32 → 2, 32–48 → 3, 48–64 → 4, 64 km/h or more →
5 (``LIKELIHOOD_BANDS_KMH``). Everything stopped (or no vehicle can reach a point) → 1. The
bands read "how fast can a vehicle that nothing stops be when it reaches the crowd"; the
assessor's rating stays the assessor's.

The **worst case** at a point is the approach with the most kinetic energy among those no
barrier stops (among all, when everything is stopped); its recommended rating is
``required_rating`` for that class and speed, in every standard's notation, at the head-on test
angle (90°): a driver can swerve at the last metres, and a 90° rating covers every angle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from stoa.core.engineering_data import EngineeringData, shipped
from stoa.core.hvm.rating import RatingError, RequiredRating, check_rating, required_rating

# (lower bound in km/h of the fastest unstopped impact speed, proposed likelihood), lowest first.
LIKELIHOOD_BANDS_KMH: tuple[tuple[float, int], ...] = ((0.0, 1), (16.0, 2), (32.0, 3), (48.0, 4), (64.0, 5))
DEFAULT_REACH_M = 20.0  # a barrier drawn this close to a perimeter point stands at it


@dataclass(frozen=True)
class Barrier:
    """An existing barrier with a rating, where it stands (metres) and what it is called."""

    key: str
    name: str
    rating: str
    distance_m: float  # from the perimeter point it is checked at


@dataclass(frozen=True)
class ClassOutcome:
    vehicle_class: str
    speed_ms: float
    energy_kj: float
    angle_deg: float | None
    stopped_by: str | None  # the barrier's name, None when nothing here stops it
    reasons: tuple[str, ...]  # per barrier, why it does or does not stop this class
    required: RequiredRating | None  # None when the vehicle cannot reach the point

    @property
    def speed_kmh(self) -> float:
        return self.speed_ms * 3.6


@dataclass(frozen=True)
class PointOutcome:
    outcomes: tuple[ClassOutcome, ...]
    worst: ClassOutcome | None

    @property
    def unstopped_kmh(self) -> float:
        """The fastest impact speed here that no barrier stops (0 when all are stopped)."""
        return max((o.speed_kmh for o in self.outcomes if o.stopped_by is None), default=0.0)


def assess_point(approaches: Sequence[tuple[str, float, float, float | None]], barriers: Sequence[Barrier],
                 data: EngineeringData | None = None) -> PointOutcome:
    """APPROACHES are (vehicle class, speed m/s, energy kJ, angle°) at one point; BARRIERS stand at it."""
    tables = data or shipped()
    outcomes = []
    for vehicle_class, speed, energy, angle in approaches:
        reasons, stopped_by = [], None
        for barrier in barriers:
            try:
                check = check_rating(barrier.rating, vehicle_class, speed, angle_deg=angle, accept_heavier=True,
                                     data=tables)
            except RatingError as exc:
                reasons.append(f"{barrier.name}: {exc}")
                continue
            reasons.append(f"{barrier.name}: {check.reason}")
            if check.stops and stopped_by is None:
                stopped_by = barrier.name
        required = required_rating(vehicle_class, speed, data=tables) if speed > 0 else None
        outcomes.append(ClassOutcome(vehicle_class, speed, energy, angle, stopped_by, tuple(reasons), required))
    open_ = [o for o in outcomes if o.stopped_by is None and o.speed_ms > 0]
    pool = open_ or [o for o in outcomes if o.speed_ms > 0]
    worst = max(pool, key=lambda o: o.energy_kj) if pool else None
    return PointOutcome(tuple(outcomes), worst)


def proposed_likelihood(unstopped_kmh: float, bands: tuple[tuple[float, int], ...] = LIKELIHOOD_BANDS_KMH) -> int:
    """The likelihood (1–5) for the fastest impact speed no barrier stops (module doc)."""
    if unstopped_kmh < 0:
        raise ValueError(f"the speed must be at least 0 km/h, got {unstopped_kmh!r}")
    reached = [level for floor, level in bands if unstopped_kmh >= floor]
    return reached[-1] if reached else bands[0][1]
