"""The shape of the demo assessments file (``valmont-assessments.yaml``), checked before anything is written.

Answers and ratings are only checked for shape here; ``stoa.demo.assessments`` passes each one through
the same checks as an answer typed on the question pages and a rating chosen on the ratings page.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TeamSpec(_Strict):
    name: str = Field(min_length=1, max_length=200)
    organisation: str = ""
    role: str = ""
    user: str | None = None


class SettledSpec(_Strict):
    value: Any
    note: str = ""


class MeasureSpec(_Strict):
    description: str = Field(min_length=1, max_length=300)
    nature: Literal["natural", "emplaced"] = "emplaced"
    timing: Literal["structural", "event"] = "structural"
    technology_category: str | None = None
    threats: list[str] = []
    location: dict[str, Any] | None = None
    catalogue: str = ""  # the catalogue entry's URN, so the gap analysis knows it is there
    barrier_rating: str = ""  # a tested vehicle barrier's rating, e.g. V/7200[N2A]/48/90


class ScenarioSpec(_Strict):
    narrative: str = ""
    phase: str | None = None
    location: str = ""
    geometry: dict[str, Any] | None = None
    time_slot: str = ""
    not_applicable: str | None = None  # the reason, when the threat does not apply
    rating: Literal["proposed"] | tuple[int, int] | None = None
    justification: str = ""


class RequirementSpec(_Strict):
    text: str = Field(min_length=1)
    scope: Literal["general", "site"] = "site"
    priority: Literal["must", "desirable"] = "must"
    threats: list[str] = []
    criterion: str = ""  # a measurable condition (stoa.core.catalogue.requirements) and its limit
    limit: str = ""


class ObjectiveSpec(_Strict):
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    scenarios: list[str] = []
    requirements: list[RequirementSpec] = []


class WhatIfSpec(_Strict):
    """A saved what-if option: a name and its candidate measures (catalogue URNs)."""

    name: str = Field(min_length=1, max_length=200)
    measures: list[str] = Field(min_length=1)
    notes: str = ""


class AssessmentSpec(_Strict):
    key: str = Field(min_length=1)
    site: str
    days_ago: int = Field(ge=0, le=3650)
    depth: Literal["quick", "full"] = "quick"
    managing_body: str = ""
    lead: str
    status: Literal["draft", "submitted", "signed_off"] = "draft"
    signed_off_by: str | None = None
    reassessment_of: str | None = None
    # In a re-assessment, re-rate every copied scenario the file does not list at Stoa's new proposal.
    accept_proposals: bool = False
    team: list[TeamSpec] = []
    answers: dict[str, dict[str, Any]] = {}
    settled: dict[str, SettledSpec] = {}
    measures: list[MeasureSpec] = []
    scenarios: dict[str, ScenarioSpec] = {}
    objectives: list[ObjectiveSpec] = []
    whatif: list[WhatIfSpec] = []

    @model_validator(mode="after")
    def _sign_off_by_someone_else(self) -> AssessmentSpec:
        if self.status == "signed_off" and (not self.signed_off_by or self.signed_off_by == self.lead):
            raise ValueError("a signed-off assessment needs signed_off_by, someone other than the lead")
        return self


class DemoAssessments(_Strict):
    format: Literal["stoa-demo-assessments"]
    version: Literal[1]
    assessments: list[AssessmentSpec]

    @model_validator(mode="after")
    def _earlier_first(self) -> DemoAssessments:
        seen: set[str] = set()
        for spec in self.assessments:
            if spec.key in seen:
                raise ValueError(f"assessment key {spec.key!r} is used twice")
            if spec.reassessment_of and spec.reassessment_of not in seen:
                raise ValueError(f"{spec.key}: reassessment_of {spec.reassessment_of!r} must come earlier in the file")
            seen.add(spec.key)
        return self
