"""What the library pages show: objects in the current language, grouped by kind.

Library text lives in the row (English, the file's base locale) and in ``translations``; lists
such as examples are bilingual terms ``{en, fr}``. These helpers pick the active language and
fall back to English, so templates stay free of lookups.

Colours come from data, and the Content Security Policy forbids inline styles, so each colour
gets a CSS class served by ``colours_css`` (a stylesheet built from the loaded libraries).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from stoa.library.colours import HEX, text_colour_on
from stoa.library.models import Library, ReferenceObject
from stoa.library.schema import KINDS

KIND_TITLES = {
    "threat_type": _("Threat types"),
    "psoi_category": _("Categories of public spaces"),
    "attack_phase": _("Attack phases"),
    "technology_category": _("Technology categories"),
    "measure_use": _("Measure uses"),
    "risk_matrix": _("Risk matrices"),
    "question_section": _("Question sections"),
    "question": _("Questions"),
    "measure": _("Catalogue measures"),
    "scenario_template": _("Scenario templates"),
    "criteria_set": _("Evaluation criteria sets"),
    "rating_standard": _("Vehicle barrier rating standards"),
    "vehicle_class": _("Vehicle classes"),
    "road_surface": _("Road surfaces"),
    "engineering_parameter": _("Engineering parameters"),
    "standoff_chart": _("Bomb threat stand-off charts"),
    "overpressure_threshold": _("Blast overpressure thresholds"),
    "los_scheme": _("Pedestrian level-of-service schemes"),
    "density_scheme": _("Crowd density schemes"),
    "density_threshold": _("Critical crowd densities"),
    "flow_rate": _("Exit flow rates"),
}
STAGES = {"before": _("Before the attack"), "during": _("During the attack"), "after": _("After the attack")}


def language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def local(item: dict[str, Any], name: str = "name") -> str:
    """FIELD of a nested library item (a scale level, a risk level) in the active language."""
    translated = (item.get("translations") or {}).get(language(), {}).get(name)
    return str(translated or item.get(name) or "")


def term(value: dict[str, Any]) -> str:
    """A bilingual term ``{en, fr}`` in the active language."""
    return str(value.get(language()) or value.get("en") or "")


def swatch_class(obj: ReferenceObject) -> str:
    return f"lib-colour-{obj.pk}"


def level_class(matrix: ReferenceObject, level_id: str) -> str:
    return f"lib-level-{matrix.pk}-{level_id}"


@dataclass
class Row:
    obj: ReferenceObject
    name: str
    description: str
    examples: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Section:
    kind: str
    title: str
    rows: list[Row]


def sections(library: Library) -> list[Section]:
    """The library's objects grouped by kind, in the order of ``KINDS``."""
    by_kind: dict[str, list[Row]] = {}
    for obj in library.objects_set.all():
        by_kind.setdefault(obj.kind, []).append(_row(obj))
    return [Section(kind, str(KIND_TITLES.get(kind, kind)), by_kind[kind]) for kind in KINDS if kind in by_kind]


def _row(obj: ReferenceObject) -> Row:
    data = obj.data or {}
    row = Row(obj, obj.label(), obj.label("description"), [term(t) for t in data.get("examples", [])])
    if obj.kind == "threat_type" and data.get("short_name"):
        row.extra["short_name"] = term(data["short_name"])
    elif obj.kind == "psoi_category":
        row.extra["colour"] = data.get("colour", "")
        row.extra["swatch"] = swatch_class(obj)
    elif obj.kind == "attack_phase":
        row.extra["stage"] = STAGES.get(data.get("stage", ""), "")
    elif obj.kind == "measure_use":
        row.extra["added_by_stoa"] = data.get("origin") == "stoa"
    elif obj.kind == "risk_matrix":
        row.extra["matrix"] = matrix_table(obj)
    return row


def matrix_table(obj: ReferenceObject) -> dict[str, Any]:
    """The grid as table rows, most likely first (the usual way a risk matrix is read)."""
    data = obj.data or {}
    levels = {level["id"]: level for level in data.get("levels", [])}
    consequence = [{"value": c["value"], "name": local(c), "description": local(c, "description")}
                   for c in data.get("consequence", [])]
    likelihood = data.get("likelihood", [])
    rows = []
    for l_index, cells in reversed(list(enumerate(data.get("grid", [])))):
        scale = likelihood[l_index]
        rows.append({
            "value": scale["value"], "name": local(scale), "description": local(scale, "description"),
            "cells": [{"level": local(levels[cell]), "score": scale["value"] * consequence[c_index]["value"],
                       "css": level_class(obj, cell)} for c_index, cell in enumerate(cells)],
        })
    legend = [{"name": local(level), "description": local(level, "description"), "colour": level["colour"],
               "css": level_class(obj, level["id"])} for level in data.get("levels", [])]
    return {"consequence": consequence, "rows": rows, "legend": legend,
            "likelihood": [{"value": s["value"], "name": local(s), "description": local(s, "description")}
                           for s in likelihood]}


def colours_css() -> str:
    """One CSS rule per library colour, with black or white text chosen for contrast."""
    rules = []
    for obj in ReferenceObject.objects.filter(kind__in=["psoi_category", "risk_matrix"]).order_by("pk"):
        data = obj.data or {}
        if obj.kind == "psoi_category":
            rules.append(_rule(swatch_class(obj), data.get("colour", "")))
        else:
            rules.extend(_rule(level_class(obj, level.get("id", "")), level.get("colour", ""))
                         for level in data.get("levels", []))
    return "\n".join(rule for rule in rules if rule) + "\n"


def _rule(css_class: str, colour: str) -> str:
    # Colours were validated on load; checked again because they end up in a stylesheet.
    if not HEX.match(str(colour)) or not css_class.replace("-", "").replace("_", "").isalnum():
        return ""
    text = text_colour_on(colour)
    # Bootstrap tables paint cells from --bs-table-bg/--bs-table-color, so set those too.
    return (f".{css_class} {{ background-color: {colour}; color: {text}; "
            f"--bs-table-bg: {colour}; --bs-table-color: {text}; }}")
