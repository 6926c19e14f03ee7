"""Load the fictional demo city (``valmont-sur-lys.yaml``) into the database.

* Idempotent: when every organisation of the file exists already, nothing is written and the
  result says so. A half-present demo (some organisations or user names taken) is refused with
  the names in the way, rather than guessed at.
* Atomic: one transaction; every object passes its model's own validation first.
* Passwords: all demo users share ONE random password generated at load time. Only its hash is
  stored; the caller shows it once. Nothing in the file or the database holds it in clear.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from pydantic import ValidationError as SchemaError

from stoa.accounts.models import Membership, Organisation
from stoa.core import geometry
from stoa.demo.schema import DemoCity, EventSpec, SiteSpec
from stoa.library.models import ReferenceObject
from stoa.sites.models import AccessPoint, CrowdSlot, Site, SiteEvent, SiteShare, Zone

DEMO_FILE = Path(__file__).with_name("valmont-sur-lys.yaml")
# No 0/o/1/l/i: the password is read off a terminal and typed by hand.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class DemoError(Exception):
    """The demo city cannot be loaded; the message says why and what to do."""


@dataclass
class DemoLogin:
    username: str
    role: str
    organisation: str


@dataclass
class DemoResult:
    city: str
    created: bool
    password: str | None = None
    logins: list[DemoLogin] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    site_count: int = 0
    assessment_count: int = 0


def generate_password() -> str:
    """Four groups of four characters (about 79 bits), e.g. ``k7mq-x2pd-9tfa-hw3e``."""
    groups = ("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))
    return "-".join(groups)


def read_demo_file(path: Path = DEMO_FILE) -> DemoCity:
    """Parse and check a demo file; DemoError names the file and the faulty entry."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DemoError(f"{path.name}: cannot read the demo file ({exc})") from exc
    try:
        return DemoCity.model_validate(raw)
    except SchemaError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'file'}: {err['msg']}" for err in exc.errors()
        )
        raise DemoError(f"{path.name}: {problems}") from exc


def load_demo(password: str | None = None, path: Path = DEMO_FILE,
              today: datetime.date | None = None) -> DemoResult:
    """Load the demo city unless it is there already. PASSWORD defaults to a fresh random one."""
    spec = read_demo_file(path)
    slugs = [org.slug for org in spec.organisations]
    present = set(Organisation.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    if present == set(slugs):
        orgs = sorted(Organisation.objects.filter(slug__in=slugs), key=lambda o: slugs.index(o.slug))
        return DemoResult(city=spec.city, created=False, organisations=orgs,
                          site_count=Site.objects.filter(organisation__slug=spec.owner.slug).count())
    _refuse_partial(spec, present)
    categories = _categories()
    password = password or generate_password()
    with transaction.atomic():
        result = _write(spec, password, categories, today or datetime.date.today(), path.parent)
    result.password = password
    return result


def _refuse_partial(spec: DemoCity, present: set[str]) -> None:
    if present:
        raise DemoError(
            f"some demo organisations exist already ({', '.join(sorted(present))}) but not all of them; "
            "the demo city can only be loaded into a database without them"
        )
    taken = list(get_user_model().objects.filter(username__in=[u.username for u in spec.users])
                 .values_list("username", flat=True))
    if taken:
        raise DemoError(f"these demo user names are taken already: {', '.join(sorted(taken))}")


def _categories() -> dict[str, ReferenceObject]:
    found = {obj.ref_id: obj for obj in ReferenceObject.objects.filter(kind="psoi_category")}
    missing = [ref for ref in ("TRANSPORT_HUB", "SQUARE", "SHOPPING", "NIGHTLIFE", "CULTURAL", "BUSINESS",
                               "WORSHIP", "INSTITUTIONAL") if ref not in found]
    if missing:
        raise DemoError(f"the PSOI categories {', '.join(missing)} are not loaded; "
                        "run `stoa library load` (or `stoa setup`) first")
    return found


def _valid(obj: Any, where: str) -> Any:
    try:
        obj.full_clean()
    except ValidationError as exc:
        details = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
        raise DemoError(f"{where}: {details}") from exc
    obj.save()
    return obj


def _write(spec: DemoCity, password: str, categories: dict[str, ReferenceObject],
           today: datetime.date, folder: Path) -> DemoResult:
    result = DemoResult(city=spec.city, created=True)
    orgs: dict[str, Organisation] = {}
    for org_spec in spec.organisations:  # parents come first in the file
        if org_spec.outline is not None:
            try:
                geometry.parse(org_spec.outline, ("Polygon", "MultiPolygon"))
            except geometry.GeometryError as exc:
                raise DemoError(f"organisation {org_spec.slug}: outline: {exc}") from exc
        org = Organisation(slug=org_spec.slug, name=org_spec.name, kind=org_spec.kind,
                           parent=orgs.get(org_spec.parent or ""), classification=org_spec.classification,
                           outline=org_spec.outline)
        orgs[org.slug] = _valid(org, f"organisation {org_spec.slug}")
    result.organisations = list(orgs.values())

    admins: dict[str, Any] = {}
    User = get_user_model()
    for user_spec in spec.users:
        user = User(username=user_spec.username, first_name=user_spec.first_name, last_name=user_spec.last_name)
        user.set_password(password)
        _valid(user, f"user {user_spec.username}")
        membership = Membership(user=user, organisation=orgs[user_spec.org], role=user_spec.role)
        _valid(membership, f"user {user_spec.username}")
        if user_spec.role == "admin":
            admins.setdefault(user_spec.org, user)
        result.logins.append(DemoLogin(user.username, membership.get_role_display(), orgs[user_spec.org].name))

    owner = orgs[spec.owner.slug]
    sites = {site_spec.key: _write_site(site_spec, owner, orgs, categories, admins.get(owner.slug), today)
             for site_spec in spec.sites}
    result.site_count = len(spec.sites)
    _write_networks(spec, owner, folder)
    result.assessment_count = _write_assessments(sites, today)
    return result


def _write_networks(spec: DemoCity, owner: Organisation, folder: Path) -> None:
    from stoa.core.hvm.streets import StreetFileError
    from stoa.engineering.vehicle import import_network

    for network in spec.street_networks:
        try:
            import_network(owner, network.name, (folder / network.file).read_bytes(), network.file, network.notes)
        except (OSError, StreetFileError) as exc:
            raise DemoError(f"street network {network.file}: {exc}") from exc


def _write_assessments(sites: dict[str, Site], today: datetime.date) -> int:
    from stoa.demo.assessments import DemoAssessmentError, load_assessments

    try:
        return len(load_assessments(sites, today))
    except DemoAssessmentError as exc:
        raise DemoError(str(exc)) from exc


def _write_site(spec: SiteSpec, owner: Organisation, orgs: dict[str, Organisation],
                categories: dict[str, ReferenceObject], shared_by: Any, today: datetime.date) -> Site:
    where = f"site {spec.key}"
    site = _valid(Site(organisation=owner, name=spec.name, category=categories[spec.category],
                       description=spec.description, ownership=spec.ownership, owner_name=spec.owner_name,
                       boundary=spec.boundary, surroundings=spec.surroundings,
                       symbolic_value=spec.symbolic_value), where)
    part = {"site": site, "organisation": owner}
    for z in spec.zones:
        _valid(Zone(name=z.name, geometry=z.outline, usable_share=z.usable_share, notes=z.notes, **part),
               f"{where}, zone {z.name}")
    for a in spec.access_points:
        _valid(AccessPoint(name=a.name, kind=a.kind, width_m=a.width_m, geometry=a.location, notes=a.notes, **part),
               f"{where}, access point {a.name}")
    for c in spec.crowd:
        _valid(CrowdSlot(label=c.label, days=c.days, start_time=c.start, end_time=c.end,
                         typical_people=c.typical, peak_people=c.peak, **part), f"{where}, crowd slot {c.label}")
    for e in spec.events:
        _write_event(e, part, where, today)
    for s in spec.shares:
        _valid(SiteShare(site=site, organisation=orgs[s.org], access=s.access, reason=s.reason, shared_by=shared_by),
               f"{where}, share with {s.org}")
    return site


def _write_event(spec: EventSpec, part: dict[str, Any], where: str, today: datetime.date) -> SiteEvent:
    first, last = spec.dates(today)
    layout = {"type": "FeatureCollection", "features": spec.layout} if spec.layout else None
    return _valid(SiteEvent(name=spec.name, start_date=first, end_date=last, expected_peak=spec.expected_peak,
                            recurrence=spec.recurrence, layout=layout, notes=spec.notes, **part),
                  f"{where}, event {spec.name}")
