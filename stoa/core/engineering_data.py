"""The threat-engineering parameter tables, read from the shipped library file as plain data.

Every table that ``stoa.core.hvm``, ``stoa.core.blast`` and ``stoa.core.crowd`` use lives in
``stoa/library/content/threat-engineering.yaml`` (vehicle classes, rating standards, road
friction, model parameters, stand-off charts, overpressure thresholds, levels of service, crowd
densities, flow rates), with its sources and a ``read`` / ``computed`` / ``unverified`` flag per
value. ``stoa.library.engineering_schema`` validates that file; the pure core may not import
``stoa.library``, so this module reads the same file by path with PyYAML and turns it into frozen
dataclasses. ``shipped()`` is read once and cached.

Every core function that needs a table takes an ``EngineeringData`` (or one of its tables) as an
optional argument defaulting to ``shipped()``: to override a value, ``load()`` another file, or
build the dataclasses directly, or ``dataclasses.replace`` the shipped ones.

Only the English text is kept here; the French text is in the library file (and the database).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SHIPPED_PATH = Path(__file__).resolve().parent.parent / "library" / "content" / "threat-engineering.yaml"


class EngineeringDataError(ValueError):
    """The engineering file is missing something the computations need (or a key is unknown)."""


class UnknownVehicleClass(EngineeringDataError, KeyError):
    """A vehicle class key that the tables do not define."""

    def __str__(self) -> str:  # KeyError would print the message with quotes around it
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class TestClass:
    """How one standard names and weighs a vehicle class (``code`` as in its rating strings)."""

    __test__ = False  # not a pytest test class

    standard: str
    code: str
    mass_kg: int
    flag: str


@dataclass(frozen=True)
class VehicleClass:
    key: str  # e.g. "N2A"
    name: str
    category: str  # UN ECE category M1, N1, N2 or N3
    mass_kg: float
    acceleration_ms2: float
    top_speed_ms: float
    rollover_threshold_g: float | None = None
    test_classes: tuple[TestClass, ...] = ()
    order: int = 0
    flags: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    def test_class(self, standard: str) -> TestClass | None:
        return next((t for t in self.test_classes if t.standard == standard), None)

    def lateral_limit_g(self, friction: float) -> float:
        """The cornering limit in g: the road's friction, or the rollover threshold when lower."""
        if self.rollover_threshold_g is None:
            return friction
        return min(friction, self.rollover_threshold_g)


@dataclass(frozen=True)
class RatingStandard:
    key: str  # e.g. "PAS_68"
    label: str  # e.g. "PAS 68"
    aliases: tuple[str, ...]
    editions: tuple[str, ...]
    status: str
    brackets: str  # "round" (PAS 68) or "square"
    debris_distance: bool
    penetration_datum: str
    speeds_kmh: tuple[float, ...]
    order: int = 0


@dataclass(frozen=True)
class RoadSurface:
    key: str
    name: str
    friction: float
    flag: str
    default: bool = False


@dataclass(frozen=True)
class StandoffRow:
    threat: str
    name: str
    tnt_kg: float
    mandatory_m: float
    preferred_m: float
    flag: str


@dataclass(frozen=True)
class StandoffChart:
    key: str
    name: str
    edition: str
    rows: tuple[StandoffRow, ...]
    default: bool = False


@dataclass(frozen=True)
class OverpressureThreshold:
    key: str
    name: str
    effect: str  # "injury" or "damage"
    kpa: float
    upper_kpa: float | None
    flag: str
    order: int = 0


@dataclass(frozen=True)
class LosLevel:
    level: str  # "A".."F"
    min_m2_per_person: float
    max_flow_p_m_min: float | None
    flag: str


@dataclass(frozen=True)
class LosScheme:
    key: str
    name: str
    facility: str  # "walkway", "queue" or "stairway"
    levels: tuple[LosLevel, ...]  # A first
    default: bool = False


@dataclass(frozen=True)
class DensityBand:
    band: str
    name: str
    min_p_per_m2: float
    severity: str
    flag: str


@dataclass(frozen=True)
class DensityScheme:
    key: str
    name: str
    bands: tuple[DensityBand, ...]
    default: bool = False


@dataclass(frozen=True)
class DensityThreshold:
    key: str
    name: str
    description: str
    p_per_m2: float
    severity: str
    flag: str


@dataclass(frozen=True)
class FlowRate:
    key: str
    name: str
    route: str
    p_per_m_per_min: float
    flag: str
    default: bool = False


@dataclass(frozen=True)
class Parameter:
    key: str
    name: str
    value: float
    unit: str
    flag: str


@dataclass(frozen=True)
class EngineeringData:
    """All the tables of one engineering file, each keyed by its ``ref_id``, in the file's order."""

    version: int
    standards: Mapping[str, RatingStandard]
    vehicle_classes: Mapping[str, VehicleClass]
    surfaces: Mapping[str, RoadSurface]
    parameters: Mapping[str, Parameter]
    charts: Mapping[str, StandoffChart]
    thresholds: Mapping[str, OverpressureThreshold]
    los_schemes: Mapping[str, LosScheme]
    density_schemes: Mapping[str, DensityScheme]
    density_thresholds: Mapping[str, DensityThreshold]
    flow_rates: Mapping[str, FlowRate]

    def vehicle_class(self, key: str | VehicleClass) -> VehicleClass:
        """The class KEY (e.g. "N2A"); a VehicleClass passes through unchanged."""
        if isinstance(key, VehicleClass):
            return key
        found = self.vehicle_classes.get(str(key).strip().upper())
        if found is None:
            raise UnknownVehicleClass(f"unknown vehicle class {key!r}; known classes: "
                                      + ", ".join(self.vehicle_classes))
        return found

    def parameter(self, key: str) -> float:
        try:
            return self.parameters[key].value
        except KeyError:
            raise EngineeringDataError(f"the engineering data have no parameter {key!r}") from None

    @property
    def gravity(self) -> float:
        return self.parameter("GRAVITY")

    def surface(self, key: str | None = None) -> RoadSurface:
        """The road surface KEY, or the default one."""
        return _pick(self.surfaces, key, "road surface")

    def chart(self, key: str | None = None) -> StandoffChart:
        """The stand-off chart KEY, or the default one."""
        return _pick(self.charts, key, "stand-off chart")

    def los_scheme(self, key: str | None = None, facility: str = "walkway") -> LosScheme:
        """The level-of-service scheme KEY, or the default one for FACILITY."""
        if key is None:
            candidates = {k: s for k, s in self.los_schemes.items() if s.facility == facility}
            if not candidates:
                raise EngineeringDataError(f"no level-of-service scheme for {facility!r}; facilities: "
                                           + ", ".join(sorted({s.facility for s in self.los_schemes.values()})))
            return _pick(candidates, None, f"level-of-service scheme for {facility}")
        return _pick(self.los_schemes, key, "level-of-service scheme")

    def density_scheme(self, key: str | None = None) -> DensityScheme:
        return _pick(self.density_schemes, key, "density scheme")

    def flow_rate(self, route_or_key: str) -> FlowRate:
        """The flow rate with that key (e.g. "IMO_CORRIDOR"), or the default one for a route ("level")."""
        if route_or_key in self.flow_rates:
            return self.flow_rates[route_or_key]
        candidates = {k: f for k, f in self.flow_rates.items() if f.route == route_or_key}
        if not candidates:
            raise EngineeringDataError(f"unknown flow rate or route {route_or_key!r}; routes: "
                                       + ", ".join(sorted({f.route for f in self.flow_rates.values()}))
                                       + "; flow rates: " + ", ".join(self.flow_rates))
        return _pick(candidates, None, f"flow rate for {route_or_key}")


def _pick(table: Mapping[str, Any], key: str | None, what: str) -> Any:
    if key is not None:
        if key not in table:
            raise EngineeringDataError(f"unknown {what} {key!r}; known: " + ", ".join(table))
        return table[key]
    for item in table.values():
        if getattr(item, "default", False):
            return item
    if len(table) == 1:
        return next(iter(table.values()))
    raise EngineeringDataError(f"no default {what}; name one of: " + ", ".join(table))


@functools.cache
def shipped() -> EngineeringData:
    """The shipped tables (read once)."""
    return load(SHIPPED_PATH)


def load(path: str | Path) -> EngineeringData:
    """The tables of the engineering file at PATH (a file in the shipped format)."""
    path = Path(path)
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when PyYAML has it: same safe subset
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506  # nosec B506
    except (OSError, yaml.YAMLError) as error:
        raise EngineeringDataError(f"{path.name}: cannot read the engineering data: {error}") from error
    return from_raw(raw, path.name)


def from_raw(raw: Any, name: str = "engineering data") -> EngineeringData:
    """The tables of RAW, a parsed engineering file."""
    if not isinstance(raw, dict) or not isinstance(raw.get("objects"), list):
        raise EngineeringDataError(f"{name}: expected a library file with a list of objects")
    tables: dict[str, dict[str, Any]] = {kind: {} for kind in _READERS}
    for index, obj in enumerate(raw["objects"]):
        kind = obj.get("kind") if isinstance(obj, dict) else None
        if kind not in _READERS:
            continue
        try:
            item = _READERS[kind](obj)
        except (KeyError, TypeError, ValueError) as error:
            raise EngineeringDataError(f"{name}: objects[{index}] ({obj.get('urn')}): cannot read {kind}: "
                                       f"{error!r}") from error
        tables[kind][obj["ref_id"]] = item
    return EngineeringData(
        version=int(raw.get("version") or 0),
        standards=tables["rating_standard"], vehicle_classes=tables["vehicle_class"],
        surfaces=tables["road_surface"], parameters=tables["engineering_parameter"],
        charts=tables["standoff_chart"], thresholds=tables["overpressure_threshold"],
        los_schemes=tables["los_scheme"], density_schemes=tables["density_scheme"],
        density_thresholds=tables["density_threshold"], flow_rates=tables["flow_rate"],
    )


def _value(obj: Mapping[str, Any], name: str) -> float:
    return float(obj[name]["value"])


def _standard(obj: Mapping[str, Any]) -> RatingStandard:
    return RatingStandard(
        key=obj["ref_id"], label=obj["label"], aliases=tuple(obj["aliases"]), editions=tuple(obj.get("editions", ())),
        status=obj["status"], brackets=obj["brackets"], debris_distance=bool(obj["debris_distance"]),
        penetration_datum=obj["penetration_datum"],
        speeds_kmh=tuple(float(v) for v in obj["speeds_kmh"]["values"]), order=int(obj.get("order") or 0))


def _vehicle(obj: Mapping[str, Any]) -> VehicleClass:
    values = ("mass_kg", "acceleration_ms2", "top_speed_ms", "rollover_threshold_g")
    rollover = obj.get("rollover_threshold_g")
    return VehicleClass(
        key=obj["ref_id"], name=obj["name"], category=obj["category"], mass_kg=_value(obj, "mass_kg"),
        acceleration_ms2=_value(obj, "acceleration_ms2"), top_speed_ms=_value(obj, "top_speed_ms"),
        rollover_threshold_g=float(rollover["value"]) if rollover else None,
        test_classes=tuple(TestClass(t["standard"], t["code"], int(t["mass_kg"]), t["flag"])
                           for t in obj.get("test_classes", ())),
        order=int(obj.get("order") or 0),
        flags={name: obj[name]["flag"] for name in values if obj.get(name)})


def _surface(obj: Mapping[str, Any]) -> RoadSurface:
    return RoadSurface(obj["ref_id"], obj["name"], _value(obj, "friction"), obj["friction"]["flag"],
                       bool(obj.get("default", False)))


def _parameter(obj: Mapping[str, Any]) -> Parameter:
    return Parameter(obj["ref_id"], obj["name"], _value(obj, "quantity"), obj["unit"], obj["quantity"]["flag"])


def _chart(obj: Mapping[str, Any]) -> StandoffChart:
    rows = tuple(StandoffRow(r["threat"], r["name"]["en"], float(r["tnt_kg"]), float(r["mandatory_m"]),
                             float(r["preferred_m"]), r.get("metric_flag") or r["flag"]) for r in obj["rows"])
    return StandoffChart(obj["ref_id"], obj["name"], str(obj["edition"]), rows, bool(obj.get("default", False)))


def _threshold(obj: Mapping[str, Any]) -> OverpressureThreshold:
    upper = obj.get("upper_kpa")
    return OverpressureThreshold(obj["ref_id"], obj["name"], obj["effect"], _value(obj, "kpa"),
                                 float(upper["value"]) if upper else None, obj["kpa"]["flag"],
                                 int(obj.get("order") or 0))


def _los(obj: Mapping[str, Any]) -> LosScheme:
    levels = tuple(LosLevel(level["level"], float(level["min_m2_per_person"]),
                            float(level["max_flow_p_m_min"]) if level.get("max_flow_p_m_min") is not None else None,
                            level.get("metric_flag") or level["flag"]) for level in obj["levels"])
    return LosScheme(obj["ref_id"], obj["name"], obj["facility"], levels, bool(obj.get("default", False)))


def _density_scheme(obj: Mapping[str, Any]) -> DensityScheme:
    bands = tuple(DensityBand(b["band"], b["name"]["en"], float(b["min_p_per_m2"]), b["severity"], b["flag"])
                  for b in obj["bands"])
    return DensityScheme(obj["ref_id"], obj["name"], bands, bool(obj.get("default", False)))


def _density_threshold(obj: Mapping[str, Any]) -> DensityThreshold:
    return DensityThreshold(obj["ref_id"], obj["name"], " ".join(str(obj["description"]).split()),
                            _value(obj, "p_per_m2"), obj["severity"], obj["p_per_m2"]["flag"])


def _flow(obj: Mapping[str, Any]) -> FlowRate:
    return FlowRate(obj["ref_id"], obj["name"], obj["route"], _value(obj, "p_per_m_per_min"),
                    obj["p_per_m_per_min"]["flag"], bool(obj.get("default", False)))


_READERS = {
    "rating_standard": _standard, "vehicle_class": _vehicle, "road_surface": _surface,
    "engineering_parameter": _parameter, "standoff_chart": _chart, "overpressure_threshold": _threshold,
    "los_scheme": _los, "density_scheme": _density_scheme, "density_threshold": _density_threshold,
    "flow_rate": _flow,
}
