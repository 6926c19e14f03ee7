"""Air blast from a hemispherical surface burst of TNT: Kingery–Bulmash as simplified by Swisdak (1994).

Hopkinson–Cranz scaling: the scaled distance Z = R / W^(1/3) (m/kg^(1/3)), with W the
TNT-equivalent charge in kg and R the stand-off in m. Each blast parameter Y is a fit
``Y = exp(A + B·ln Z + C·(ln Z)² + …)`` over ranges of Z (Swisdak, *Simplified Kingery Airblast
Calculations*, NSWC IHD 1994, DTIC ADA526744); pressures in kPa, impulses and times in ms,
the latter two per W^(1/3) in the fit and multiplied by W^(1/3) here. The coefficients were read
from two independent open implementations (research note §2.3); they are the model, so they are
code, not data.

One correction: the metric reflected-impulse fit is written here with D = −0.01123. The research
note and one open implementation print +0.01123, but a polynomial's leading coefficient does
not change with the units of ln Z, and the imperial fit has −0.01123; with −0.01123 the metric
and imperial fits agree to 0.1 % over 0.2–40 m/kg^(1/3), with +0.01123 they differ threefold at
Z = 40 (tests check both the oracles and the imperial cross-check).

**Valid range.** Outside a fit's range of Z the functions raise ``ScaledDistanceError`` rather
than extrapolate (no clamping): incident pressure 0.2–198.5, reflected pressure 0.06–40,
incident impulse 0.2–158.7, reflected impulse 0.06–40, arrival time 0.06–40, positive duration
0.2–40 m/kg^(1/3). Where two fits meet (e.g. Z = 2.9 and 23.8 for the incident pressure) the
value jumps slightly; within each range it falls with distance.

The functions take numbers or arrays (broadcast together); scalars in give a float out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatOrArray = Any


class BlastError(ValueError):
    """A blast input out of its domain (a charge or distance that is not positive...)."""


class ScaledDistanceError(BlastError):
    """The scaled distance lies outside the range the Kingery–Bulmash fit was made for."""


@dataclass(frozen=True)
class Fit:
    """One parameter's fits: ``pieces`` are (Z from, Z to, coefficients A, B, C, …)."""

    name: str
    unit: str
    pieces: tuple[tuple[float, float, tuple[float, ...]], ...]
    scaled: bool  # an impulse or a time: the fit gives the value per W^(1/3)

    @property
    def z_min(self) -> float:
        return self.pieces[0][0]

    @property
    def z_max(self) -> float:
        return self.pieces[-1][1]

    def of_z(self, z: NDArray[np.float64]) -> NDArray[np.float64]:
        """The fitted value at scaled distances Z (all within range)."""
        log_z = np.log(z)
        result = np.empty_like(z)
        for position, (low, high, coefficients) in enumerate(self.pieces):
            inside = (z >= low) & (z <= high) if position == 0 else (z > low) & (z <= high)
            if inside.any():
                result[inside] = np.exp(np.polyval(coefficients[::-1], log_z[inside]))
        return result


INCIDENT_PRESSURE = Fit("incident overpressure", "kPa", (
    (0.2, 2.9, (7.2106, -2.1069, -0.3229, 0.1117, 0.0685)),
    (2.9, 23.8, (7.5938, -3.0523, 0.40977, 0.0261, -0.01267)),
    (23.8, 198.5, (6.0536, -1.4066)),
), scaled=False)
REFLECTED_PRESSURE = Fit("reflected overpressure", "kPa", (
    (0.06, 2.0, (9.006, -2.6893, -0.6295, 0.1011, 0.29255, 0.13505, 0.019736)),
    (2.0, 40.0, (8.8396, -1.733, -2.64, 2.293, -0.8232, 0.14247, -0.0099)),
), scaled=False)
INCIDENT_IMPULSE = Fit("incident impulse", "kPa·ms", (
    (0.2, 0.96, (5.522, 1.117, 0.6, -0.292, -0.087)),
    (0.96, 2.38, (5.465, -0.308, -1.464, 1.362, -0.432)),
    (2.38, 33.7, (5.2749, -0.4677, -0.2499, 0.0588, -0.00554)),
    (33.7, 158.7, (5.9825, -1.062)),
), scaled=True)
REFLECTED_IMPULSE = Fit("reflected impulse", "kPa·ms", (
    (0.06, 40.0, (6.7853, -1.3466, 0.101, -0.01123)),
), scaled=True)
ARRIVAL_TIME = Fit("time of arrival", "ms", (
    (0.06, 1.5, (-0.7604, 1.8058, 0.1257, -0.0437, -0.0310, -0.00669)),
    (1.5, 40.0, (-0.7137, 1.5732, 0.5561, -0.4213, 0.1054, -0.00929)),
), scaled=True)
POSITIVE_DURATION = Fit("positive phase duration", "ms", (
    (0.2, 1.02, (0.5426, 3.2299, -1.5931, -5.9667, -4.0815, -0.9149)),
    (1.02, 2.8, (0.5440, 2.7082, -9.7354, 14.3425, -9.7791, 2.8535)),
    (2.8, 40.0, (-2.4608, 7.1639, -5.6215, 2.2711, -0.44994, 0.03486)),
), scaled=True)
FITS = (INCIDENT_PRESSURE, REFLECTED_PRESSURE, INCIDENT_IMPULSE, REFLECTED_IMPULSE, ARRIVAL_TIME, POSITIVE_DURATION)


def _positive(value: ArrayLike, name: str, *, zero: bool = False) -> NDArray[np.float64]:
    array = np.asarray(value, dtype=float)
    if np.isnan(array).any() or np.isinf(array).any():
        raise BlastError(f"{name} must be a finite number, got {_shown(array, ~np.isfinite(array))}")
    if (array < 0).any():
        raise BlastError(f"{name} cannot be negative, got {_shown(array, array < 0)}")
    if not zero and (array == 0).any():
        raise BlastError(f"{name} must be above 0, got 0")
    return array


def _shown(array: NDArray[np.float64], mask: NDArray[np.bool_]) -> str:
    if array.ndim == 0:
        return repr(float(array))
    index = tuple(int(i) for i in np.argwhere(mask)[0])
    return f"{float(array[index])!r} at index {index[0] if len(index) == 1 else index}"


def _out(values: NDArray[np.float64], *inputs: ArrayLike) -> FloatOrArray:
    return float(values) if all(np.ndim(i) == 0 for i in inputs) else values


def scaled_distance(charge_kg_tnt: ArrayLike, distance_m: ArrayLike) -> FloatOrArray:
    """Z = R / W^(1/3) in m/kg^(1/3)."""
    w = _positive(charge_kg_tnt, "charge_kg_tnt")
    r = _positive(distance_m, "distance_m", zero=True)
    return _out(r / np.cbrt(w), charge_kg_tnt, distance_m)


def evaluate(fit: Fit, charge_kg_tnt: ArrayLike, distance_m: ArrayLike) -> FloatOrArray:
    """FIT's value for CHARGE_KG_TNT at DISTANCE_M (broadcast); ``ScaledDistanceError`` outside its range."""
    w = _positive(charge_kg_tnt, "charge_kg_tnt")
    r = _positive(distance_m, "distance_m", zero=True)
    w, r = np.broadcast_arrays(w, r)
    root = np.cbrt(w)
    z = r / root
    outside = (z < fit.z_min) | (z > fit.z_max)
    if outside.any():
        index = tuple(np.argwhere(outside)[0]) if z.ndim else ()
        near, far = fit.z_min * float(root[index]), fit.z_max * float(root[index])
        raise ScaledDistanceError(
            f"scaled distance Z = {float(z[index]):.4g} m/kg^(1/3) (charge {float(w[index]):g} kg TNT at "
            f"{float(r[index]):g} m) is outside the Kingery–Bulmash fit for {fit.name}, {fit.z_min:g}–{fit.z_max:g} "
            f"m/kg^(1/3): the distance must be {near:.3g}–{far:.4g} m for this charge")
    values = fit.of_z(z.astype(float))
    if fit.scaled:
        values = values * root
    return _out(values, charge_kg_tnt, distance_m)


def incident_overpressure(charge_kg_tnt: ArrayLike, distance_m: ArrayLike) -> FloatOrArray:
    """Peak incident (side-on) overpressure in kPa."""
    return evaluate(INCIDENT_PRESSURE, charge_kg_tnt, distance_m)


def reflected_overpressure(charge_kg_tnt: ArrayLike, distance_m: ArrayLike) -> FloatOrArray:
    """Peak normally reflected overpressure in kPa (on a surface facing the burst)."""
    return evaluate(REFLECTED_PRESSURE, charge_kg_tnt, distance_m)


def incident_impulse(charge_kg_tnt: ArrayLike, distance_m: ArrayLike) -> FloatOrArray:
    """Incident positive-phase impulse in kPa·ms."""
    return evaluate(INCIDENT_IMPULSE, charge_kg_tnt, distance_m)


def reflected_impulse(charge_kg_tnt: ArrayLike, distance_m: ArrayLike) -> FloatOrArray:
    """Normally reflected positive-phase impulse in kPa·ms."""
    return evaluate(REFLECTED_IMPULSE, charge_kg_tnt, distance_m)


def arrival_time_ms(charge_kg_tnt: ArrayLike, distance_m: ArrayLike) -> FloatOrArray:
    """Time of arrival of the shock front in ms."""
    return evaluate(ARRIVAL_TIME, charge_kg_tnt, distance_m)


def positive_duration_ms(charge_kg_tnt: ArrayLike, distance_m: ArrayLike) -> FloatOrArray:
    """Duration of the positive phase in ms."""
    return evaluate(POSITIVE_DURATION, charge_kg_tnt, distance_m)


def radius_for_overpressure(charge_kg_tnt: ArrayLike, overpressure_kpa: ArrayLike, *,
                            reflected: bool = False) -> FloatOrArray:
    """The largest distance in m at which the incident (or REFLECTED) overpressure is at least OVERPRESSURE_KPA.

    Solved in Z on each fit range (the fit falls within a range, so the root is unique there,
    found by bisection on ln Z to machine precision), taking the farthest; then R = Z·W^(1/3).
    A threshold above the fit's highest pressure (closer than its first range) or below its
    lowest (beyond its last range) raises ``ScaledDistanceError``.
    """
    fit = REFLECTED_PRESSURE if reflected else INCIDENT_PRESSURE
    w = _positive(charge_kg_tnt, "charge_kg_tnt")
    p = _positive(overpressure_kpa, "overpressure_kpa")
    w, p = np.broadcast_arrays(w, p)
    highest = fit.of_z(np.array([fit.z_min]))[0]
    lowest = fit.of_z(np.array([fit.z_max]))[0]
    for bad, where in ((p > highest, f"above the fit's {highest:.4g} kPa at Z = {fit.z_min:g}"),
                       (p < lowest, f"below the fit's {lowest:.3g} kPa at Z = {fit.z_max:g}")):
        if bad.any():
            index = tuple(np.argwhere(bad)[0]) if p.ndim else ()
            raise ScaledDistanceError(f"{float(p[index]):g} kPa is {where} m/kg^(1/3): outside the Kingery–Bulmash "
                                      f"fit for {fit.name}")
    target = np.log(p)
    best = np.full(p.shape, fit.z_min)
    for low, high, coefficients in fit.pieces:
        poly = np.asarray(coefficients[::-1])
        lo, hi = np.full(p.shape, np.log(low)), np.full(p.shape, np.log(high))
        at_low, at_high = np.polyval(poly, lo), np.polyval(poly, hi)
        reached = at_low >= target  # the piece reaches the threshold at its near end
        whole = at_high >= target  # ... and still at its far end
        for _ in range(64):
            middle = (lo + hi) / 2
            above = np.polyval(poly, middle) >= target
            lo, hi = np.where(above, middle, lo), np.where(above, hi, middle)
        root = np.where(whole, high, np.exp(lo))
        best = np.where(reached, np.maximum(best, root), best)
    return _out(best * np.cbrt(w), charge_kg_tnt, overpressure_kpa)
