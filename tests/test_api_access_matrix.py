"""Every API endpoint × every role × (own organisation, other organisation, shared read, shared edit).

The expected status is derived from ``stoa.accounts.roles`` (ROLE_ACTIONS, SHARE_ACTIONS), never
copied into a table here: change a role's rights there and these expectations follow.

The world: ``home`` owns site S (the target) and site H (never shared); ``away`` owns site A;
``stranger`` owns site X, shared with nobody the caller knows. S, H and X each carry a part of
the kind the endpoint under test serves (a zone, an attachment...).
The caller has ROLE in ``home`` (scope "own") or in ``away`` (the other scopes), and for the
shared scopes S is shared with ``away``. Lists and exports must show exactly what the caller may
see, and never H (outside "own") or X.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from auditlog.context import disable_auditlog
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from stoa.accounts.roles import ROLE_ACTIONS, SHARE_ACTIONS, Action
from stoa.sites.models import Attachment, Site, SiteShare
from tests import factories
from tests.conftest import ROLES
from tests.site_samples import POINT, SQUARE, make_categories, square_at

pytestmark = pytest.mark.django_db

SCOPES = ["own", "other", "shared_read", "shared_edit"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def effective(role: str, scope: str) -> frozenset[str]:
    """What ROLE may do on S in SCOPE, straight from the one role map."""
    if scope == "own":
        return ROLE_ACTIONS[role]
    if scope == "other":
        return frozenset()
    return ROLE_ACTIONS[role] & SHARE_ACTIONS[scope.removeprefix("shared_")]


@dataclass
class World:
    scope: str
    role: str
    orgs: dict[str, Any]
    sites: dict[str, Site]
    parts: dict[str, dict[str, Any]]  # endpoint name → site key → object
    shares: dict[str, SiteShare]
    caller: Any
    client: APIClient

    @property
    def caller_org(self) -> str:
        return "home" if self.scope == "own" else "away"

    def can_view_site(self, key: str) -> bool:
        """Whether the caller sees site KEY: their own organisation's, or S when shared."""
        if Action.VIEW not in ROLE_ACTIONS[self.role]:
            return False
        owner = {"S": "home", "H": "home", "A": "away", "X": "stranger"}[key]
        return owner == self.caller_org or (key == "S" and self.scope.startswith("shared"))


PART_FACTORIES: dict[str, Callable[[Site], Any]] = {
    "zones": factories.make_zone,
    "access-points": factories.make_access_point,
    "crowd-slots": factories.make_crowd_slot,
    "events": factories.make_event,
}


def _make_part(endpoint: str, site: Site) -> Any:
    if endpoint != "attachments":
        return PART_FACTORIES[endpoint](site)
    attachment = Attachment(site=site, kind="photo", title="North side", content_type="image/png", size=len(PNG))
    attachment.file.save("north.png", ContentFile(PNG), save=False)
    attachment.save()
    return attachment


@pytest.fixture(scope="module")
def api_client() -> APIClient:
    """One client for the module: building a client's middleware (static files) costs more than a test."""
    return APIClient()


@pytest.fixture(scope="module")
def media_root(tmp_path_factory: Any) -> Any:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Any, media_root: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = media_root


def build_world(role: str, scope: str, endpoint: str, client: APIClient) -> World:
    """The organisations, sites and shares above, with parts of ENDPOINT's kind on S, H and X."""
    with disable_auditlog():  # the world is the stage, not what is tested
        square, _hub = make_categories()
        orgs = {key: factories.make_org(name=key.title(), slug=f"{key}-org")
                for key in ("home", "away", "stranger", "third")}
        sites = {
            "S": factories.make_site(orgs["home"], name="Target square", category=square),
            "H": factories.make_site(orgs["home"], name="Hidden square", category=square, boundary=square_at(0.01)),
            "A": factories.make_site(orgs["away"], name="Away square", category=square, boundary=square_at(0.02)),
            "X": factories.make_site(orgs["stranger"], name="Stranger square", category=square,
                                     boundary=square_at(0.03)),
        }
        parts: dict[str, dict[str, Any]] = {}
        if endpoint in PART_FACTORIES or endpoint == "attachments":
            parts[endpoint] = {key: _make_part(endpoint, sites[key]) for key in ("S", "H", "X")}
        shares = {"S-third": factories.share(sites["S"], orgs["third"]),
                  "X-third": factories.share(sites["X"], orgs["third"])}
        if scope.startswith("shared"):
            shares["S-away"] = factories.share(sites["S"], orgs["away"], scope.removeprefix("shared_"))
        caller = factories.make_user(orgs["home" if scope == "own" else "away"], role)
    client.force_authenticate(caller)
    return World(scope, role, orgs, sites, parts, shares, caller, client)


# -- what each endpoint is, and what each operation needs --------------------------------------


@dataclass(frozen=True)
class Endpoint:
    name: str
    target: Callable[[World], Any]
    create: Callable[[World], dict[str, Any]] | None  # None: the endpoint has no create
    update: Callable[[World], dict[str, Any]] | None
    patch: tuple[str, Any] | None  # one field and a new value, to check the change landed (or not)
    change_action: str = Action.CHANGE
    delete_action: str = Action.DELETE
    visible: Callable[[World], set[str]] = lambda w: set()


def _site_id(w: World) -> str:
    return str(w.sites["S"].pk)


def _part_ids(name: str) -> Callable[[World], set[str]]:
    return lambda w: {str(obj.pk) for key, obj in w.parts[name].items() if w.can_view_site(key)}


def _share_ids(w: World) -> set[str]:
    if Action.VIEW not in ROLE_ACTIONS[w.role]:
        return set()
    if w.scope == "own":
        return {str(w.shares["S-third"].pk)}
    return {str(w.shares["S-away"].pk)} if "S-away" in w.shares else set()


def _part(name: str, create: Callable[[World], dict[str, Any]], update: Callable[[World], dict[str, Any]],
          patch: tuple[str, Any]) -> Endpoint:
    return Endpoint(name, lambda w: w.parts[name]["S"], create, update, patch, visible=_part_ids(name))


ENDPOINTS = {
    "sites": Endpoint(
        "sites", lambda w: w.sites["S"],
        lambda w: {"organisation": w.orgs["home"].slug, "name": "New square", "category": "SQUARE",
                   "boundary": square_at(0.05)},
        lambda w: {"name": "Renamed", "category": "SQUARE", "boundary": SQUARE},
        ("name", "Patched"),
        visible=lambda w: {str(s.pk) for k, s in w.sites.items() if w.can_view_site(k)},
    ),
    "zones": _part("zones", lambda w: {"site": _site_id(w), "name": "Stalls", "geometry": SQUARE},
                   lambda w: {"name": "Renamed", "geometry": SQUARE}, ("name", "Patched")),
    "access-points": _part(
        "access-points", lambda w: {"site": _site_id(w), "name": "Gate", "kind": "vehicle", "width_m": 4,
                                    "geometry": POINT},
        lambda w: {"name": "Renamed", "kind": "pedestrian", "width_m": 3, "geometry": POINT}, ("name", "Patched")),
    "crowd-slots": _part(
        "crowd-slots", lambda w: {"site": _site_id(w), "label": "Evening", "start_time": "18:00",
                                  "end_time": "22:00", "typical_people": 100, "peak_people": 300},
        lambda w: {"label": "Renamed", "start_time": "18:00", "end_time": "22:00", "typical_people": 100,
                   "peak_people": 300}, ("label", "Patched")),
    "events": _part(
        "events", lambda w: {"site": _site_id(w), "name": "Fair", "start_date": "2026-05-01",
                             "end_date": "2026-05-03", "expected_peak": 4000},
        lambda w: {"name": "Renamed", "start_date": "2026-05-01", "end_date": "2026-05-03", "expected_peak": 4000},
        ("name", "Patched")),
    "attachments": _part(
        "attachments", lambda w: {"site": _site_id(w), "kind": "photo", "title": "South side",
                                  "file": _png()},
        lambda w: {"kind": "plan", "title": "Renamed"}, ("title", "Patched")),
    "shares": Endpoint(
        "shares", lambda w: w.shares["S-third"] if w.scope in ("own", "other") else w.shares["S-away"],
        lambda w: {"site": _site_id(w), "organisation": w.orgs["stranger"].slug, "access": "read"},
        lambda w: {"access": "edit", "reason": "Renamed"}, ("reason", "Patched"),
        change_action=Action.SHARE, delete_action=Action.SHARE, visible=_share_ids,
    ),
    "organisations": Endpoint(
        "organisations", lambda w: w.orgs["home"], None, None, None,
        visible=lambda w: {str(w.orgs[w.caller_org].pk)},
    ),
}


def _png() -> io.BytesIO:
    file = io.BytesIO(PNG)
    file.name = "south.png"
    return file


def url(endpoint: Endpoint, world: World, obj: Any = None) -> str:
    if obj is None:
        return f"/api/v1/{endpoint.name}/"
    key = obj.slug if endpoint.name == "organisations" else obj.pk
    return f"/api/v1/{endpoint.name}/{key}/"


def object_status(eff: frozenset[str], action: str, success: int) -> int:
    """404 when the caller cannot see the object; else SUCCESS when they may take ACTION, else 403."""
    if Action.VIEW not in eff:
        return 404
    return success if action in eff else 403


def create_status(endpoint: Endpoint, eff: frozenset[str], scope: str) -> int:
    if endpoint.create is None:
        return 405
    if endpoint.name == "sites":  # created in home: only a member there whose role allows ADD
        return (201 if Action.ADD in eff else 403) if scope == "own" else 400
    needed = Action.SHARE if endpoint.name == "shares" else Action.CHANGE  # on the parent site
    return 400 if Action.VIEW not in eff else (201 if needed in eff else 403)


def _fmt(endpoint: Endpoint) -> str:
    return "multipart" if endpoint.name == "attachments" else "json"


OPERATIONS = ["list", "retrieve", "create", "update", "partial_update", "destroy"]
CASES = [(name, op) for name in ENDPOINTS for op in OPERATIONS] + [
    ("sites", "export_geojson"), ("sites", "export_csv"), ("sites", "import"), ("attachments", "download"),
]


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint_name", "operation"), CASES, ids=[f"{n}-{o}" for n, o in CASES])
def test_access(endpoint_name: str, operation: str, role: str, scope: str, api_client: APIClient) -> None:
    endpoint = ENDPOINTS[endpoint_name]
    world = build_world(role, scope, endpoint_name, api_client)
    eff = effective(role, scope)
    target = endpoint.target(world)
    client = world.client
    if endpoint.name == "organisations":  # a member sees their own organisations only
        eff = ROLE_ACTIONS[role] & {Action.VIEW} if scope == "own" else frozenset()

    if operation == "list":
        response = client.get(url(endpoint, world))
        assert response.status_code == 200
        assert {str(row["id"]) for row in response.json()["results"]} == endpoint.visible(world)

    elif operation == "retrieve":
        response = client.get(url(endpoint, world, target))
        assert response.status_code == object_status(eff, Action.VIEW, 200)

    elif operation == "create":
        before = type(target).objects.count()
        payload = endpoint.create(world) if endpoint.create else {}
        response = client.post(url(endpoint, world), payload, format=_fmt(endpoint))
        expected = create_status(endpoint, eff, scope)
        assert response.status_code == expected, response.content
        assert type(target).objects.count() == before + (1 if expected == 201 else 0)

    elif operation in ("update", "partial_update"):
        if endpoint.patch is None:
            assert client.patch(url(endpoint, world, target), {}, format="json").status_code == 405
            assert client.put(url(endpoint, world, target), {}, format="json").status_code == 405
            return
        field_name, value = endpoint.patch
        payload = {**endpoint.update(world), field_name: value} if operation == "update" else {field_name: value}
        send = client.put if operation == "update" else client.patch
        response = send(url(endpoint, world, target), payload, format="json")
        expected = object_status(eff, endpoint.change_action, 200)
        assert response.status_code == expected, response.content
        target.refresh_from_db()
        assert (getattr(target, field_name) == value) is (expected == 200)

    elif operation == "destroy":
        response = client.delete(url(endpoint, world, target))
        if endpoint.create is None:
            assert response.status_code == 405
            return
        expected = object_status(eff, endpoint.delete_action, 204)
        assert response.status_code == expected
        assert type(target).objects.filter(pk=target.pk).exists() is (expected != 204)

    elif operation.startswith("export"):
        fmt = operation.removeprefix("export_")
        response = client.get("/api/v1/sites/export/", {"format": fmt})
        assert response.status_code == 200
        text = response.content.decode()
        shown = {name for key, site in world.sites.items() if (name := site.name) in text}
        assert shown == {site.name for key, site in world.sites.items() if world.can_view_site(key)}
        if fmt == "geojson":
            assert {f["id"] for f in json.loads(text)["features"]} == endpoint.visible(world)

    elif operation == "import":
        data = json.dumps({"type": "FeatureCollection", "features": [{
            "type": "Feature", "geometry": square_at(0.06), "properties": {"name": "Imported", "category": "SQUARE"}}]})
        upload = io.BytesIO(data.encode())
        upload.name = "sites.geojson"
        before = Site.objects.count()
        response = client.post("/api/v1/sites/import/", {"file": upload, "organisation": world.orgs["home"].slug},
                               format="multipart")
        expected = (201 if Action.ADD in eff else 403) if scope == "own" else 400
        assert response.status_code == expected, response.content
        assert Site.objects.count() == before + (1 if expected == 201 else 0)

    elif operation == "download":
        response = client.get(f"/api/v1/attachments/{target.pk}/download/")
        assert response.status_code == object_status(eff, Action.VIEW, 200)
        if response.status_code == 200:
            assert b"".join(response.streaming_content) == PNG

    else:  # pragma: no cover - a typo in CASES
        raise AssertionError(operation)


def test_the_matrix_covers_every_registered_route():
    """A new endpoint on the router must be added to the matrix above."""
    from stoa.sites.api.urls import router

    assert {prefix for prefix, _viewset, _basename in router.registry} == set(ENDPOINTS)

