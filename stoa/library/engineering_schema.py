"""Library kinds of the threat-engineering parameters (``threat-engineering.yaml``).

The computations of ``stoa.core.hvm``, ``stoa.core.blast`` and ``stoa.core.crowd`` take every
table they use as data: vehicle classes, barrier-rating standards, road friction, model
parameters, bomb threat stand-off charts, overpressure thresholds, levels of service, crowd
density bands and thresholds, and pedestrian flow rates. Each value says where it comes from and
how sure it is: ``flag`` is ``read`` (read in the retrieved source), ``computed`` (computed from a
read value or a published formula) or ``unverified`` (from memory, an unretrieved secondary
source or a Stoa estimate), and ``source`` optionally points at one of the object's ``sources``
by its index (counting from 0).

The pure core cannot import this package, so ``stoa.core.engineering_data`` reads the same file
with PyYAML; these models are what keeps that file correct. Checks that need several objects (a
vehicle's test class names a standard of the file, one default per facility or route) are in
``engineering_problems``, which ``stoa.library.schema.check`` runs.
"""

from __future__ import annotations

import itertools
import re
from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool, field_validator, model_validator
from pydantic_core import PydanticCustomError

from stoa.library.schema_base import Number, ReferenceItem, RefId, Strict, Term, Text

ENGINEERING_KINDS = ("rating_standard", "vehicle_class", "road_surface", "engineering_parameter", "standoff_chart",
                     "overpressure_threshold", "los_scheme", "density_scheme", "density_threshold", "flow_rate")
FLAGS = ("read", "computed", "unverified")
LEVELS = ("A", "B", "C", "D", "E", "F")
CLASS_CODE = re.compile(r"^[A-Z][A-Z0-9]*$")

Flag = Literal["read", "computed", "unverified"]
SourceIndex = Annotated[int, Field(ge=0, strict=True)]
Positive = Annotated[float, Field(gt=0, strict=True)]
NonNegative = Annotated[float, Field(ge=0, strict=True)]


class Value(Strict):
    """One number with its provenance."""

    value: Number
    flag: Flag
    note: Text | None = None
    source: SourceIndex | None = None


class PositiveValue(Value):
    value: Positive


class NonNegativeValue(Value):
    value: NonNegative


class Values(Strict):
    """A list of numbers with one provenance (e.g. a standard's test speeds)."""

    values: list[Positive] = Field(min_length=1)
    flag: Flag
    note: Text | None = None
    source: SourceIndex | None = None

    @field_validator("values")
    @classmethod
    def _increasing(cls, values: list[float]) -> list[float]:
        if any(b <= a for a, b in itertools.pairwise(values)):
            raise PydanticCustomError("order", "values must increase, found {values}", {"values": values})
        return values


def _source_indexes(item: Any) -> list[tuple[str, int]]:
    """Every (where, index) of a ``source`` given in ITEM's fields, nested lists included."""
    found: list[tuple[str, int]] = []

    def visit(value: Any, where: str) -> None:
        if isinstance(value, Value | Values | TestClass | StandoffRow | LosLevel | DensityBand):
            if value.source is not None:
                found.append((where, value.source))
            for name in type(value).model_fields:
                if name != "source":
                    visit(getattr(value, name), f"{where}.{name}")
        elif isinstance(value, list):
            for index, element in enumerate(value):
                visit(element, f"{where}[{index}]")

    for name in type(item).model_fields:
        visit(getattr(item, name), name)
    return found


class EngineeringItem(ReferenceItem):
    """An engineering object: a ``source`` index must name one of the object's own sources."""

    @model_validator(mode="after")
    def _sources_exist(self) -> EngineeringItem:
        bad = [f"{where}: {index}" for where, index in _source_indexes(self) if index >= len(self.sources)]
        if bad:
            raise PydanticCustomError("source", "a source index must name one of the object's {count} sources "
                                      "(counting from 0); wrong: {bad}",
                                      {"count": len(self.sources), "bad": "; ".join(bad)})
        return self


class RatingStandard(EngineeringItem):
    """A barrier impact-test standard and how its rating strings are written."""

    KIND = "rating_standard"
    kind: Literal["rating_standard"]
    label: Text
    aliases: list[Text] = Field(min_length=1)
    editions: list[Text] = []
    status: Literal["current", "superseded", "withdrawn"]
    brackets: Literal["round", "square"]
    debris_distance: StrictBool
    penetration_datum: Literal["front", "rear"]
    penetration_datum_flag: Flag
    speeds_kmh: Values


class TestClass(Strict):
    """How one standard names and weighs a vehicle class: ``code`` as in its rating strings."""

    standard: RefId
    code: Annotated[str, Field(max_length=10)]
    mass_kg: Annotated[int, Field(gt=0, strict=True)]
    flag: Flag
    note: Text | None = None
    source: SourceIndex | None = None

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not CLASS_CODE.match(value):
            raise PydanticCustomError("pattern", "expected a class code such as N2A, got {value}",
                                      {"value": repr(value)})
        return value


class VehicleClass(EngineeringItem):
    """A vehicle class: test mass, documented dynamics defaults and its test class in each standard."""

    KIND = "vehicle_class"
    kind: Literal["vehicle_class"]
    category: Literal["M1", "N1", "N2", "N3"]
    mass_kg: PositiveValue
    acceleration_ms2: PositiveValue
    top_speed_ms: PositiveValue
    rollover_threshold_g: PositiveValue | None = None
    test_classes: list[TestClass] = []

    @field_validator("test_classes")
    @classmethod
    def _one_per_standard_and_mass(cls, test_classes: list[TestClass]) -> list[TestClass]:
        standards = [t.standard for t in test_classes]
        repeated = sorted({s for s in standards if standards.count(s) > 1})
        if repeated:
            raise PydanticCustomError("unique", "one test class per standard; repeated: {standards}",
                                      {"standards": ", ".join(repeated)})
        return test_classes


class RoadSurface(EngineeringItem):
    """A road surface and its tyre friction coefficient μ."""

    KIND = "road_surface"
    kind: Literal["road_surface"]
    friction: PositiveValue
    default: StrictBool = False


class EngineeringParameter(EngineeringItem):
    """One model parameter (gravity, the corner leg of the network model, an egress target...)."""

    KIND = "engineering_parameter"
    kind: Literal["engineering_parameter"]
    quantity: PositiveValue
    unit: Text


class StandoffRow(Strict):
    """One threat of a stand-off chart; ``flag`` is for the imperial values, ``metric_flag`` for
    the metric ones (converted values are ``computed``), ``name`` in both languages."""

    threat: RefId
    name: Term
    tnt_lb: Positive
    tnt_kg: Positive
    mandatory_ft: Positive
    mandatory_m: Positive
    preferred_ft: Positive
    preferred_m: Positive
    flag: Flag
    metric_flag: Flag | None = None
    note: Text | None = None
    source: SourceIndex | None = None

    @model_validator(mode="after")
    def _consistent(self) -> StandoffRow:
        if self.preferred_m < self.mandatory_m:
            raise PydanticCustomError("order", "the preferred distance cannot be shorter than the mandatory one", {})
        for imperial, metric, factor, what in ((self.tnt_lb, self.tnt_kg, 0.45359237, "tnt_kg"),
                                               (self.mandatory_ft, self.mandatory_m, 0.3048, "mandatory_m"),
                                               (self.preferred_ft, self.preferred_m, 0.3048, "preferred_m")):
            if abs(metric - imperial * factor) > 0.05 * imperial * factor + 1.0:
                raise PydanticCustomError("units", "{what} does not match its imperial value", {"what": what})
        return self


class StandoffChart(EngineeringItem):
    """A bomb threat stand-off chart: rows from the smallest charge to the largest."""

    KIND = "standoff_chart"
    kind: Literal["standoff_chart"]
    edition: Text
    default: StrictBool = False
    columns: Annotated[list[Text], Field(min_length=2, max_length=2)]
    rows: list[StandoffRow] = Field(min_length=2)

    @field_validator("rows")
    @classmethod
    def _increasing_charges(cls, rows: list[StandoffRow]) -> list[StandoffRow]:
        charges = [row.tnt_kg for row in rows]
        if any(b <= a for a, b in itertools.pairwise(charges)):
            raise PydanticCustomError("order", "rows must go from the smallest charge to the largest", {})
        threats = [row.threat for row in rows]
        repeated = sorted({t for t in threats if threats.count(t) > 1})
        if repeated:
            raise PydanticCustomError("unique", "a threat is listed twice: {threats}", {"threats": ", ".join(repeated)})
        return rows


class OverpressureThreshold(EngineeringItem):
    """A peak incident overpressure at which an injury or damage begins (``upper_kpa`` for a range)."""

    KIND = "overpressure_threshold"
    kind: Literal["overpressure_threshold"]
    effect: Literal["injury", "damage"]
    psi: Positive | None = None
    kpa: PositiveValue
    upper_kpa: PositiveValue | None = None

    @model_validator(mode="after")
    def _range(self) -> OverpressureThreshold:
        if self.upper_kpa is not None and self.upper_kpa.value < self.kpa.value:
            raise PydanticCustomError("order", "upper_kpa cannot be below kpa", {})
        return self


class LosLevel(Strict):
    """A level of service: at least ``min_m2_per_person`` of space per person."""

    level: Literal["A", "B", "C", "D", "E", "F"]
    min_m2_per_person: NonNegative
    min_ft2_per_person: NonNegative | None = None
    max_flow_p_m_min: Positive | None = None
    flag: Flag
    metric_flag: Flag | None = None
    note: Text | None = None
    source: SourceIndex | None = None


class LosScheme(EngineeringItem):
    """Levels of service A to F for one kind of facility, from the most space per person to the least."""

    KIND = "los_scheme"
    kind: Literal["los_scheme"]
    facility: Literal["walkway", "queue", "stairway"]
    default: StrictBool = False
    levels: list[LosLevel]

    @field_validator("levels")
    @classmethod
    def _a_to_f(cls, levels: list[LosLevel]) -> list[LosLevel]:
        names = [level.level for level in levels]
        if names != list(LEVELS):
            raise PydanticCustomError("levels", "levels must be A, B, C, D, E, F in that order, found {names}",
                                      {"names": ", ".join(names)})
        space = [level.min_m2_per_person for level in levels]
        if any(b >= a for a, b in itertools.pairwise(space)) or space[-1] != 0:
            raise PydanticCustomError("levels", "min_m2_per_person must fall from A to F and be 0 for F, found "
                                      "{space}", {"space": space})
        return levels


class DensityBand(Strict):
    """A band of crowd density: from ``min_p_per_m2`` up to the next band's."""

    band: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    min_p_per_m2: NonNegative
    severity: Literal["ok", "caution", "warning", "danger"]
    name: Term
    flag: Flag
    note: Text | None = None
    source: SourceIndex | None = None


class DensityScheme(EngineeringItem):
    KIND = "density_scheme"
    kind: Literal["density_scheme"]
    default: StrictBool = False
    bands: list[DensityBand] = Field(min_length=2)

    @field_validator("bands")
    @classmethod
    def _from_zero_up(cls, bands: list[DensityBand]) -> list[DensityBand]:
        starts = [band.min_p_per_m2 for band in bands]
        if starts[0] != 0 or any(b <= a for a, b in itertools.pairwise(starts)):
            raise PydanticCustomError("bands", "bands must start at 0 and rise, found {starts}", {"starts": starts})
        return bands


class DensityThreshold(EngineeringItem):
    """A documented critical density; the computation warns when a crowd reaches it."""

    KIND = "density_threshold"
    kind: Literal["density_threshold"]
    p_per_m2: PositiveValue
    severity: Literal["caution", "warning", "danger"]


class FlowRate(EngineeringItem):
    """A pedestrian flow per metre of exit width (one default per route)."""

    KIND = "flow_rate"
    kind: Literal["flow_rate"]
    route: Literal["level", "stairs", "stairs_down", "stairs_up", "door", "corridor"]
    default: StrictBool = False
    p_per_m_per_min: PositiveValue


ENGINEERING_OBJECTS = (RatingStandard, VehicleClass, RoadSurface, EngineeringParameter, StandoffChart,
                       OverpressureThreshold, LosScheme, DensityScheme, DensityThreshold, FlowRate)


def engineering_problems(raw: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Checks across the engineering objects of one file (read from the raw data).

    * a vehicle's test class names a ``rating_standard`` of the same file, and no two vehicle
      classes share a standard's class code at the same mass;
    * at most one ``default`` road surface, stand-off chart and density scheme, one default level
      of service scheme per facility and one default flow rate per route.
    """
    objects = raw.get("objects") if isinstance(raw, dict) else None
    if not isinstance(objects, list):
        return []
    items = [(index, obj) for index, obj in enumerate(objects) if isinstance(obj, dict)]
    standards = {obj.get("ref_id") for _, obj in items if obj.get("kind") == "rating_standard"}
    problems: list[tuple[tuple[str | int, ...], str]] = []
    codes: dict[tuple[Any, Any, Any], int] = {}
    for index, obj in items:
        if obj.get("kind") != "vehicle_class" or not isinstance(obj.get("test_classes"), list):
            continue
        for position, test in enumerate(obj["test_classes"]):
            if not isinstance(test, dict):
                continue
            where: tuple[str | int, ...] = ("objects", index, "test_classes", position)
            if test.get("standard") not in standards:
                problems.append(((*where, "standard"), f"unknown rating standard {test.get('standard')!r}; this "
                                 "file defines: " + ", ".join(sorted(str(s) for s in standards))))
            key = (test.get("standard"), test.get("code"), test.get("mass_kg"))
            if key in codes:
                problems.append(((*where, "code"), f"{key[0]} {key[1]} at {key[2]} kg is already the test class of "
                                 f"objects[{codes[key]}]"))
            else:
                codes[key] = index
    defaults: dict[tuple[Any, ...], int] = {}
    for index, obj in items:
        if obj.get("default") is not True:
            continue
        kind = obj.get("kind")
        group = (kind, obj.get("facility") if kind == "los_scheme" else obj.get("route") if kind == "flow_rate"
                 else None)
        if group in defaults:
            what = f"{kind} for {group[1]}" if group[1] else str(kind)
            problems.append((("objects", index, "default"), f"only one default {what}; objects[{defaults[group]}] "
                             "is already the default"))
        else:
            defaults[group] = index
    return problems
