"""Plain factory functions for test data."""

from __future__ import annotations

import io
import itertools
from typing import Any

from django.contrib.auth import get_user_model

from stoa.accounts.models import Membership, Organisation
from stoa.library.models import Library, ReferenceObject
from stoa.sites.models import AccessPoint, CrowdSlot, Site, SiteEvent, SiteShare, Zone

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-9"

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[4.3500, 50.8500], [4.3520, 50.8500], [4.3520, 50.8512], [4.3500, 50.8512], [4.3500, 50.8500]]],
}


def make_org(kind: str = "municipality", **kw: Any) -> Organisation:
    n = next(_seq)
    kw.setdefault("name", f"Org {n}")
    kw.setdefault("slug", f"org-{n}")
    return Organisation.objects.create(kind=kind, **kw)


def make_user(org: Organisation | None = None, role: str = "security_officer", **kw: Any) -> Any:
    n = next(_seq)
    user = get_user_model().objects.create_user(username=kw.pop("username", f"user{n}"), password=PASSWORD, **kw)
    if org is not None:
        Membership.objects.create(user=user, organisation=org, role=role)
    return user


def make_token(user: Any, name: str = "test token", **kw: Any) -> str:
    """A named API token of USER; returns the key for ``Authorization: Token <key>``."""
    from stoa.accounts.api_tokens import create_token

    return create_token(user, name, **kw)[1]


def test_library() -> Library:
    lib, _ = Library.objects.get_or_create(
        urn="urn:stoa:test:library", defaults={"version": 1, "provider": "tests", "name": "Test", "sha256": "0" * 64}
    )
    return lib


def category(ref_id: str = "SQUARE") -> ReferenceObject:
    existing = ReferenceObject.objects.filter(kind="psoi_category", ref_id=ref_id).first()
    if existing:
        return existing
    return ReferenceObject.objects.create(
        library=test_library(), kind="psoi_category", urn=f"urn:stoa:test:psoi-category:{ref_id.lower()}",
        ref_id=ref_id, name=ref_id.title(),
    )


def make_site(org: Organisation, **kw: Any) -> Site:
    n = next(_seq)
    kw.setdefault("name", f"Site {n}")
    kw.setdefault("category", category())
    kw.setdefault("boundary", SQUARE)
    return Site.objects.create(organisation=org, **kw)


def make_zone(site: Site, **kw: Any) -> Zone:
    kw.setdefault("name", "Market stalls")
    kw.setdefault("geometry", SQUARE)
    return Zone.objects.create(site=site, **kw)


def make_access_point(site: Site, **kw: Any) -> AccessPoint:
    kw.setdefault("name", "North street")
    kw.setdefault("kind", "vehicle")
    kw.setdefault("width_m", 6.0)
    kw.setdefault("geometry", {"type": "Point", "coordinates": [4.351, 50.8512]})
    return AccessPoint.objects.create(site=site, **kw)


def make_crowd_slot(site: Site, **kw: Any) -> CrowdSlot:
    import datetime

    kw.setdefault("label", "Saturday market")
    kw.setdefault("start_time", datetime.time(8))
    kw.setdefault("end_time", datetime.time(13))
    kw.setdefault("typical_people", 800)
    kw.setdefault("peak_people", 2000)
    return CrowdSlot.objects.create(site=site, **kw)


def make_event(site: Site, **kw: Any) -> SiteEvent:
    import datetime

    today = datetime.date.today()
    kw.setdefault("name", "Christmas market")
    kw.setdefault("start_date", today)
    kw.setdefault("end_date", today + datetime.timedelta(days=20))
    kw.setdefault("expected_peak", 6000)
    return SiteEvent.objects.create(site=site, **kw)


def share(site: Site, org: Organisation, access: str = "read") -> SiteShare:
    return SiteShare.objects.create(site=site, organisation=org, access=access)


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    """A real PNG picture. Uploaded pictures are decoded and encoded again (stoa.core.files), so a test
    file must be one; a Pillow-made PNG without metadata comes out of that byte for byte the same."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (180, 40, 40)).save(out, format="PNG")
    return out.getvalue()


PNG = png_bytes()
