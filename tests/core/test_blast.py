"""Blast: Kingery–Bulmash reference points, the NCTC chart, threshold radii, properties and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stoa.core.blast import (
    BlastError,
    ScaledDistanceError,
    arrival_time_ms,
    blast_rings,
    incident_impulse,
    incident_overpressure,
    positive_duration_ms,
    radius_for_overpressure,
    reflected_impulse,
    reflected_overpressure,
    scaled_distance,
    standoff,
    threat_categories,
    threat_category,
    threshold_radii,
)
from stoa.core.blast.airblast import INCIDENT_IMPULSE, INCIDENT_PRESSURE, REFLECTED_IMPULSE, REFLECTED_PRESSURE

# fcento100/kingery-bulmash's tests (research note §2.3): NEQ = 1000 kg, per W^(1/3) for times and impulses.
W = 1000.0
ROOT = 10.0
ORACLES = [  # Z, Pso, Pr, incident impulse, arrival, duration
    (0.5, 4888, 39422, 166.2, 0.143, 0.281), (1, 1354, 8152, 236.3, 0.467, 1.72),
    (2, 283.7, 1058, 134.6, 1.693, 2.053), (3, 115.7, 330.7, 92.7, 3.546, 2.819),
    (5, 43.23, 100.9, 59.31, 8.242, 3.793), (10, 14.89, 31.54, 31.04, 21.66, 4.779),
    (20, 6.102, 12.44, 15.89, 49.93, 5.94), (40, 2.375, 4.775, 7.885, 107.8, 7.162),
]


@pytest.mark.parametrize(("z", "pso", "pr", "impulse", "arrival", "duration"), ORACLES)
def test_kingery_bulmash_reference_points(z, pso, pr, impulse, arrival, duration):
    r = z * ROOT
    assert incident_overpressure(W, r) == pytest.approx(pso, rel=0.01)
    assert reflected_overpressure(W, r) == pytest.approx(pr, rel=0.01)
    assert incident_impulse(W, r) / ROOT == pytest.approx(impulse, rel=0.01)
    assert arrival_time_ms(W, r) / ROOT == pytest.approx(arrival, rel=0.01)
    assert positive_duration_ms(W, r) / ROOT == pytest.approx(duration, rel=0.01)


@pytest.mark.parametrize(("z", "pso", "impulse"), [(100, 0.654, 2.98), (150, 0.37, 1.937)])
def test_far_field_reference_points(z, pso, impulse):
    assert incident_overpressure(W, z * ROOT) == pytest.approx(pso, rel=0.01)
    assert incident_impulse(W, z * ROOT) / ROOT == pytest.approx(impulse, rel=0.01)


def test_ten_tonnes_at_five_hundred_metres():
    assert incident_overpressure(10_000, 500) == pytest.approx(5.0550, abs=5e-4)
    assert reflected_overpressure(10_000, 500) == pytest.approx(10.245, abs=1e-3)
    assert incident_impulse(10_000, 500) == pytest.approx(295.88, abs=0.01)
    assert arrival_time_ms(10_000, 500) == pytest.approx(1276.2, abs=0.1)
    assert positive_duration_ms(10_000, 500) == pytest.approx(133.23, abs=0.01)


@pytest.mark.parametrize("z", [0.3, 1.0, 3.0, 10.0, 25.0, 40.0])
def test_the_metric_reflected_impulse_agrees_with_the_imperial_fit(z):
    # Swisdak's imperial reflected impulse (psi·ms per lb^(1/3), Z in ft/lb^(1/3)), converted to kPa·ms per kg^(1/3).
    log_z = math.log(z / 0.39670)
    imperial = math.exp(5.9313 - 1.5622 * log_z + 0.1322 * log_z ** 2 - 0.01123 * log_z ** 3)
    assert reflected_impulse(1.0, z) == pytest.approx(imperial * 6.894757 / 0.45359237 ** (1 / 3), rel=2e-3)


def test_hopkinson_cranz_scaling():
    assert scaled_distance(8.0, 10.0) == 5.0
    assert incident_overpressure(8.0, 10.0) == pytest.approx(incident_overpressure(1.0, 5.0))
    assert incident_impulse(8.0, 10.0) == pytest.approx(2 * incident_impulse(1.0, 5.0))
    values = incident_overpressure(np.array([1.0, 8.0]), np.array([[5.0], [10.0]]))
    assert values.shape == (2, 2) and isinstance(incident_overpressure(1.0, 5.0), float)


def _within(fit, data: st.DataObject) -> tuple[float, float]:
    low, high, _ = data.draw(st.sampled_from(fit.pieces))
    a, b = sorted(data.draw(st.tuples(st.floats(low, high), st.floats(low, high))))
    return a, b


@given(st.data(), st.floats(0.5, 30_000))
def test_overpressure_and_impulse_fall_with_distance_within_each_fit_range(data, charge):
    root = charge ** (1 / 3)
    for fit, function in ((INCIDENT_PRESSURE, incident_overpressure), (REFLECTED_PRESSURE, reflected_overpressure),
                          (INCIDENT_IMPULSE, incident_impulse), (REFLECTED_IMPULSE, reflected_impulse)):
        if fit is INCIDENT_IMPULSE:  # its first range (Z 0.2–0.96) rises then falls: check the others
            fit = type(fit)(fit.name, fit.unit, fit.pieces[1:], fit.scaled)
        near, far = _within(fit, data)
        # Scaled distances inside the range, taken a little in from its ends against rounding of R / W^(1/3).
        near_r, far_r = near * root * (1 + 1e-9), far * root * (1 - 1e-9)
        if far_r <= near_r:
            continue
        assert function(charge, far_r) <= function(charge, near_r) * (1 + 1e-12)


@given(st.floats(0.2, 40.0), st.floats(0.5, 30_000))
def test_reflected_overpressure_is_at_least_the_incident(z, charge):
    r = z * charge ** (1 / 3)
    r = min(max(r, 0.2 * charge ** (1 / 3) * (1 + 1e-9)), 40 * charge ** (1 / 3) * (1 - 1e-9))
    assert reflected_overpressure(charge, r) >= 2 * incident_overpressure(charge, r) * 0.99  # ≥ 2× for weak shocks


@given(st.floats(0.5, 30_000), st.floats(0.3, 4000.0))
def test_the_radius_of_an_overpressure_is_where_it_falls_to_it(charge, kpa):
    radius = radius_for_overpressure(charge, kpa)
    assert incident_overpressure(charge, radius * (1 - 1e-9)) >= kpa * (1 - 1e-6)
    farther = radius * 1.001
    if farther / charge ** (1 / 3) <= 198.5:
        assert incident_overpressure(charge, farther) < kpa


def test_radius_for_overpressure_arrays_and_the_reflected_fit():
    radii = radius_for_overpressure(100.0, [6.9, 34.5, 345.0])
    assert incident_overpressure(100.0, radii) == pytest.approx([6.9, 34.5, 345.0], rel=1e-6)
    assert reflected_overpressure(100.0, radius_for_overpressure(100.0, 50.0, reflected=True)) == pytest.approx(50.0)


# --- NCTC stand-off chart ---------------------------------------------------------------------------

CURRENT = [(2.3, 21, 366), (9.2, 34, 518), (23, 46, 564), (227, 98, 580), (454, 122, 732), (1814, 195, 1159),
           (4536, 263, 1555), (27216, 479, 2835)]


@pytest.mark.parametrize(("charge", "mandatory", "preferred"), CURRENT)
def test_the_current_chart_rows(charge, mandatory, preferred):
    assert standoff(charge) == pytest.approx((mandatory, preferred))


def test_the_2006_chart_is_a_choice():
    assert standoff(454, chart="NCTC_2006") == pytest.approx((122, 533))
    assert [row.threat for row in threat_categories("NCTC_2006")][:3] == ["PIPE_BOMB", "BRIEFCASE", "COMPACT_SEDAN"]


def test_the_chart_categories_and_the_vest_discrepancy():
    rows = threat_categories()
    assert [row.threat for row in rows] == ["PIPE_BOMB", "SUICIDE_VEST", "BRIEFCASE", "SEDAN", "SUV_VAN",
                                            "SMALL_DELIVERY_TRUCK", "CONTAINER_WATER_TRUCK", "SEMI_TRAILER"]
    assert threat_category("suv_van").tnt_kg == 454
    assert threat_category("SUICIDE_VEST").preferred_m == 518  # 1,700 ft, not the archived page's 1,750 ft
    with pytest.raises(BlastError, match="unknown threat 'TANK' in the chart NCTC_CURRENT; known: PIPE_BOMB"):
        threat_category("TANK")


@given(st.floats(2.3, 27_216))
def test_mandatory_distances_follow_forty_feet_per_cube_root_pound(charge):
    mandatory_ft = standoff(charge)[0] / 0.3048
    assert mandatory_ft == pytest.approx(40 * (charge / 0.45359237) ** (1 / 3), rel=0.03)


@pytest.mark.parametrize(("charge", "mandatory", "preferred"), CURRENT)
def test_the_mandatory_distance_is_about_eight_kilopascals(charge, mandatory, preferred):
    assert incident_overpressure(charge, mandatory) == pytest.approx(8.0, abs=0.8)


@given(st.floats(0.01, 100_000), st.floats(1.0001, 3.0))
def test_standoff_distances_never_shrink_as_the_charge_grows(charge, factor):
    small, large = standoff(charge), standoff(charge * factor)
    assert large[0] >= small[0] * (1 - 1e-12) and large[1] >= small[1] * (1 - 1e-12)


def test_outside_the_chart_distances_scale_by_cube_root():
    mandatory, preferred = standoff(1.0)
    assert mandatory == pytest.approx(21 / 2.3 ** (1 / 3))
    assert preferred == 366  # fragment-governed: not scaled down
    assert standoff(8 * 27216) == pytest.approx((2 * 479, 2 * 2835))
    both = standoff(np.array([2.3, 227.0]))
    assert both[0] == pytest.approx([21, 98]) and both[1] == pytest.approx([366, 580])


def test_rings_for_a_car_bomb():
    rings = blast_rings(227)
    assert [r.radius_m for r in rings] == sorted((r.radius_m for r in rings), reverse=True)
    assert {r.key: r.radius_m for r in rings}["MANDATORY"] == pytest.approx(98)
    assert rings[0].key == "PREFERRED" and rings[0].flag == "read"
    glass = next(r for r in rings if r.key == "GLASS_BREAKAGE")
    assert incident_overpressure(227, glass.radius_m) == pytest.approx(6.9)
    assert blast_rings(100)[0].flag == "computed"  # between two rows
    assert threshold_radii(0.01)["GLASS_BREAKAGE"] == pytest.approx(radius_for_overpressure(0.01, 6.9))


# --- bad input ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: incident_overpressure(-5, 10), BlastError, "charge_kg_tnt cannot be negative, got -5.0"),
    (lambda: incident_overpressure(0, 10), BlastError, "charge_kg_tnt must be above 0"),
    (lambda: reflected_overpressure(5, -10), BlastError, "distance_m cannot be negative, got -10.0"),
    (lambda: incident_overpressure(5, [10, float("nan")]), BlastError, "distance_m must be a finite number"),
    (lambda: incident_overpressure(1000, 1), ScaledDistanceError,
     "Z = 0.1 m/kg^(1/3) (charge 1000 kg TNT at 1 m) is outside the Kingery–Bulmash fit for incident overpressure, "
     "0.2–198.5 m/kg^(1/3): the distance must be 2–1985 m for this charge"),
    (lambda: reflected_overpressure(1, 50), ScaledDistanceError, "fit for reflected overpressure, 0.06–40"),
    (lambda: incident_overpressure(1, 0), ScaledDistanceError, "Z = 0 m/kg^(1/3)"),
    (lambda: radius_for_overpressure(10, 0.1), ScaledDistanceError, "0.1 kPa is below the fit's 0.249 kPa"),
    (lambda: radius_for_overpressure(10, 1e6), ScaledDistanceError, "is above the fit's"),
    (lambda: standoff(-1), BlastError, "charge_kg_tnt cannot be negative"),
])
def test_bad_input_gets_a_specific_error(call, error, message):
    with pytest.raises(error) as caught:
        call()
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)
