"""Crowds: Fruin boundaries and the worked example, densities and warnings, egress oracles, what-if, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stoa.core.crowd import (
    CrowdError,
    Exit,
    area_per_person,
    assess_zone,
    density,
    density_band,
    density_warnings,
    egress_time_s,
    exit_units,
    hydraulic_speed,
    level_of_service,
    level_of_service_for,
    specific_flow,
    worst_exit_loss,
    zone_egress,
)

FT2 = 0.09290304


def test_the_corridor_worked_example_is_level_c():
    # 30 ft corridor, 300 p/min, 3 ft/s: 10 p/ft/min, 180 ft/min, M = 18 ft²/p = 1.672 m²/p.
    space = (180 / 10) * FT2
    assert space == pytest.approx(1.672, abs=5e-4)
    assert level_of_service(space) == "C"


@pytest.mark.parametrize(("space", "level"), [
    (math.inf, "A"), (10.0, "A"), (3.25, "A"), (3.2499, "B"), (2.32, "B"), (2.3199, "C"), (1.39, "C"), (1.3899, "D"),
    (0.93, "D"), (0.9299, "E"), (0.46, "E"), (0.4599, "F"), (0.0, "F"),
])
def test_fruin_walkway_boundaries(space, level):
    assert level_of_service(space) == level


def test_other_schemes_are_data():
    assert level_of_service(4.0, "HCM_2000_WALKWAY") == "B"  # Fruin would say A
    assert level_of_service(1.0, facility="queue") == "B"
    assert level_of_service(1.0, facility="stairway") == "C"
    assert list(level_of_service(np.array([5.0, 1.0, 0.1]))) == ["A", "D", "F"]
    assert level_of_service_for(300, 500) == "C"  # 1.67 m² each


@given(st.floats(0, 50), st.floats(0, 50))
def test_less_space_never_gives_a_better_level(a, b):
    small, large = sorted((a, b))
    assert level_of_service(small) >= level_of_service(large)  # "A" < "B" < ... as strings


def test_density_and_space():
    assert density(500, 250) == 2.0
    assert area_per_person(500, 250) == 0.5
    assert area_per_person(0, 250) == math.inf
    assert list(density([100, 400], 100)) == [1.0, 4.0]


@pytest.mark.parametrize(("per_m2", "band", "warnings"), [
    (0.5, "free", []), (2.0, "busy", []), (3.6, "congested", []), (4.0, "congested", ["STILL_CRITICAL_MOVING"]),
    (5.0, "dangerous", ["STILL_CRITICAL_MOVING", "STILL_DANGEROUS"]),
    (6.5, "crush", ["STILL_CRITICAL_MOVING", "STILL_DANGEROUS"]),
])
def test_density_bands_and_critical_density_warnings(per_m2, band, warnings):
    assert density_band(per_m2).band == band
    assert [w.key for w in density_warnings(per_m2)] == warnings


def test_a_christmas_market_zone():
    zone = assess_zone(4200, 1000)
    assert (zone.density_p_m2, zone.level_of_service, zone.band.band) == (4.2, "F", "congested")
    assert [w.severity for w in zone.warnings] == ["warning"]


# --- egress ------------------------------------------------------------------------------------------

def test_ten_thousand_people_through_ten_metres_of_exits():
    assert egress_time_s(10_000, 10, 82) / 60 == pytest.approx(12.2, abs=0.05)  # Green Guide target: 8 min
    assert egress_time_s(10_000, 10, 66) / 60 == pytest.approx(15.2, abs=0.05)  # at stair rates


def test_the_imo_worked_cases():
    # N = 200 through Fc = 1.92 p/s: 104.4 s; 9.5 m at 0.95 m/s: 10 s. N = 266, Fc = 2.41 p/s: 110.5 s; 12.7 s.
    assert egress_time_s(200, 1.0, 1.92 * 60) == pytest.approx(104.4, rel=3e-3)
    assert egress_time_s(266, 1.0, 2.41 * 60) == pytest.approx(110.5, rel=3e-3)
    both = egress_time_s([200, 266], 1.0, [1.92 * 60, 2.41 * 60], [9.5 / 0.95, 9.5 / 0.75])
    assert both == pytest.approx([104.17 + 10.0, 110.37 + 12.67], abs=0.01)


def test_the_home_office_exit_calculation():
    # The worked example's own sums: 913 people in 2 minutes: U = 11.41 → 12 units, E = 12/4 + 1 = 4 exits.
    units = exit_units(913)
    assert (round(units.units_exact, 2), units.units, units.exits) == (11.41, 12, 4)
    assert units.width_m == pytest.approx(12 * 0.525)
    # The 990 it names: U = 12.375 → 13 (decimal ≥ 0.3), E = 13/4 + 1 = 4.25 → 4 (decimal < 0.75).
    assert (exit_units(990).units, exit_units(990).exits) == (13, 4)
    assert exit_units(1000, 4).units == 6  # 6.25 → 6


def test_the_sfpe_hydraulic_speed_and_flow():
    assert hydraulic_speed([1.0, 1.9, 2.5]) == pytest.approx([1.028, 0.692, 0.469], abs=1e-3)
    assert specific_flow([1.0, 1.9, 2.5]) == pytest.approx([1.028, 1.316, 1.172], abs=1e-3)
    assert hydraulic_speed(0.3) == pytest.approx(0.85 * 1.40)
    assert hydraulic_speed(4.0) == 0.0
    assert hydraulic_speed(1.0, 1.0) == pytest.approx(1.0 - 0.266)


EXITS = [Exit("north", 3.0), Exit("south", 2.0, "stairs"), Exit("gate", 1.2, flow_per_m_per_min=60, travel_time_s=30)]


def test_a_zone_shares_its_people_by_exit_capacity():
    result = zone_egress(5000, EXITS, pre_movement_s=60)
    capacity = 3 * 82 + 2 * 66 + 1.2 * 60
    assert result.capacity_per_min == pytest.approx(capacity)
    assert [e.people for e in result.exits] == pytest.approx([5000 * 246 / capacity, 5000 * 132 / capacity,
                                                              5000 * 72 / capacity])
    assert result.time_s == pytest.approx(60 + 30 + 60 * 5000 / capacity)
    assert result.target_s == 480 and not result.meets_target
    own = zone_egress([1000, 500, 0], EXITS)
    assert own.time_s == pytest.approx(max(60 * 1000 / 246, 60 * 500 / 132))


def test_what_if_on_exit_widths_and_closed_exits():
    base = zone_egress(3000, EXITS)
    wider = zone_egress(3000, EXITS, widths={"north": 6.0})
    assert wider.time_s < base.time_s
    closed = zone_egress(3000, EXITS, closed=["north"])
    assert closed.time_s > base.time_s and closed.closed == ("north",)
    assert [e.name for e in closed.exits] == ["south", "gate"]
    assert worst_exit_loss(3000, EXITS).closed == ("north",)
    nothing_open = zone_egress(3000, EXITS, closed=["north", "south", "gate"])
    assert nothing_open.time_s == math.inf and not nothing_open.meets_target
    assert zone_egress(3000, EXITS, target_s=900).meets_target


@given(st.floats(1, 50_000), st.floats(0.5, 10), st.floats(0.1, 5))
def test_a_wider_exit_never_slows_a_zone(people, width, extra):
    exits = [Exit("a", width), Exit("b", 2.0, "stairs")]
    assert zone_egress(people, exits, widths={"a": width + extra}).time_s <= zone_egress(people, exits).time_s


@pytest.mark.parametrize(("call", "message"), [
    (lambda: egress_time_s(-5, 2, 82), "people must be at least 0, got -5.0"),
    (lambda: egress_time_s(100, 0, 82), "exit_width_m must be above 0, got 0.0"),
    (lambda: egress_time_s(100, [2, -1], 82), "exit_width_m must be above 0, got -1.0 at index 1"),
    (lambda: egress_time_s(100, 2, 0), "flow_per_m_per_min must be above 0"),
    (lambda: density(10, 0), "area_m2 must be above 0"),
    (lambda: level_of_service(-1), "area_m2_per_person must be at least 0"),
    (lambda: zone_egress(100, EXITS, closed=["west"]), "no exit named 'west'; exits: north, south, gate"),
    (lambda: zone_egress([1, 2], EXITS), "give one number of people per exit (3), got 2"),
    (lambda: zone_egress([5, 0, 0], EXITS, closed=["north"]), "exit 'north' is closed but 5 people are assigned"),
    (lambda: zone_egress(100, [Exit("a", 1), Exit("a", 2)]), "exit names must be unique, repeated: a"),
    (lambda: worst_exit_loss(100, EXITS[:1]), "losing an exit needs at least two exits"),
])
def test_bad_input_gets_a_specific_error(call, message):
    with pytest.raises(CrowdError) as caught:
        call()
    assert message in str(caught.value)


def test_an_unknown_route_names_the_known_ones():
    with pytest.raises(ValueError, match="unknown flow rate or route 'escalator'"):
        zone_egress(100, [Exit("a", 1.0, "escalator")])
