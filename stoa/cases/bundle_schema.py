"""The schema of a case bundle, version 1 (pydantic, strict: an unknown or misspelt key is an error).

The envelope (``format``, ``version``, ``sha256``) is checked by hand first in ``stoa.cases.bundle``
so a foreign file, a newer version and a changed byte each get their own message; this schema
judges the rest. It also holds the bundle to its own redaction flags: a bundle that says it
carries no names but has a ``names`` block, or no geometry but has coordinates, is refused.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field, StrictBool, StrictFloat, StrictInt, StringConstraints, model_validator

from stoa.core import geometry
from stoa.library.schema_base import RefId, Strict, Text

FORMAT = "stoa-case-bundle"
VERSION = 1
TLP_LABELS = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")

Euro = Annotated[StrictInt, Field(ge=0, le=2_000_000_000)]
Score = Annotated[StrictInt | StrictFloat, Field(ge=0, le=100)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]


class Measure(Strict):
    name: Annotated[Text, StringConstraints(max_length=300)]
    catalogue_key: Annotated[str, StringConstraints(max_length=250)] = ""
    capital_eur: Euro
    yearly_eur: Euro
    status: Literal["planned", "in_progress", "done", "cancelled"]


class RiskRow(Strict):
    threat: RefId
    before: Score
    after: Score


class Case(Strict):
    title: Annotated[Text, StringConstraints(max_length=200)]
    category: RefId
    threats: Annotated[list[RefId], Field(min_length=1, max_length=20)]
    measures: Annotated[list[Measure], Field(max_length=500)]
    capital_eur: Euro
    yearly_eur: Euro
    risk_profile: Annotated[list[RiskRow], Field(max_length=20)]
    outcome: Text
    lessons: Text
    written: datetime.date


class Redaction(Strict):
    include_geometry: StrictBool
    include_names: StrictBool
    include_exact_location: StrictBool


class Names(Strict):
    site: Line = ""
    organisation: Line = ""
    plan_owner: Line = ""


class Location(Strict):
    surroundings: str = ""
    centroid: tuple[StrictFloat, StrictFloat] | None = None
    boundary: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _valid_geometry(self) -> Location:
        if self.boundary is not None:
            try:
                geometry.parse(self.boundary, ("Polygon", "MultiPolygon"))
            except geometry.GeometryError as exc:
                raise ValueError(f"the boundary is not a valid GeoJSON polygon ({exc})") from exc
        if self.centroid is not None and not (-180 <= self.centroid[0] <= 180 and -90 <= self.centroid[1] <= 90):
            raise ValueError("the centroid is not a WGS84 longitude and latitude")
        return self


class Payload(Strict):
    case: Case
    redaction: Redaction
    names: Names | None = None
    location: Location | None = None

    @model_validator(mode="after")
    def _keeps_its_own_redaction(self) -> Payload:
        r = self.redaction
        if self.names is not None and not r.include_names:
            raise ValueError("the bundle says it carries no names but has a names block")
        if self.location is not None and not r.include_exact_location:
            raise ValueError("the bundle says it carries no exact location but has a location block")
        has_coordinates = self.location is not None and (self.location.centroid is not None
                                                         or self.location.boundary is not None)
        if has_coordinates and not r.include_geometry:
            raise ValueError("the bundle says it carries no geometry but has coordinates")
        return self


class Bundle(Strict):
    format: Literal["stoa-case-bundle"]
    version: Literal[1]
    created_at: AwareDatetime
    installation: uuid.UUID
    distribution: Literal["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]
    payload: Payload
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
