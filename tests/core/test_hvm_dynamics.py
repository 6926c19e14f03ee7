"""Vehicle dynamics: the research note's oracles (§1.2–§1.5), properties of the speed profile, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stoa.core.hvm import (
    MPH,
    DynamicsError,
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

G = 9.81


@pytest.mark.parametrize(("mass", "kmh", "kj"), [
    (1500, 48, 133.3), (1500, 64, 237.0), (2500, 48, 222.2), (3500, 48, 311.1), (7200, 48, 640.0),
    (7200, 64, 1137.8), (7200, 80, 1777.8), (7500, 80, 1851.9), (30_000, 48, 2666.7), (30_000, 80, 7407.4),
])
def test_kinetic_energy_table(mass, kmh, kj):
    assert kinetic_energy_kj(mass, kmh / 3.6) == pytest.approx(kj, abs=0.05)


def test_kinetic_energy_against_published_figures_in_mph():
    # UFGS 02840: 4535 kg at 50 mph → 1133 kJ, at 15 mph → 102 kJ (exact mph conversion).
    assert kinetic_energy_kj(4535, 50 * MPH) == pytest.approx(1133, abs=0.5)
    assert kinetic_energy_kj(4535, 15 * MPH) == pytest.approx(102, abs=0.5)
    # ASTM M50: 6800 kg at 50 mph → 1698.7 kJ, Delta Scientific's 1,250,000 ft·lb to 0.3 % (15,000 lb is 6804 kg).
    assert kinetic_energy_kj(6800, 50 * MPH) == pytest.approx(1698.7, abs=0.05)
    assert kinetic_energy_kj(6800, 50 * MPH) == pytest.approx(1_250_000 * 1.3558179483 / 1000, rel=3e-3)


RUN_UP_KMH = {  # research note §1.3: km/h from rest after d metres at a m/s²
    0.5: (11.4, 16.1, 19.7, 25.5, 36.0), 1.0: (16.1, 22.8, 27.9, 36.0, 50.9), 2.0: (22.8, 32.2, 39.4, 50.9, 72.0),
    3.0: (27.9, 39.4, 48.3, 62.4, 88.2), 4.0: (32.2, 45.5, 55.8, 72.0, 101.8),
}


@pytest.mark.parametrize("acceleration", sorted(RUN_UP_KMH))
def test_run_up_table(acceleration):
    speeds = max_speed(np.array([10, 20, 30, 50, 100]), acceleration) * 3.6
    assert speeds == pytest.approx(RUN_UP_KMH[acceleration], abs=0.05)


def test_max_speed_scalars_arrays_initial_speed_and_top_speed():
    assert isinstance(max_speed(100, 3.0), float)
    assert max_speed(100, 3.0, 10.0) == pytest.approx(math.sqrt(100 + 600))
    assert max_speed(1000, 3.0, top_speed_ms=50.0) == 50.0
    speeds = max_speed([0, 50, 2000], [3.0, 2.0, 1.0], top_speed_ms=[40.0, 40.0, 25.0])
    assert speeds == pytest.approx([0.0, math.sqrt(200), 25.0])
    assert run_up_for_speed(max_speed(73.0, 1.2, 2.0), 1.2, 2.0) == pytest.approx(73.0)


@pytest.mark.parametrize(("friction", "radius", "kmh"), [(0.6, 20, 39.1), (0.6, 10, 27.6), (1.0, 20, 50.4)])
def test_skid_limited_cornering_speed(friction, radius, kmh):
    assert cornering_speed(radius, lateral_acceleration(friction)) * 3.6 == pytest.approx(kmh, abs=0.05)


def test_cornering_oracles_rollover_superelevation_and_imperial():
    assert cornering_speed(20, 0.6 * G) == pytest.approx(10.85, abs=0.005)
    assert cornering_speed(20, lateral_acceleration(0.7, rollover_threshold_g=0.35)) * 3.6 == pytest.approx(29.8,
                                                                                                           abs=0.05)
    assert cornering_speed(30, lateral_acceleration(0.6, superelevation=0.05)) * 3.6 == pytest.approx(50.56, abs=0.01)
    # MIL-HDBK-1013/14 in feet: f = 1, r = 100 ft → √(32.2 × 100) ft/s = 38.69 mph.
    assert cornering_speed(100 * 0.3048, lateral_acceleration(1.0, gravity=32.2 * 0.3048)) / MPH == \
        pytest.approx(38.69, abs=0.005)
    assert cornering_speed(np.inf, 5.0) == np.inf
    assert cornering_speed(10.0, 0.0) == 0.0


def test_bend_radius_of_three_points():
    assert turn_radii([(0, 0), (10, 0), (10, 10)])[1] == pytest.approx(7.0711, abs=1e-4)
    assert list(turn_radii([(0, 0), (10, 0), (20, 0)])) == [math.inf, math.inf, math.inf]
    # Points on a circle of radius 50 m give back 50 m (the circle through three consecutive points).
    angles = np.linspace(0, 1.2, 9)
    arc = np.c_[50 * np.cos(angles), 50 * np.sin(angles)]
    assert turn_radii(arc)[1:-1] == pytest.approx(np.full(7, 50.0))
    # A hairpin drawn with unequal legs stays tight (the plain three-point circle would be huge).
    assert turn_radii([(0, 0), (100, 0), (90, 1)])[1] == pytest.approx(5.03, abs=0.01)  # three-point circle: 452 m
    # The corner leg caps the legs: a right angle between long streets.
    assert turn_radii([(0, 0), (200, 0), (200, 200)], corner_leg_m=20)[1] == pytest.approx(20 / math.sqrt(2))


def test_the_worked_run_up_example_of_the_research_note():
    # 100 m straight from rest, a bend of r = 15 m (a right angle with 15·√2 m legs), 40 m to the barrier.
    points = [(0, 0), (100, 0), (100, 40)]
    profile = speed_profile(points, 3.0, 0.6 * G, 0.6 * G, corner_leg_m=15 * math.sqrt(2))
    assert profile.radius_m[1] == pytest.approx(15.0)
    assert profile.speed_ms[1] == pytest.approx(9.396, abs=5e-4)
    assert profile.impact_speed_ms == pytest.approx(18.119, abs=5e-4)
    assert profile.impact_speed_ms * 3.6 == pytest.approx(65.2, abs=0.05)
    assert profile.peak_ms[0] == pytest.approx(20.67, abs=5e-3)
    assert profile.peak_at_m[0] == pytest.approx(71.21, abs=5e-3)
    assert profile.peak_ms[0] * 3.6 == pytest.approx(74.4, abs=0.05)


def test_initial_and_top_speeds_and_segment_limits():
    points = [(0, 0), (100, 0), (200, 0)]
    assert path_impact_speed(points, 3.0, G, G, initial_speed_ms=10.0) == pytest.approx(math.sqrt(100 + 1200))
    assert path_impact_speed(points, 3.0, G, G, top_speed_ms=20.0) == 20.0
    assert path_impact_speed(points, 3.0, G, G, segment_max_speed_ms=[5.0, math.inf]) == pytest.approx(
        math.sqrt(25 + 600))
    # Too fast to brake before a tight bend: the start is lowered to what can make it.
    tight = [(0, 0), (5, 0), (5, 5)]
    profile = speed_profile(tight, 3.0, G, G, initial_speed_ms=30.0)
    assert profile.speed_ms[0] == pytest.approx(math.sqrt(profile.limit_ms[1] ** 2 + 2 * G * 5))


# --- properties --------------------------------------------------------------------------------

lengths = st.floats(1.0, 300.0)
accelerations = st.floats(0.1, 5.0)


@given(lengths, lengths, accelerations, st.floats(0.0, 30.0), st.floats(1.0, 60.0))
def test_more_run_up_never_lowers_the_speed(short, extra, acceleration, initial, top):
    assert max_speed(short + extra, acceleration, initial, top) >= max_speed(short, acceleration, initial, top)
    bend = [(short + extra, 0.0), (short + extra + 30.0, 0.0), (short + extra + 30.0, 25.0)]
    longer = path_impact_speed([(0.0, 0.0), *bend], acceleration, 6.0, 6.0, initial_speed_ms=initial, top_speed_ms=top)
    shorter = path_impact_speed([(extra, 0.0), *bend], acceleration, 6.0, 6.0, initial_speed_ms=initial,
                                top_speed_ms=top)
    assert longer >= shorter - 1e-9


@given(st.floats(0.0, 170.0), st.floats(0.0, 10.0), lengths, lengths, accelerations, st.floats(1.0, 10.0))
def test_a_tighter_bend_never_raises_the_speed(angle, tighter, before, after, acceleration, lateral):
    def speed(degrees: float) -> float:
        turn = math.radians(degrees)
        points = [(0.0, 0.0), (before, 0.0), (before + after * math.cos(turn), after * math.sin(turn))]
        return path_impact_speed(points, acceleration, lateral, 5.0, corner_leg_m=20.0)

    assert speed(min(angle + tighter, 180.0)) <= speed(angle) + 1e-9


@st.composite
def polylines(draw: st.DrawFn) -> np.ndarray:
    steps = draw(st.lists(st.tuples(st.floats(-100, 100), st.floats(-100, 100)), min_size=1, max_size=8))
    points = np.cumsum(np.array([(0.0, 0.0), *steps]), axis=0)
    if (np.hypot(*np.diff(points, axis=0).T) < 0.5).any():
        return np.array([(0.0, 0.0), (10.0, 0.0)])
    return points


@settings(max_examples=150)
@given(polylines(), accelerations, st.floats(0.5, 10.0), st.floats(0.1, 10.0), st.floats(0.1, 10.0),
       st.floats(0.0, 20.0))
def test_braking_shapes_the_profile_but_not_the_impact_speed(points, acceleration, lateral, brake_a, brake_b,
                                                             initial):
    first = speed_profile(points, acceleration, lateral, brake_a, initial_speed_ms=initial, top_speed_ms=40.0)
    second = speed_profile(points, acceleration, lateral, brake_b, initial_speed_ms=initial, top_speed_ms=40.0)
    assert first.impact_speed_ms == pytest.approx(second.impact_speed_ms, rel=1e-9, abs=1e-9)
    for profile, brake in ((first, brake_a), (second, brake_b)):
        speed = profile.speed_ms
        assert (speed <= profile.limit_ms * (1 + 1e-9) + 1e-9).all()
        steps = np.diff(profile.distance_m)
        assert (speed[1:] ** 2 <= speed[:-1] ** 2 + 2 * acceleration * steps + 1e-6).all()  # no faster than a
        assert (speed[:-1] ** 2 <= speed[1:] ** 2 + 2 * brake * steps + 1e-6).all()  # can brake in time
        assert (profile.peak_ms >= np.maximum(speed[:-1], speed[1:]) - 1e-9).all()


# --- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("call", "message"), [
    (lambda: max_speed(-1, 3.0), "run_up_m must be at least 0, got -1.0"),
    (lambda: max_speed(10, -3.0), "acceleration_ms2 must be at least 0"),
    (lambda: max_speed([10, float("nan")], 3.0), "run_up_m must be a finite number, got nan at index 1"),
    (lambda: max_speed(10, 3.0, top_speed_ms=0), "top_speed_ms must be above 0"),
    (lambda: kinetic_energy_kj(-1500, 10), "mass_kg must be at least 0"),
    (lambda: path_impact_speed([(0, 0)], 3, 6, 6), "at least two (x, y) points"),
    (lambda: path_impact_speed([(0, 0), (0, 0), (5, 5)], 3, 6, 6), "points 0 and 1 are the same point"),
    (lambda: path_impact_speed([(0, 0), (1, "x")], 3, 6, 6), "list of (x, y) pairs"),
    (lambda: path_impact_speed([(0, 0), (5, 0), (5, 5)], 3, 6, 6, segment_max_speed_ms=[1.0]),
     "needs one value per segment (2)"),
    (lambda: path_impact_speed([(0, 0), (5, 0)], 3, 6, 6, corner_leg_m=0), "corner_leg_m must be above 0"),
    (lambda: lateral_acceleration(0.6, superelevation=2.0), "superelevation must be at least 0"),
])
def test_bad_input_is_refused_with_a_specific_message(call, message):
    with pytest.raises(DynamicsError) as caught:
        call()
    assert message in str(caught.value)


def test_vehicle_dynamics_defaults_and_overrides():
    car = vehicle_dynamics("m1")
    assert (car.mass_kg, car.acceleration_ms2, car.top_speed_ms) == (1500, 3.0, 50.0)
    assert car.lateral_accel_ms2 == pytest.approx(9.81) and car.braking_ms2 == pytest.approx(9.81)
    truck = vehicle_dynamics("N3F", "DRY_ASPHALT", acceleration_ms2=0.4)
    assert truck.acceleration_ms2 == 0.4 and truck.lateral_accel_ms2 == pytest.approx(0.35 * 9.81)
    assert truck.braking_ms2 == pytest.approx(0.7 * 9.81)
