"""Library kinds of the measures catalogue: ``measure`` and ``scenario_template``.

A ``measure`` is one solution a city can put in place (a rated bollard line, a bag-search regime,
a bleeding-control kit...), classified the way Securipedia's PRoTECT layer does (technology
category, attack phases, uses) plus what a city needs to choose: its effect on each threat type,
cost bands, time to deploy, maturity and its side effects on privacy, normal use, the look of the
place and accessibility. Effects are documented defaults, each with its basis; a city overrides
them with a local measure (``stoa.catalogue``), never by editing the shipped file.

Effect semantics (used by ``stoa.core.catalogue``): ``likelihood`` is the share of the scenario's
likelihood the measure removes, ``consequence`` the share of its consequence; 0 does nothing, 1
would remove it entirely. Overlapping measures combine as 1 − Π(1 − eᵢ) per factor.

A ``scenario_template`` is a ready-made narrative for one threat type at some kinds of public
space, which prefills an assessment scenario.

The reference lists below (phases, uses, technology and PSOI categories) are checked without the
database, as the threat types are; tests keep them equal to the shipped libraries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import Field, StrictInt, field_validator, model_validator
from pydantic_core import PydanticCustomError

from stoa.library.schema_base import ALL_THREATS, ReferenceItem, RefId, Strict, Term, Text, ThreatRef

CATALOGUE_KINDS = ("measure", "scenario_template")
PHASE_REF_IDS = ("INITIAL_TARGET_IDENTIFICATION", "OPERATIONAL_PLANNING", "PRE_ATTACK_PREPARATION", "EXECUTION",
                 "POST_ATTACK_ESCAPE")
USE_REF_IDS = ("DETER", "SURVEIL", "DETECT", "RESTRICT", "DELAY", "PROTECT", "ALERT", "RESPOND", "OVERCOME",
               "IMPROVISE", "ADAPT", "OTHER")
TECHNOLOGY_REF_IDS = ("ICT", "SENSORS", "ACTUATORS", "PHYSICAL", "METHODS")
PSOI_CATEGORY_REF_IDS = ("TRANSPORT_HUB", "SQUARE", "SHOPPING", "NIGHTLIFE", "CULTURAL", "BUSINESS", "WORSHIP",
                         "INSTITUTIONAL")
# Securipedia's classification of measures by their point of application in a criminal act, plus
# ``mitigation`` (Stoa's): measures that act after the attack has started, on its consequences.
APPLICATIONS = ("target_hardening", "access_control", "directing_flows", "removing_means", "surveillance",
                "intervention", "screening", "target_removal", "controlling_disinhibitors", "facilitating_compliance",
                "deflection", "awareness", "mitigation")
SOLUTION_TYPES = ("technological", "physical_design", "organisational_human")
TIMINGS = ("structural", "event", "both")
IMPACTS = ("none", "low", "medium", "high")

Share = Annotated[float, Field(ge=0.0, le=1.0, strict=False)]
Euros = Annotated[StrictInt, Field(ge=0)]
Days = Annotated[StrictInt, Field(ge=0, le=3650)]
Impact = Literal["none", "low", "medium", "high"]


def _one_of(allowed: tuple[str, ...], what: str) -> Callable[[list[str]], list[str]]:
    def check(values: list[str]) -> list[str]:
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise PydanticCustomError("reference", "unknown {what} {unknown}; expected one of: {known}",
                                      {"what": what, "unknown": ", ".join(map(repr, unknown)),
                                       "known": ", ".join(allowed)})
        if len(set(values)) != len(values):
            raise PydanticCustomError("reference", "a {what} is listed twice", {"what": what})
        return values

    return check


class MeasureEffect(Strict):
    """What the measure does against one threat type (or ALL), and why we think so."""

    threat: ThreatRef
    likelihood: Share = 0.0
    consequence: Share = 0.0
    basis: Term

    @model_validator(mode="after")
    def _some_effect(self) -> MeasureEffect:
        if self.likelihood == 0 and self.consequence == 0:
            raise PydanticCustomError("effect", "an effect needs a likelihood or a consequence above 0; "
                                      "leave out a threat type the measure does nothing against", {})
        return self


def _band(values: list[int]) -> list[int]:
    if len(values) != 2 or values[0] > values[1]:
        raise PydanticCustomError("band", "a band is written [low, high] with low <= high, found {values}",
                                  {"values": values})
    return values


EuroBand = Annotated[list[Euros], Field(min_length=2, max_length=2)]
DayBand = Annotated[list[Days], Field(min_length=2, max_length=2)]


class Cost(Strict):
    """Cost bands in euros for one typical deployment (``basis`` says what that deployment is)."""

    capital_eur: EuroBand
    yearly_eur: EuroBand
    basis: Term

    @field_validator("capital_eur", "yearly_eur")
    @classmethod
    def _ordered(cls, values: list[int]) -> list[int]:
        return _band(values)


class BarrierRating(Strict):
    """For a vehicle barrier: a rating products of this kind are tested to (the run-up analysis
    matches it against the rating a perimeter point needs), and where that figure comes from."""

    rating: Text
    basis: Term

    @field_validator("rating")
    @classmethod
    def _parses(cls, value: str) -> str:
        from stoa.core.hvm.rating import RatingError, parse_rating

        try:
            parse_rating(value)
        except RatingError as exc:
            raise PydanticCustomError("rating", "{problem}", {"problem": str(exc)}) from None
        return value


class MeasureFields(Strict):
    """What a catalogue measure says beyond its identity; a city's local measure has exactly these."""

    technology_category: RefId
    solution_type: Literal["technological", "physical_design", "organisational_human"]
    timing: Literal["structural", "event", "both"]
    application: list[str] = Field(min_length=1)
    phases: list[str] = Field(min_length=1)
    uses: list[str] = Field(min_length=1)
    effects: list[MeasureEffect] = Field(min_length=1)
    cost: Cost
    deploy_days: DayBand
    trl: Annotated[StrictInt, Field(ge=1, le=9)]
    privacy: Impact
    gdpr: bool
    legal: Term | None = None
    normal_use_impact: Impact
    aesthetic_impact: Impact
    accessibility_impact: Impact
    standards: list[Text] = []
    barrier_rating: BarrierRating | None = None
    questions: list[RefId] = []
    """Question-bank ids whose unfavourable answer this measure answers (shown by the gap analysis)."""

    @field_validator("technology_category")
    @classmethod
    def _category(cls, value: str) -> str:
        return _one_of(TECHNOLOGY_REF_IDS, "technology category")([value])[0]

    @field_validator("application")
    @classmethod
    def _application(cls, values: list[str]) -> list[str]:
        return _one_of(APPLICATIONS, "point of application")(values)

    @field_validator("phases")
    @classmethod
    def _phases(cls, values: list[str]) -> list[str]:
        return _one_of(PHASE_REF_IDS, "attack phase")(values)

    @field_validator("uses")
    @classmethod
    def _uses(cls, values: list[str]) -> list[str]:
        return _one_of(USE_REF_IDS, "measure use")(values)

    @field_validator("deploy_days")
    @classmethod
    def _deploy(cls, values: list[int]) -> list[int]:
        return _band(values)

    @field_validator("effects")
    @classmethod
    def _one_effect_per_threat(cls, effects: list[MeasureEffect]) -> list[MeasureEffect]:
        threats = [e.threat for e in effects]
        repeated = sorted({t for t in threats if threats.count(t) > 1})
        if repeated:
            raise PydanticCustomError("effects", "one effect per threat type; repeated: {threats}",
                                      {"threats": ", ".join(repeated)})
        return effects


class Measure(ReferenceItem, MeasureFields):
    KIND = "measure"
    kind: Literal["measure"]


class ScenarioTemplate(ReferenceItem):
    """A ready-made scenario: ``narrative`` prefills the assessment scenario's text."""

    KIND = "scenario_template"
    kind: Literal["scenario_template"]
    threat: ThreatRef
    categories: list[str] = Field(min_length=1)
    attack_phase: str
    narrative: Term
    location: Term
    time_slot: Term

    @field_validator("threat")
    @classmethod
    def _named(cls, value: str) -> str:
        if value == ALL_THREATS:
            raise PydanticCustomError("threat", "a scenario template is about one threat type, not ALL", {})
        return value

    @field_validator("categories")
    @classmethod
    def _categories(cls, values: list[str]) -> list[str]:
        if values == [ALL_THREATS]:
            return values
        return _one_of(PSOI_CATEGORY_REF_IDS, "PSOI category (or ALL alone)")(values)

    @field_validator("attack_phase")
    @classmethod
    def _phase(cls, value: str) -> str:
        return _one_of(PHASE_REF_IDS, "attack phase")([value])[0]
