"""Question-bank objects as plain, checked specs, the input of ``rating.propose``.

A question comes from the library as the ``data`` dict of a ``question`` reference object (the
shape is checked in full by ``stoa.library.schema.Question`` when the library loads). Here we keep
only what scoring needs and reject a dict that could not be scored, with a ValueError that says
which key is wrong, so that a hand-made or imported bank fails loudly instead of scoring nothing.

A number band covers ``min <= value < max``; ``max`` None leaves it open upwards.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

ALL_THREATS = "ALL"
DIMENSIONS = ("likelihood", "consequence")
QUESTION_TYPES = ("single", "multiple", "yesno", "number", "text", "photo")
CHOICE_TYPES = ("single", "multiple", "yesno")
UNKNOWN_CHOICE = "unknown"

AnswerValue = str | int | float | Sequence[str] | None


@dataclass(frozen=True)
class EffectSpec:
    threat: str  # a threat ref_id or ALL
    dimension: str  # likelihood or consequence
    delta: float  # positive = more exposed
    basis: Mapping[str, str]  # short why, by language code

    def applies_to(self, threat: str) -> bool:
        return self.threat in (threat, ALL_THREATS)


@dataclass(frozen=True)
class ChoiceSpec:
    id: str
    effects: tuple[EffectSpec, ...] = ()


@dataclass(frozen=True)
class BandSpec:
    min: float
    max: float | None
    effects: tuple[EffectSpec, ...] = ()

    def contains(self, value: float) -> bool:
        return self.min <= value and (self.max is None or value < self.max)

    @property
    def label(self) -> str:
        """The band in language-neutral notation, e.g. ``1000 ≤ n < 5000`` or ``n ≥ 5000``."""
        if self.max is None:
            return f"n ≥ {self.min:g}"
        return f"{self.min:g} ≤ n < {self.max:g}"


@dataclass(frozen=True)
class DependsOnSpec:
    question: str
    any_of: frozenset[str]


@dataclass(frozen=True)
class QuestionSpec:
    ref_id: str
    type: str
    choices: tuple[ChoiceSpec, ...] = ()
    bands: tuple[BandSpec, ...] = ()
    depends_on: DependsOnSpec | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QuestionSpec:
        """Build from a question object's data dict; ValueError names the faulty key."""
        ref_id = data.get("ref_id")
        if not isinstance(ref_id, str) or not ref_id:
            raise ValueError("question: ref_id must be a non-empty string")
        where = f"question {ref_id}"
        kind = data.get("type")
        if kind not in QUESTION_TYPES:
            raise ValueError(f"{where}: type must be one of {', '.join(QUESTION_TYPES)}, not {kind!r}")
        choices = tuple(_choice(c, f"{where} choices[{i}]") for i, c in enumerate(data.get("choices") or []))
        bands = tuple(_band(b, f"{where} bands[{i}]") for i, b in enumerate(data.get("bands") or []))
        if kind in CHOICE_TYPES and not choices:
            raise ValueError(f"{where}: a {kind} question needs choices")
        if kind == "number" and not bands:
            raise ValueError(f"{where}: a number question needs bands")
        return cls(ref_id, kind, choices, bands, _depends_on(data.get("depends_on"), where))

    def choice(self, choice_id: str) -> ChoiceSpec | None:
        return next((c for c in self.choices if c.id == choice_id), None)

    def band(self, value: float) -> BandSpec | None:
        return next((b for b in self.bands if b.contains(value)), None)


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: expected a mapping, found {type(value).__name__}")
    return value


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{where}: expected a finite number, found {value!r}")
    return float(value)


def _effects(raw: Any, where: str) -> tuple[EffectSpec, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ValueError(f"{where} effects: expected a list")
    effects = []
    for i, item in enumerate(raw):
        here = f"{where} effects[{i}]"
        effect = _mapping(item, here)
        threat, dimension = effect.get("threat"), effect.get("dimension")
        if not isinstance(threat, str) or not threat:
            raise ValueError(f"{here}: threat must be a threat ref_id or ALL")
        if dimension not in DIMENSIONS:
            raise ValueError(f"{here}: dimension must be likelihood or consequence, not {dimension!r}")
        delta = _number(effect.get("delta"), f"{here} delta")
        if not -1.0 <= delta <= 1.0:
            raise ValueError(f"{here}: delta must be between -1 and 1, found {delta:g}")
        basis = effect.get("basis") or {}
        effects.append(EffectSpec(threat, dimension, delta, dict(_mapping(basis, f"{here} basis"))))
    return tuple(effects)


def _choice(raw: Any, where: str) -> ChoiceSpec:
    choice = _mapping(raw, where)
    choice_id = choice.get("id")
    if not isinstance(choice_id, str) or not choice_id:
        raise ValueError(f"{where}: id must be a non-empty string")
    return ChoiceSpec(choice_id, _effects(choice.get("effects"), where))


def _band(raw: Any, where: str) -> BandSpec:
    band = _mapping(raw, where)
    low = _number(band.get("min"), f"{where} min")
    high = None if band.get("max") is None else _number(band.get("max"), f"{where} max")
    if high is not None and high <= low:
        raise ValueError(f"{where}: max must be greater than min")
    return BandSpec(low, high, _effects(band.get("effects"), where))


def _depends_on(raw: Any, where: str) -> DependsOnSpec | None:
    if raw is None:
        return None
    depends = _mapping(raw, f"{where} depends_on")
    question, any_of = depends.get("question"), depends.get("any_of")
    if not isinstance(question, str) or not question:
        raise ValueError(f"{where} depends_on: question must be a question ref_id")
    if not isinstance(any_of, list) or not any_of or not all(isinstance(c, str) for c in any_of):
        raise ValueError(f"{where} depends_on: any_of must be a non-empty list of choice ids")
    return DependsOnSpec(question, frozenset(any_of))
