"""Library kind of the Technology Evaluation Framework (TEF): ``criteria_set``.

A criteria set is the tree of criteria a city's experts score candidate solutions against
(PRoTECT's multi-criteria analysis): groups (Performance, Readiness, Physical, Cost, Compliancy,
Other) of criteria, each with a scale, a direction and optional knock-out, stages, suggestion
source and default weight points. A whole set is one library object, so a city picks a set by
its URN and the loader stores the set (``cost_horizon_years`` and ``groups``) in the object's
``data`` in the shape of the YAML; JSON turns the anchor levels ``1``..``5`` into the strings
``"1"``..``"5"``, and optional fields left out are stored as ``null`` (``stages``: all three).

Scales. Every criterion is scored on the value scale 1 (worst) to 5 (best):

- ``ordinal``: the expert picks a raw level 1..5, each described by an anchor. For a ``benefit``
  criterion the raw level is the value; for a ``cost`` criterion a higher raw level is worse.
- ``measured``: a raw quantity in ``unit``; a linear value function maps ``worst`` to 1 and
  ``best`` to 5, clipped outside. ``direction`` must agree: benefit means best > worst, cost
  means best < worst.

``knockout`` is a threshold on the raw value: below ``min`` or above ``max`` the solution is out,
whatever its other scores. ``suggest_from`` names the catalogue measure (or RFI submission) field
Stoa reads to pre-fill a suggested score; the expert always decides. When no criterion has
``default_points`` the set's default weights are equal.

Checks that span a set (unique ids) name the places that clash in their message, because a
validator can only report at the field it checks.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import Field, PlainValidator, StrictInt, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from stoa.library.catalogue_schema import _one_of
from stoa.library.schema_base import ReferenceItem, RefId, Strict, Term

CRITERIA_KINDS = ("criteria_set",)
CRITERIA_STAGES = ("rfi", "demonstration", "tabletop")
SUGGEST_FROM = ("effect", "trl", "capital_eur", "yearly_eur", "total_cost_eur", "deploy_days", "privacy",
                "normal_use", "aesthetic", "accessibility")
DIRECTIONS = ("benefit", "cost")
ANCHOR_LEVELS = (1, 2, 3, 4, 5)
VALUE_MIN, VALUE_MAX = 1, 5


def _number(value: Any) -> int | float:
    """A whole or decimal number, kept as written (500000 stays an integer in ``data``)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PydanticCustomError("number", "expected a number, got {value}", {"value": repr(value)})
    return value


RawNumber = Annotated[int | float, PlainValidator(_number)]


def _plain(value: int | float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


class OrdinalScale(Strict):
    """Five described levels of the raw value, from 1 to 5."""

    type: Literal["ordinal"]
    anchors: dict[int, Term]

    @field_validator("anchors", mode="before")
    @classmethod
    def _exactly_one_to_five(cls, anchors: Any) -> Any:
        if not isinstance(anchors, dict):
            return anchors  # reported as "expected a mapping"
        levels: dict[int, Any] = {}
        unexpected = []
        for key, term in anchors.items():
            level = int(key) if isinstance(key, str) and key.isdigit() else key
            if isinstance(level, bool) or not isinstance(level, int) or level not in ANCHOR_LEVELS:
                unexpected.append(repr(key))
            else:
                levels[level] = term
        missing = [str(level) for level in ANCHOR_LEVELS if level not in levels]
        if missing or unexpected:
            found = "; ".join(part for part in (
                "missing: " + ", ".join(missing) if missing else "",
                "unexpected: " + ", ".join(unexpected) if unexpected else "",
            ) if part)
            raise PydanticCustomError("anchors", "anchors must be exactly the levels 1, 2, 3, 4 and 5; {found}",
                                      {"found": found})
        return levels


class MeasuredScale(Strict):
    """A raw quantity in ``unit``; ``worst`` scores 1 and ``best`` scores 5, linearly, clipped."""

    type: Literal["measured"]
    unit: Term
    worst: RawNumber
    best: RawNumber

    @model_validator(mode="after")
    def _distinct_ends(self) -> MeasuredScale:
        if self.worst == self.best:
            raise PydanticCustomError("scale", "worst and best must differ, both are {value}",
                                      {"value": _plain(self.worst)})
        return self


SCALE_TYPES: dict[str, type[OrdinalScale] | type[MeasuredScale]] = {"ordinal": OrdinalScale, "measured": MeasuredScale}


def _scale(value: Any) -> OrdinalScale | MeasuredScale:
    """The scale model its ``type`` names. Dispatched by hand rather than as a pydantic tagged union,
    whose tag would show in every location (``scale.ordinal.anchors``) and whose tag errors the file
    checker reports as the object's kind; the nested model's errors keep their location below ``scale``
    (pydantic nests a ValidationError raised in a validator under the field)."""
    if isinstance(value, OrdinalScale | MeasuredScale):
        return value
    if not isinstance(value, dict):
        raise PydanticCustomError("model_type", "expected a mapping (indented 'key: value' lines)", {})
    if "type" not in value:
        raise PydanticCustomError("scale_type", "type: field required (one of: {known})",
                                  {"known": ", ".join(SCALE_TYPES)})
    model = SCALE_TYPES.get(value["type"]) if isinstance(value["type"], str) else None
    if model is None:
        raise PydanticCustomError("scale_type", "type: expected one of: {known}; got {found}",
                                  {"known": ", ".join(SCALE_TYPES), "found": repr(value["type"])})
    return model.model_validate(value)


class Knockout(Strict):
    """A raw value below ``min`` or above ``max`` knocks the solution out."""

    min: RawNumber | None = None
    max: RawNumber | None = None

    @model_validator(mode="after")
    def _a_sensible_range(self) -> Knockout:
        if self.min is None and self.max is None:
            raise PydanticCustomError("knockout", "a knockout needs min, max or both", {})
        if self.min is not None and self.max is not None and self.min > self.max:
            raise PydanticCustomError("knockout", "knockout min ({min}) must not be above max ({max})",
                                      {"min": _plain(self.min), "max": _plain(self.max)})
        return self


class Criterion(Strict):
    """One criterion the experts score; ``description`` says what they judge."""

    id: RefId
    name: Term
    description: Term
    direction: Literal["benefit", "cost"]
    scale: OrdinalScale | MeasuredScale
    knockout: Knockout | None = None
    stages: list[str] = Field(default=list(CRITERIA_STAGES), min_length=1)
    suggest_from: str | None = None
    default_points: RawNumber | None = None

    @field_validator("scale", mode="wrap")
    @classmethod
    def _scale_fits_direction(cls, value: Any, _handler: Any, info: ValidationInfo) -> OrdinalScale | MeasuredScale:
        scale = _scale(value)
        direction = info.data.get("direction")
        if not isinstance(scale, MeasuredScale) or direction is None:
            return scale  # a wrong direction is reported on its own
        worst, best = _plain(scale.worst), _plain(scale.best)
        if direction == "benefit" and scale.best < scale.worst:
            raise PydanticCustomError("direction", "a benefit criterion (a higher raw value is better) needs best "
                                      "above worst; found worst {worst}, best {best}: swap them or make the "
                                      "direction cost", {"worst": worst, "best": best})
        if direction == "cost" and scale.best > scale.worst:
            raise PydanticCustomError("direction", "a cost criterion (a higher raw value is worse) needs best below "
                                      "worst; found worst {worst}, best {best}: swap them or make the direction "
                                      "benefit", {"worst": worst, "best": best})
        return scale

    @field_validator("knockout")
    @classmethod
    def _knockout_within_scale(cls, knockout: Knockout | None, info: ValidationInfo) -> Knockout | None:
        scale = info.data.get("scale")
        if knockout is None or not isinstance(scale, OrdinalScale):
            return knockout
        outside = [f"{name} {_plain(value)}" for name, value in (("min", knockout.min), ("max", knockout.max))
                   if value is not None and not VALUE_MIN <= value <= VALUE_MAX]
        if outside:
            raise PydanticCustomError("knockout", "an ordinal knockout must lie within the scale 1 to 5; "
                                      "found {outside}", {"outside": ", ".join(outside)})
        return knockout

    @field_validator("stages")
    @classmethod
    def _stages(cls, values: list[str]) -> list[str]:
        return _one_of(CRITERIA_STAGES, "stage")(values)

    @field_validator("suggest_from")
    @classmethod
    def _suggest_from(cls, value: str | None) -> str | None:
        if value is None:
            return value
        return _one_of(SUGGEST_FROM, "suggestion source")([value])[0]

    @field_validator("default_points")
    @classmethod
    def _positive(cls, value: int | float | None) -> int | float | None:
        if value is not None and value <= 0:
            raise PydanticCustomError("points", "points must be above 0, got {value}",
                                      {"value": _plain(value)})
        return value


class CriteriaGroup(Strict):
    id: RefId
    name: Term
    criteria: list[Criterion] = Field(min_length=1)


def _repeated(places: list[tuple[str, str]]) -> list[str]:
    """``id used by a and b`` for every id that appears at more than one of PLACES (id, where)."""
    by_id: dict[str, list[str]] = {}
    for ref, where in places:
        by_id.setdefault(ref, []).append(where)
    return [f"{ref!r} is used by {' and '.join(wheres)}" for ref, wheres in by_id.items() if len(wheres) > 1]


class CriteriaSetFields(Strict):
    """What a criteria set holds beyond its identity; a city's own set has exactly these."""

    cost_horizon_years: Annotated[StrictInt, Field(ge=1, le=50)]
    """The N of the "total cost over N years" criterion."""
    groups: list[CriteriaGroup] = Field(min_length=1)

    @field_validator("groups")
    @classmethod
    def _unique_ids(cls, groups: list[CriteriaGroup]) -> list[CriteriaGroup]:
        problems = []
        group_clashes = _repeated([(group.id, f"groups[{g}]") for g, group in enumerate(groups)])
        if group_clashes:
            problems.append("group ids must be unique in the set: " + "; ".join(group_clashes))
        criterion_clashes = _repeated([(criterion.id, f"groups[{g}].criteria[{c}]")
                                       for g, group in enumerate(groups)
                                       for c, criterion in enumerate(group.criteria)])
        if criterion_clashes:
            problems.append("criterion ids must be unique across the set: " + "; ".join(criterion_clashes))
        if problems:
            raise PydanticCustomError("unique", "{problems}", {"problems": "; ".join(problems)})
        return groups


class CriteriaSet(ReferenceItem, CriteriaSetFields):
    KIND = "criteria_set"
    kind: Literal["criteria_set"]
