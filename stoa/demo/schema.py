"""The shape of a demo-city file (``stoa/demo/*.yaml``), checked before anything is written.

Geometry is only checked for shape here; ``stoa.demo.loader`` runs each model's own validation
(shapely, via ``stoa.core.geometry``) so the demo city passes exactly the checks users' data does.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from stoa.accounts.models import OrganisationKind
from stoa.accounts.roles import Role
from stoa.sites.models import AccessKind, Ownership, ShareAccess

CATEGORIES = ("TRANSPORT_HUB", "SQUARE", "SHOPPING", "NIGHTLIFE", "CULTURAL", "BUSINESS", "WORSHIP", "INSTITUTIONAL")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _choice(value: str, allowed: list[str], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; choose one of {', '.join(allowed)}")
    return value


class OrganisationSpec(_Strict):
    slug: str = Field(min_length=1, max_length=60)
    name: str = Field(min_length=1, max_length=200)
    kind: str
    parent: str | None = None
    classification: str = Field(default="RESTRICTED", max_length=60)
    outline: dict[str, Any] | None = None

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        return _choice(value, list(OrganisationKind.values), "organisation kind")


class UserSpec(_Strict):
    username: str = Field(min_length=1, max_length=150)
    first_name: str = ""
    last_name: str = ""
    org: str
    role: str

    @field_validator("role")
    @classmethod
    def _role(cls, value: str) -> str:
        return _choice(value, list(Role.values), "role")


class ZoneSpec(_Strict):
    name: str = Field(min_length=1)
    outline: dict[str, Any]
    usable_share: float = 1.0
    notes: str = ""


class AccessPointSpec(_Strict):
    name: str = Field(min_length=1)
    kind: str
    width_m: float
    location: dict[str, Any]
    notes: str = ""

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        return _choice(value, list(AccessKind.values), "access kind")


class CrowdSlotSpec(_Strict):
    label: str = Field(min_length=1)
    days: str = ""
    start: datetime.time = Field(alias="from")
    end: datetime.time = Field(alias="to")
    typical: int = Field(ge=0)
    peak: int = Field(ge=0)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _quoted_time(cls, value: Any) -> Any:
        # Unquoted 18:00 is a base-60 integer in YAML 1.1; refuse it rather than read 00:18.
        if not isinstance(value, str | datetime.time):
            raise ValueError("write the time as a quoted 'HH:MM' text")
        return value


class EventSpec(_Strict):
    """A yearly event; START and END are month-day (``"11-27"``) and may wrap over New Year."""

    name: str = Field(min_length=1)
    start: str = Field(pattern=r"^\d\d-\d\d$")
    end: str = Field(pattern=r"^\d\d-\d\d$")
    expected_peak: int = Field(ge=0)
    recurrence: str = ""
    notes: str = ""
    layout: list[dict[str, Any]] = []

    @field_validator("start", "end")
    @classmethod
    def _month_day(cls, value: str) -> str:
        month, day = (int(part) for part in value.split("-"))
        datetime.date(2000, month, day)  # a leap year, so 02-29 is accepted; raises on an impossible date
        return value

    def dates(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        """The current or next occurrence: the one whose last day is today or later."""
        for year in (today.year - 1, today.year, today.year + 1):
            first = _on(year, self.start)
            last = _on(year + 1 if self.end < self.start else year, self.end)
            if last >= today:
                return first, last
        raise AssertionError("unreachable: next year's occurrence always ends after today")


def _on(year: int, month_day: str) -> datetime.date:
    month, day = (int(part) for part in month_day.split("-"))
    if (month, day) == (2, 29):
        day = 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return datetime.date(year, month, day)


class ShareSpec(_Strict):
    org: str
    access: str = "read"
    reason: str = ""

    @field_validator("access")
    @classmethod
    def _access(cls, value: str) -> str:
        return _choice(value, list(ShareAccess.values), "share access")


class SiteSpec(_Strict):
    key: str = Field(min_length=1)
    name: str = Field(min_length=1, max_length=200)
    category: str
    ownership: str = "public"
    owner_name: str = ""
    symbolic_value: int = Field(default=1, ge=1, le=3)
    description: str = ""
    surroundings: str = ""
    boundary: dict[str, Any]
    zones: list[ZoneSpec] = []
    access_points: list[AccessPointSpec] = []
    crowd: list[CrowdSlotSpec] = []
    events: list[EventSpec] = []
    shares: list[ShareSpec] = []

    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        return _choice(value, list(CATEGORIES), "category")

    @field_validator("ownership")
    @classmethod
    def _ownership(cls, value: str) -> str:
        return _choice(value, list(Ownership.values), "ownership")


class StreetNetworkSpec(_Strict):
    """A street file shipped next to the demo file, imported for the owner organisation."""

    name: str = Field(min_length=1, max_length=200)
    file: str = Field(min_length=1, pattern=r"^[A-Za-z0-9._-]+$")
    notes: str = ""


class DemoCity(_Strict):
    format: Literal["stoa-demo-city"]
    version: int
    fictional: Literal[True]
    notice: str = Field(min_length=1)
    city: str = Field(min_length=1)
    organisations: list[OrganisationSpec] = Field(min_length=1)
    users: list[UserSpec] = []
    sites: list[SiteSpec] = []
    street_networks: list[StreetNetworkSpec] = []

    @model_validator(mode="after")
    def _references(self) -> DemoCity:
        slugs = [org.slug for org in self.organisations]
        _unique(slugs, "organisation slug")
        _unique([user.username for user in self.users], "user name")
        _unique([site.key for site in self.sites], "site key")
        earlier: set[str] = set()
        for org in self.organisations:
            if org.parent and org.parent not in earlier:
                raise ValueError(f"organisation {org.slug}: its region {org.parent!r} must be listed before it")
            earlier.add(org.slug)
        known = set(slugs)
        for user in self.users:
            if user.org not in known:
                raise ValueError(f"user {user.username}: organisation {user.org!r} is not in the file")
        for site in self.sites:
            for share in site.shares:
                if share.org not in known:
                    raise ValueError(f"site {site.key}: shared with {share.org!r}, which is not in the file")
        _ = self.owner  # refuses a file without a municipality
        return self

    @property
    def owner(self) -> OrganisationSpec:
        """The organisation that owns the public spaces: the file's (first) municipality."""
        for org in self.organisations:
            if org.kind == OrganisationKind.MUNICIPALITY:
                return org
        raise ValueError("the demo city needs a municipality to own its public spaces")


def _unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} appears twice")
        seen.add(value)
