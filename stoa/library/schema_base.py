"""The building blocks every library schema shares: identity, bilingual text, sources, references.

Split from ``stoa.library.schema`` so each family of kinds (``schema`` for the assessment kinds,
``catalogue_schema`` for measures and scenario templates) can build on the same pieces.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StrictInt,
    StringConstraints,
    field_validator,
    model_serializer,
)
from pydantic_core import PydanticCustomError

# The ten threat types of the EU VAT (threat-types.yaml): a question's effects may only name one of
# these, or ALL. Checked here, without the database, so a bank is judged the same way everywhere.
THREAT_REF_IDS = ("FIREARMS", "SHARP_OBJECT", "VEHICLE", "IED", "PBIED", "UAVIED", "VBIED", "CHEMICAL",
                  "BIOLOGICAL", "RADIOLOGICAL")
ALL_THREATS = "ALL"
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
LIBRARY_URN = re.compile(rf"^urn:{SLUG}:library:{SLUG}$")
REF_ID = re.compile(r"^[A-Z][A-Z0-9_]*$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
LEVEL_ID = re.compile(r"^[a-z][a-z0-9_]*$")
URL = re.compile(r"^https?://\S+$")


def object_urn_pattern(kind: str) -> re.Pattern[str]:
    """``urn:<namespace>:<kind with hyphens>:<name>``, e.g. ``urn:stoa:psoi-category:square``."""
    return re.compile(rf"^urn:{SLUG}:{kind.replace('_', '-')}:{SLUG}$")


def _matching(pattern: re.Pattern[str], expected: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if not pattern.match(value):
            raise PydanticCustomError("pattern", "expected {expected}, got {value}",
                                      {"expected": expected, "value": repr(value)})
        return value

    return check


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Colour = Annotated[str, AfterValidator(_matching(COLOUR, "a colour written #rrggbb"))]
RefId = Annotated[str, StringConstraints(max_length=80),
                  AfterValidator(_matching(REF_ID, "upper-case letters, digits and _, e.g. TRANSPORT_HUB"))]
Url = Annotated[str, AfterValidator(_matching(URL, "an http(s) address"))]
Position = Annotated[StrictInt, Field(ge=1)]


class Strict(BaseModel):
    """Unknown fields are errors: a misspelt key must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _DropsMissing(Strict):
    """Languages a file does not carry are left out when dumped, not stored as null: readers look a
    language up with ``.get(lang, {})`` and fall back to English."""

    @model_serializer(mode="wrap")
    def _without_missing(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        return {key: value for key, value in handler(self).items() if value is not None}


class TextFr(Strict):
    name: Text
    description: Text


class TextOther(_DropsMissing):
    """Another language's text; it comes from the translation files and may lag behind the English."""

    name: Text | None = None
    description: Text | None = None


class Translations(_DropsMissing):
    """French is written in the file itself; the other interface languages are merged in from
    ``translations/<lang>/<file>`` by ``stoa.library.translations`` before validation."""

    fr: TextFr
    nl: TextOther | None = None
    es: TextOther | None = None
    lt: TextOther | None = None
    el: TextOther | None = None
    ro: TextOther | None = None


class Term(_DropsMissing):
    """A short multilingual term, such as an example ("train station" / "gare")."""

    en: Text
    fr: Text
    nl: Text | None = None
    es: Text | None = None
    lt: Text | None = None
    el: Text | None = None
    ro: Text | None = None


class Source(Strict):
    title: Text
    url: Url | None = None
    note: Text | None = None


class ReferenceItem(Strict):
    """What every typed object has: identity, bilingual text and optional sources."""

    KIND: ClassVar[str] = ""

    urn: str
    ref_id: RefId
    name: Text
    description: Text
    translations: Translations
    sources: list[Source] = []
    order: Position | None = None

    @field_validator("urn")
    @classmethod
    def _urn_matches_kind(cls, value: str) -> str:
        segment = cls.KIND.replace("_", "-")
        return _matching(object_urn_pattern(cls.KIND), f"a URN like urn:stoa:{segment}:some-name")(value)


def _threat(value: str) -> str:
    if value != ALL_THREATS and value not in THREAT_REF_IDS:
        raise PydanticCustomError("threat", "unknown threat type {value}; expected ALL or one of: {known}",
                                  {"value": repr(value), "known": ", ".join(THREAT_REF_IDS)})
    return value


ThreatRef = Annotated[str, AfterValidator(_threat)]
Number = Annotated[float, Field(strict=True)]
ChoiceId = Annotated[str, AfterValidator(_matching(LEVEL_ID, "lower-case letters, digits and _, e.g. yes"))]
