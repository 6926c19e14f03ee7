"""Egress time through exits: the hydraulic model, a zone's exits, what-if, and two published methods.

**Hydraulic model** (SFPE Handbook, Nelson & Mowrer; IMO MSC.1/Circ.1238): an exit of width w
passes F·w persons per minute, F the specific flow per metre of width (data: ``flow_rate`` in
``threat-engineering.yaml``, e.g. 82 p/m/min on the level and 66 on stairs, the Green Guide's
commonly quoted rates, unverified); N persons need N / (F·w) minutes, plus the walk to the exit.
``egress_time_s`` is that formula, vectorised over exits.

**A zone** (``zone_egress``): its people leave through its open exits. Unless the caller gives
each exit's own people, they are shared in proportion to the exits' capacities F·w, so that
every exit's queue empties at the same time: the best case, as if everyone chose the right exit
(a real crowd favours the exit it came in by). The zone's time is the pre-movement time plus the
slowest exit's walk and flow time, compared with a target (default the Green Guide's 8 minutes).
``closed`` and ``widths`` answer what-if questions (an exit blocked, a gate widened);
``worst_exit_loss`` closes each exit in turn, as the UK Home Office method assumes one exit lost.

**Published methods** kept for their worked examples: the Home Office unit-width method
(``exit_units``: 525 mm units at 40 persons per minute, rounding as the method says) and the SFPE
speed and specific flow as functions of density (``hydraulic_speed``, ``specific_flow``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from stoa.core.crowd.density import CrowdError, _out, _values
from stoa.core.engineering_data import EngineeringData, shipped


def egress_time_s(people: ArrayLike, exit_width_m: ArrayLike, flow_per_m_per_min: ArrayLike,
                  travel_time_s: ArrayLike = 0.0) -> Any:
    """Seconds for PEOPLE to pass an exit: 60·N / (w·F) + travel time (broadcast over exits)."""
    n = _values(people, "people")
    width = _values(exit_width_m, "exit_width_m", positive=True)
    flow = _values(flow_per_m_per_min, "flow_per_m_per_min", positive=True)
    travel = _values(travel_time_s, "travel_time_s")
    return _out(60.0 * n / (width * flow) + travel, people, exit_width_m, flow_per_m_per_min, travel_time_s)


@dataclass(frozen=True)
class Exit:
    """One exit of a zone. ROUTE picks the default flow rate ("level", "stairs", ...) unless FLOW is given."""

    name: str
    width_m: float
    route: str = "level"
    flow_per_m_per_min: float | None = None
    travel_time_s: float = 0.0


@dataclass(frozen=True)
class ExitFlow:
    name: str
    width_m: float
    flow_per_m_per_min: float
    people: float
    time_s: float  # travel + flow time of this exit


@dataclass(frozen=True)
class EgressResult:
    people: float
    time_s: float  # pre-movement + the slowest exit (∞ if people have no open exit)
    target_s: float
    exits: list[ExitFlow] = field(default_factory=list)
    closed: tuple[str, ...] = ()

    @property
    def meets_target(self) -> bool:
        return self.time_s <= self.target_s

    @property
    def capacity_per_min(self) -> float:
        return sum(e.width_m * e.flow_per_m_per_min for e in self.exits)


def zone_egress(people: float | Sequence[float], exits: Sequence[Exit], *, pre_movement_s: float = 0.0,
                target_s: float | None = None, closed: Iterable[str] = (), widths: Mapping[str, float] | None = None,
                data: EngineeringData | None = None) -> EgressResult:
    """The egress time of a zone through its EXITS (see the module doc).

    PEOPLE is the zone's total (shared by capacity) or one number per exit. CLOSED names exits
    taken out, WIDTHS changes exit widths (what-if). TARGET_S defaults to the Green Guide's
    8 minutes (parameter ``GREEN_GUIDE_EGRESS_S``).
    """
    tables = data or shipped()
    target = tables.parameter("GREEN_GUIDE_EGRESS_S") if target_s is None else float(target_s)
    shut = tuple(closed)
    names = [e.name for e in exits]
    if len(set(names)) != len(names):
        raise CrowdError("exit names must be unique, repeated: " + ", ".join(sorted({n for n in names
                                                                                      if names.count(n) > 1})))
    for name in (*shut, *(widths or {})):
        if name not in names:
            raise CrowdError(f"no exit named {name!r}; exits: " + ", ".join(names))
    per_exit = not isinstance(people, int | float | np.integer | np.floating)
    counts = _values(people, "people")
    if per_exit and counts.shape != (len(exits),):
        raise CrowdError(f"give one number of people per exit ({len(exits)}), got {counts.size}")
    pre = float(_values(pre_movement_s, "pre_movement_s"))
    open_exits = []
    for position, exit_ in enumerate(exits):
        if exit_.name in shut:
            if per_exit and counts[position] > 0:
                raise CrowdError(f"exit {exit_.name!r} is closed but {counts[position]:g} people are assigned to it")
            continue
        width = float((widths or {}).get(exit_.name, exit_.width_m))
        flow = (exit_.flow_per_m_per_min if exit_.flow_per_m_per_min is not None
                else tables.flow_rate(exit_.route).p_per_m_per_min)
        open_exits.append((position, exit_, width, flow))
    total = float(counts.sum())
    if not open_exits:
        return EgressResult(total, math.inf if total > 0 else pre, target, [], shut)
    widths_arr = _values([w for _, _, w, _ in open_exits], "exit_width_m", positive=True)
    flows = _values([f for _, _, _, f in open_exits], "flow_per_m_per_min", positive=True)
    travel = _values([e.travel_time_s for _, e, _, _ in open_exits], "travel_time_s")
    capacity = widths_arr * flows
    share = counts[[p for p, _, _, _ in open_exits]] if per_exit else total * capacity / capacity.sum()
    times = egress_time_s(share, widths_arr, flows, travel)
    flows_out = [ExitFlow(e.name, float(w), float(f), float(n), float(t))
                 for (_, e, _, _), w, f, n, t in zip(open_exits, widths_arr, flows, share, times, strict=True)]
    busy = [t for t, n in zip(times, share, strict=True) if n > 0]
    return EgressResult(total, pre + (max(busy) if busy else 0.0), target, flows_out, shut)


def worst_exit_loss(people: float, exits: Sequence[Exit], **options: Any) -> EgressResult:
    """``zone_egress`` with the one exit closed whose loss slows the zone most (ties: the first)."""
    if len(exits) < 2:
        raise CrowdError("losing an exit needs at least two exits")
    results = [zone_egress(people, exits, closed=(e.name,), **options) for e in exits]
    return max(results, key=lambda r: r.time_s)


@dataclass(frozen=True)
class ExitUnits:
    """The UK Home Office entertainment-venue calculation."""

    units_exact: float  # U = N / (40·T)
    units: int  # rounded up when the decimal part is at least 0.3, else down
    exits: int  # E = U/4 + 1 (one exit assumed lost), rounded up when the decimal part is at least 0.75
    width_m: float  # units × 525 mm


def exit_units(people: float, minutes: float | None = None, *, data: EngineeringData | None = None) -> ExitUnits:
    """Units of exit width and number of exits for PEOPLE to leave in MINUTES (default the method's 2 min)."""
    tables = data or shipped()
    n = float(_values(people, "people"))
    t = tables.parameter("HOME_OFFICE_EVACUATION_S") / 60 if minutes is None else float(
        _values(minutes, "minutes", positive=True))
    per_unit = tables.parameter("HOME_OFFICE_UNIT_FLOW")
    exact = n / (per_unit * t)
    units = _round_at(exact, 0.3)
    exits = _round_at(units / 4 + 1, 0.75)
    return ExitUnits(exact, units, exits, units * tables.parameter("HOME_OFFICE_UNIT_WIDTH_M"))


def _round_at(value: float, threshold: float) -> int:
    whole = math.floor(value)
    return whole + 1 if value - whole >= threshold - 1e-12 else whole


def hydraulic_speed(density_p_m2: ArrayLike, k: ArrayLike | None = None, *, data: EngineeringData | None = None) -> Any:
    """SFPE walking speed in m/s: k − a·k·D for 0.54 ≤ D ≤ 3.8 p/m², 0.85·k below, 0 above (the crowd stops).

    K defaults to the corridor constant (1.40; stairs: ``SFPE_K_STAIRS``).
    """
    tables = data or shipped()
    d = _values(density_p_m2, "density_p_m2")
    constant = _values(tables.parameter("SFPE_K_CORRIDOR") if k is None else k, "k", positive=True)
    a = tables.parameter("SFPE_SPEED_SLOPE")
    speed = np.where(d < 0.54, 0.85 * constant, np.where(d <= 3.8, constant - a * constant * d, 0.0))
    return _out(speed, density_p_m2, *(() if k is None else (k,)))


def specific_flow(density_p_m2: ArrayLike, k: ArrayLike | None = None, *, data: EngineeringData | None = None) -> Any:
    """SFPE specific flow in persons per second per metre of effective width: speed × density."""
    return _out(np.asarray(hydraulic_speed(density_p_m2, k, data=data)) * _values(density_p_m2, "density_p_m2"),
                density_p_m2, *(() if k is None else (k,)))
