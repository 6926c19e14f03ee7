"""A criteria tree (library shape, see ``stoa.library.criteria_schema``) as objects pages can use.

The data is a JSON dict ``{"cost_horizon_years": N, "groups": [{"id", "name", "criteria": [...]}]}``.
Scores are recorded in the criterion's raw terms: a whole number 1–5 on an ordinal scale (its
anchors say what each level means), or the measured quantity in its unit (euros, days, TRL...).
For aggregation every raw score is turned into a value on the 1–5 scale: ordinal scores stay as
they are (a cost criterion then counts lower as better); a measured quantity goes through the
criterion's linear value function (worst → 1, best → 5, clipped), after which higher is better.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

SCALE_LOW, SCALE_HIGH = 1, 5
STAGES = ("rfi", "demonstration", "tabletop")


def _term(value: Any) -> str:
    if isinstance(value, dict):
        lang = (translation.get_language() or "en").split("-")[0]
        return str(value.get(lang) or value.get("en") or "")
    return str(value or "")


@dataclass(frozen=True)
class Criterion:
    id: str
    group_id: str
    data: dict[str, Any]
    group_data: dict[str, Any]

    @property
    def name(self) -> str:
        return _term(self.data.get("name"))

    @property
    def description(self) -> str:
        return _term(self.data.get("description"))

    @property
    def group_name(self) -> str:
        return _term(self.group_data.get("name"))

    @property
    def direction(self) -> str:
        return str(self.data.get("direction", "benefit"))

    @property
    def scale(self) -> dict[str, Any]:
        return dict(self.data.get("scale") or {"type": "ordinal"})

    @property
    def ordinal(self) -> bool:
        return self.scale.get("type", "ordinal") == "ordinal"

    @property
    def unit(self) -> str:
        return _term(self.scale.get("unit")) if not self.ordinal else ""

    @property
    def anchors(self) -> list[tuple[int, str]]:
        anchors = self.scale.get("anchors") or {}
        return [(level, _term(anchors.get(str(level), anchors.get(level, ""))))  # YAML keys may be ints
                for level in range(SCALE_LOW, SCALE_HIGH + 1)]

    @property
    def value_benefit(self) -> bool:
        """Whether a higher value (after the value function) is better."""
        return True if not self.ordinal else self.direction == "benefit"

    @property
    def stages(self) -> tuple[str, ...]:
        return tuple(self.data.get("stages") or STAGES)

    @property
    def suggest_from(self) -> str:
        return str(self.data.get("suggest_from") or "")

    @property
    def knockout(self) -> tuple[float | None, float | None]:
        knockout = self.data.get("knockout") or {}
        return knockout.get("min"), knockout.get("max")

    @property
    def default_points(self) -> float | None:
        points = self.data.get("default_points")
        return float(points) if points is not None else None

    def to_value(self, raw: float) -> float:
        """RAW on the 1–5 value scale used for aggregation."""
        if self.ordinal:
            return float(raw)
        from stoa.core.mcda import linear_value

        return float(linear_value(raw, float(self.scale["worst"]), float(self.scale["best"])))

    def knocked_out_by(self, raw: float) -> bool:
        low, high = self.knockout
        return (low is not None and raw < low) or (high is not None and raw > high)

    def raw_problem(self, value: float) -> str | None:
        """What is wrong with VALUE as a raw score of this criterion, or None."""
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            return _("Give a number.")
        if self.ordinal:
            if value != int(value) or not SCALE_LOW <= value <= SCALE_HIGH:
                return _("%(value)s is not on the 1–5 scale of “%(criterion)s”: give a whole number from 1 to 5.") % {
                    "value": f"{value:g}", "criterion": self.name}
        elif value < 0:
            return _("“%(criterion)s” is measured in %(unit)s and cannot be negative.") % {
                "criterion": self.name, "unit": self.unit}
        return None


class CriteriaTree:
    """The criteria of a set or an evaluation, in order."""

    def __init__(self, data: dict[str, Any] | None) -> None:
        self.data = data or {}

    @cached_property
    def criteria(self) -> list[Criterion]:
        return [Criterion(str(c["id"]), str(g["id"]), c, g)
                for g in self.data.get("groups") or [] for c in g.get("criteria") or []]

    @cached_property
    def by_id(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.criteria]

    @property
    def groups(self) -> list[tuple[str, str, list[Criterion]]]:
        return [(str(g["id"]), _term(g.get("name")), [self.by_id[str(c["id"])] for c in g.get("criteria") or []])
                for g in self.data.get("groups") or []]

    @property
    def cost_horizon_years(self) -> int:
        return int(self.data.get("cost_horizon_years") or 10)

    def score_problem(self, criterion_id: str, value: Any, stage: str) -> str | None:
        criterion = self.by_id.get(criterion_id)
        if criterion is None:
            return _("This evaluation has no criterion %(id)s.") % {"id": criterion_id}
        if stage not in criterion.stages:
            return _("“%(criterion)s” is not scored at this stage.") % {"criterion": criterion.name}
        return criterion.raw_problem(value)

    def default_points(self) -> dict[str, float]:
        """The set's default direct weight points; equal points when the set gives none."""
        points = {c.id: c.default_points for c in self.criteria}
        if all(p is None for p in points.values()):
            return dict.fromkeys(points, 1.0)
        return {k: (p or 0.0) for k, p in points.items()}


def criteria_problems(data: Any) -> list[str]:
    """Why DATA is not a valid criteria tree (the library schema's messages), or []."""
    from pydantic import ValidationError as SchemaError

    from stoa.library.criteria_schema import CriteriaSetFields

    try:
        CriteriaSetFields.model_validate(data)
    except SchemaError as exc:
        from stoa.catalogue.models import schema_messages

        return schema_messages(exc)
    return []
