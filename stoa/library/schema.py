"""The schema every library file must satisfy, as pydantic models.

A library file is YAML: a header (URN, version, locale, provider, sources, French translation)
and a list of typed ``objects``, told apart by ``kind``. The base text of a file is English
(``locale: en``); every item carries its French text in ``translations.fr``, so a library can
never be loaded half translated. To support another language, add a field to ``Translations``.

``check(raw)`` runs the models and the checks that span several objects (unique URNs and
reference ids) and returns every problem at once, each with its location in the file, so the
loader can refuse a bad file with one message per problem rather than the first one only.
The messages are for the operator who loads the file: they name the field, not the code.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    StrictBool,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from stoa.library.catalogue_schema import CATALOGUE_KINDS, Measure, ScenarioTemplate
from stoa.library.criteria_schema import CRITERIA_KINDS, CriteriaSet
from stoa.library.engineering_schema import (
    ENGINEERING_KINDS,
    DensityScheme,
    DensityThreshold,
    EngineeringParameter,
    FlowRate,
    LosScheme,
    OverpressureThreshold,
    RatingStandard,
    RoadSurface,
    StandoffChart,
    VehicleClass,
    engineering_problems,
)
from stoa.library.question_rules import band_problems, question_bank_problems
from stoa.library.risk_grid import grid_problems
from stoa.library.schema_base import (
    ALL_THREATS,
    COLOUR,
    LEVEL_ID,
    LIBRARY_URN,
    THREAT_REF_IDS,
    ChoiceId,
    Colour,
    Number,
    Position,
    ReferenceItem,
    RefId,
    Source,
    Strict,
    Term,
    Text,
    ThreatRef,
    Translations,
    _matching,
)

__all__ = ["ALL_THREATS", "COLOUR", "KINDS", "THREAT_REF_IDS", "Issue", "LibraryFile", "ReferenceItem", "Source",
           "check"]

KINDS = ("threat_type", "psoi_category", "attack_phase", "technology_category", "measure_use", "risk_matrix",
         "question_section", "question", *CATALOGUE_KINDS, *CRITERIA_KINDS, *ENGINEERING_KINDS)


class ThreatType(ReferenceItem):
    KIND = "threat_type"
    kind: Literal["threat_type"]
    short_name: Term
    examples: list[Term] = Field(min_length=1)


class PsoiCategory(ReferenceItem):
    KIND = "psoi_category"
    kind: Literal["psoi_category"]
    colour: Colour
    examples: list[Term] = Field(min_length=1)


class AttackPhase(ReferenceItem):
    KIND = "attack_phase"
    kind: Literal["attack_phase"]
    order: Position
    stage: Literal["before", "during", "after"]


class TechnologyCategory(ReferenceItem):
    KIND = "technology_category"
    kind: Literal["technology_category"]
    examples: list[Term] = Field(min_length=1)


class MeasureUse(ReferenceItem):
    KIND = "measure_use"
    kind: Literal["measure_use"]
    origin: Literal["securipedia", "stoa"]
    """``stoa`` marks a use Stoa added to Securipedia's list; the description says why."""


class ScaleLevel(Strict):
    value: Position
    name: Text
    description: Text
    translations: Translations


class RiskLevel(Strict):
    id: Annotated[str, AfterValidator(_matching(LEVEL_ID, "lower-case letters, digits and _, e.g. very_high"))]
    name: Text
    description: Text
    colour: Colour
    translations: Translations


def _scale(levels: list[ScaleLevel]) -> list[ScaleLevel]:
    values = [level.value for level in levels]
    if values != list(range(1, len(levels) + 1)):
        raise PydanticCustomError("scale", "values must run 1, 2, ... {n} in order, found {values}",
                                  {"n": len(levels), "values": values})
    return levels


Scale = Annotated[list[ScaleLevel], Field(min_length=2, max_length=10), AfterValidator(_scale)]


class RiskMatrix(ReferenceItem):
    """Likelihood × consequence: ``grid[likelihood - 1][consequence - 1]`` names a level id.

    ``levels`` are listed from the least to the most severe; the grid may not get less severe
    as likelihood or consequence rises.
    """

    KIND = "risk_matrix"
    kind: Literal["risk_matrix"]
    likelihood: Scale
    consequence: Scale
    levels: list[RiskLevel] = Field(min_length=1)
    grid: list[list[str]]
    default: StrictBool = False

    @field_validator("levels")
    @classmethod
    def _unique_levels(cls, levels: list[RiskLevel]) -> list[RiskLevel]:
        ids = [level.id for level in levels]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise PydanticCustomError("unique", "level ids must be unique, repeated: {ids}",
                                      {"ids": ", ".join(repeated)})
        return levels

    @field_validator("grid")
    @classmethod
    def _grid_fits(cls, grid: list[list[str]], info: ValidationInfo) -> list[list[str]]:
        scales_and_levels = ("likelihood", "consequence", "levels")
        if not all(name in info.data for name in scales_and_levels):
            return grid  # those fields failed and are reported on their own; the grid cannot be checked
        problems = grid_problems(
            grid, len(info.data["likelihood"]), len(info.data["consequence"]),
            [level.id for level in info.data["levels"]],
        )
        if problems:
            raise PydanticCustomError("grid", "{problems}", {"problems": "; ".join(problems)})
        return grid


Delta = Annotated[float, Field(ge=-1.0, le=1.0, strict=True)]
QUESTION_TYPES = ("single", "multiple", "yesno", "number", "text", "photo")
CHOICE_TYPES = ("single", "multiple", "yesno")
YESNO_IDS = ["yes", "no", "unknown"]


class QuestionSection(ReferenceItem):
    """A part of the question bank (site profile, existing measures, ...), asked in ``order``."""

    KIND = "question_section"
    kind: Literal["question_section"]
    order: Position


class Effect(Strict):
    """How an answer moves a proposed rating: a positive ``delta`` means more exposed."""

    threat: ThreatRef
    dimension: Literal["likelihood", "consequence"]
    delta: Delta
    basis: Term


class Choice(Strict):
    id: ChoiceId
    label: Term
    effects: list[Effect] = []


class Band(Strict):
    """A range of numeric answers, ``min <= value < max``; ``max: null`` leaves it open upwards."""

    min: Number
    max: Number | None
    effects: list[Effect] = []


class DependsOn(Strict):
    """Ask the question only when an earlier question was answered with one of ``any_of``."""

    question: RefId
    any_of: list[ChoiceId] = Field(min_length=1)


class Question(ReferenceItem):
    """One question; ``name`` is the question as asked, ``description`` why it matters.

    Choice questions (single, multiple, yesno) need ``choices`` (a yes/no question exactly
    yes, no, unknown); a number question needs non-overlapping ``bands``; text and photo
    questions record evidence and carry no effects. Checks that need other objects (the
    section, ``depends_on``) are in ``stoa.library.question_rules``.
    """

    KIND = "question"
    kind: Literal["question"]
    section: RefId
    order: Position
    type: Literal["single", "multiple", "yesno", "number", "text", "photo"]
    depth: Literal["quick", "full"]
    guidance: Term
    threats: list[ThreatRef] = Field(min_length=1)
    choices: list[Choice] | None = Field(default=None, validate_default=True)
    bands: list[Band] | None = Field(default=None, validate_default=True)
    depends_on: DependsOn | None = None

    @field_validator("threats")
    @classmethod
    def _all_alone(cls, threats: list[str]) -> list[str]:
        if ALL_THREATS in threats and len(threats) > 1:
            raise PydanticCustomError("threats", "ALL cannot be combined with named threat types", {})
        if len(set(threats)) != len(threats):
            raise PydanticCustomError("threats", "a threat type is listed twice", {})
        return threats

    @field_validator("choices")
    @classmethod
    def _choices_fit_type(cls, choices: list[Choice] | None, info: ValidationInfo) -> list[Choice] | None:
        kind = info.data.get("type")
        if kind is None:
            return choices  # the type itself is wrong and reported on its own
        if kind not in CHOICE_TYPES:
            if choices is not None:
                raise PydanticCustomError("choices", "a {type} question has no choices", {"type": kind})
            return choices
        if not choices:
            raise PydanticCustomError("choices", "a {type} question needs its choices", {"type": kind})
        ids = [choice.id for choice in choices]
        if kind == "yesno" and ids != YESNO_IDS:
            raise PydanticCustomError("choices", "a yesno question has exactly the choices yes, no, unknown "
                                      "in that order; found {ids}", {"ids": ", ".join(ids)})
        if kind != "yesno" and len(choices) < 2:
            raise PydanticCustomError("choices", "a {type} question needs at least two choices", {"type": kind})
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise PydanticCustomError("choices", "choice ids must be unique, repeated: {ids}",
                                      {"ids": ", ".join(repeated)})
        _effects_within_threats([e for choice in choices for e in choice.effects], info)
        return choices

    @field_validator("bands")
    @classmethod
    def _bands_fit_type(cls, bands: list[Band] | None, info: ValidationInfo) -> list[Band] | None:
        kind = info.data.get("type")
        if kind is None:
            return bands
        if kind != "number":
            if bands is not None:
                raise PydanticCustomError("bands", "only a number question has bands", {})
            return bands
        if not bands:
            raise PydanticCustomError("bands", "a number question needs its bands", {})
        problems = band_problems([(band.min, band.max) for band in bands])
        if problems:
            raise PydanticCustomError("bands", "{problems}", {"problems": "; ".join(problems)})
        _effects_within_threats([e for band in bands for e in band.effects], info)
        return bands


def _effects_within_threats(effects: list[Effect], info: ValidationInfo) -> None:
    """An effect may only move a threat the question says it is about (any, when it is about ALL)."""
    threats = info.data.get("threats")
    if threats is None or ALL_THREATS in threats:
        return
    stray = sorted({effect.threat for effect in effects} - set(threats))
    if stray:
        raise PydanticCustomError("effects", "effects on {stray}, which this question's threats ({threats}) "
                                  "do not include", {"stray": ", ".join(stray), "threats": ", ".join(threats)})


AnyObject = Annotated[
    ThreatType | PsoiCategory | AttackPhase | TechnologyCategory | MeasureUse | RiskMatrix
    | QuestionSection | Question | Measure | ScenarioTemplate | CriteriaSet
    | RatingStandard | VehicleClass | RoadSurface | EngineeringParameter | StandoffChart | OverpressureThreshold
    | LosScheme | DensityScheme | DensityThreshold | FlowRate,
    Field(discriminator="kind"),
]


class LibraryFile(Strict):
    urn: Annotated[str, AfterValidator(_matching(LIBRARY_URN, "a URN like urn:stoa:library:threat-types"))]
    version: Position
    locale: Literal["en"]
    provider: Text
    packager: Text | None = None
    name: Text
    description: Text
    publication_date: datetime.date
    sources: list[Source] = Field(min_length=1)
    translations: Translations
    objects: list[AnyObject] = Field(min_length=1)


# Pydantic names Python types ("instance of Term"); the person editing YAML thinks in YAML shapes.
PLAIN_TYPE_MESSAGES = {
    "model_type": "expected a mapping (indented 'key: value' lines)",
    "model_attributes_type": "expected a mapping (indented 'key: value' lines)",
    "dict_type": "expected a mapping (indented 'key: value' lines)",
    "list_type": "expected a list (lines starting with '- ')",
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "bool_type": "expected true or false",
}


@dataclass(frozen=True)
class Issue:
    """One problem: where in the file (a path of keys and list indexes) and what is wrong."""

    loc: tuple[str | int, ...]
    message: str


def check(raw: Any) -> tuple[LibraryFile | None, list[Issue]]:
    """Validate RAW (parsed YAML); the model only when there is no issue at all."""
    issues: list[Issue] = []
    model: LibraryFile | None = None
    try:
        model = LibraryFile.model_validate(raw)
    except ValidationError as exc:
        issues.extend(_issue(error) for error in exc.errors())
    issues.extend(cross_object_issues(raw))
    issues.extend(Issue(loc, message) for loc, message in question_bank_problems(raw))
    issues.extend(Issue(loc, message) for loc, message in engineering_problems(raw))
    return (model if not issues else None), issues


def cross_object_issues(raw: Any) -> list[Issue]:
    """Repeated URNs, and repeated ref_ids or orders within one kind (read from the raw data,
    so these are reported even when other fields of the same objects are wrong)."""
    objects = raw.get("objects") if isinstance(raw, dict) else None
    if not isinstance(objects, list):
        return []
    issues: list[Issue] = []
    first_seen: dict[tuple[str, ...], int] = {}
    for index, obj in enumerate(objects):
        if not isinstance(obj, dict):
            continue
        kind = str(obj.get("kind"))
        for field, key in (("urn", ("urn", str(obj.get("urn")))),
                           ("ref_id", ("ref_id", kind, str(obj.get("ref_id")))),
                           ("order", ("order", kind, str(obj.get("order"))))):
            if obj.get(field) is None:
                continue
            if key in first_seen:
                issues.append(Issue(("objects", index, field),
                                    f"{obj[field]!r} is already used by objects[{first_seen[key]}]"))
            else:
                first_seen[key] = index
    return issues


def _issue(error: Any) -> Issue:
    loc = tuple(error["loc"])
    # A discriminated union puts the kind's name in the location; the operator never wrote it.
    if len(loc) > 2 and loc[0] == "objects" and loc[2] in KINDS:
        loc = loc[:2] + loc[3:]
    kind = error["type"]
    if kind == "union_tag_invalid":
        return Issue((*loc, "kind"), f"unknown kind {error['input'].get('kind')!r}; expected one of: "
                                     + ", ".join(KINDS))
    if kind == "union_tag_not_found":
        return Issue((*loc, "kind"), "field required (one of: " + ", ".join(KINDS) + ")")
    if kind == "missing":
        return Issue(loc, "field required")
    if kind == "extra_forbidden":
        return Issue(loc, "unknown field (check its spelling and indentation)")
    if kind in PLAIN_TYPE_MESSAGES:
        return Issue(loc, PLAIN_TYPE_MESSAGES[kind])
    message = str(error["msg"]).removeprefix("Value error, ")
    return Issue(loc, message[:1].lower() + message[1:])
