"""Every site page × every role × (own organisation, other organisation, shared read, shared edit).

The expected answer is derived from ``stoa.accounts.roles`` (ROLE_ACTIONS and SHARE_ACTIONS), not
copied by hand: a page that needs ACTION answers normally when the user's effective rights hold
it, 403 when the user may see the object but not take ACTION, and 404 when they may not see it.
Pages about the user's own organisation (list, create, import...) depend on the role only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from stoa.accounts.roles import ROLE_ACTIONS, SHARE_ACTIONS, Action, Role
from stoa.sites.models import Attachment
from tests import factories

pytestmark = pytest.mark.django_db

SCENARIOS = ["own", "other", "shared_read", "shared_edit"]
PART_KINDS = ["zones", "access-points", "crowd", "events"]


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[dict[str, Any]], str]
    action: str
    ok: int = 200
    method: str = "get"
    org_level: bool = False  # about the user's own organisation, not about the world's site

    def __str__(self) -> str:
        return self.name


def _parts_pages() -> list[Page]:
    pages = []
    for kind in PART_KINDS:
        pages += [
            Page(f"{kind}-section", lambda w, k=kind: reverse("sites:part-section", args=[w["site"].pk, k]),
                 Action.VIEW),
            Page(f"{kind}-add-form", lambda w, k=kind: reverse("sites:part-add", args=[w["site"].pk, k]),
                 Action.CHANGE),
            Page(f"{kind}-add-post", lambda w, k=kind: reverse("sites:part-add", args=[w["site"].pk, k]), Action.CHANGE,
                 ok=400, method="post"),
            Page(f"{kind}-edit-form", lambda w, k=kind: reverse("sites:part-edit", args=[k, w[k].pk]), Action.CHANGE),
            Page(f"{kind}-edit-post", lambda w, k=kind: reverse("sites:part-edit", args=[k, w[k].pk]), Action.CHANGE,
                 ok=400, method="post"),
            Page(f"{kind}-delete-confirm", lambda w, k=kind: reverse("sites:part-delete", args=[k, w[k].pk]),
                 Action.DELETE),
            Page(f"{kind}-delete-post", lambda w, k=kind: reverse("sites:part-delete", args=[k, w[k].pk]),
                 Action.DELETE, ok=302, method="post"),
        ]
    return pages


PAGES: list[Page] = [
    Page("home", lambda w: reverse("home"), Action.VIEW, org_level=True),
    Page("list", lambda w: reverse("sites:list"), Action.VIEW, org_level=True),
    Page("map-data", lambda w: reverse("sites:map-data"), Action.VIEW, org_level=True),
    Page("create-form", lambda w: reverse("sites:create"), Action.ADD, org_level=True),
    Page("create-post", lambda w: reverse("sites:create"), Action.ADD, method="post", org_level=True),
    Page("import-page", lambda w: reverse("sites:import"), Action.VIEW, org_level=True),
    Page("import-post", lambda w: reverse("sites:import"), Action.ADD, ok=400, method="post", org_level=True),
    Page("export-geojson", lambda w: reverse("sites:export", args=["geojson"]), Action.VIEW, org_level=True),
    Page("export-csv", lambda w: reverse("sites:export", args=["csv"]), Action.VIEW, org_level=True),
    Page("detail", lambda w: reverse("sites:detail", args=[w["site"].pk]), Action.VIEW),
    Page("edit-form", lambda w: reverse("sites:edit", args=[w["site"].pk]), Action.CHANGE),
    Page("edit-post", lambda w: reverse("sites:edit", args=[w["site"].pk]), Action.CHANGE, method="post"),
    Page("delete-confirm", lambda w: reverse("sites:delete", args=[w["site"].pk]), Action.DELETE),
    Page("delete-post", lambda w: reverse("sites:delete", args=[w["site"].pk]), Action.DELETE, ok=302, method="post"),
    *_parts_pages(),
    Page("attachment-add", lambda w: reverse("sites:attachment-add", args=[w["site"].pk]), Action.CHANGE,
         ok=400, method="post"),
    Page("attachment-download", lambda w: reverse("sites:attachment-download", args=[w["attachment"].pk]),
         Action.VIEW),
    Page("attachment-delete-confirm", lambda w: reverse("sites:attachment-delete", args=[w["attachment"].pk]),
         Action.DELETE),
    Page("attachment-delete-post", lambda w: reverse("sites:attachment-delete", args=[w["attachment"].pk]),
         Action.DELETE, ok=302, method="post"),
    Page("share-form", lambda w: reverse("sites:share-add", args=[w["site"].pk]), Action.SHARE),
    Page("share-add", lambda w: reverse("sites:share-add", args=[w["site"].pk]), Action.SHARE, ok=400, method="post"),
    Page("share-remove-confirm", lambda w: reverse("sites:share-remove", args=[w["site"].pk, w["share"].pk]),
         Action.SHARE),
    Page("share-remove-post", lambda w: reverse("sites:share-remove", args=[w["site"].pk, w["share"].pk]),
         Action.SHARE, ok=302, method="post"),
]


def effective_actions(role: str, scenario: str) -> frozenset[str]:
    """What a member with ROLE may do on the world's site in SCENARIO, by the rules in roles.py."""
    if scenario == "own":
        return ROLE_ACTIONS[role]
    if scenario == "other":
        return frozenset()
    level = scenario.removeprefix("shared_")
    return ROLE_ACTIONS[role] & SHARE_ACTIONS[level]


def expected_status(page: Page, role: str, scenario: str) -> int:
    if page.org_level:
        return page.ok if page.action in ROLE_ACTIONS[role] else 403
    rights = effective_actions(role, scenario)
    if page.action in rights:
        return page.ok
    return 403 if Action.VIEW in rights else 404


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(org, other_org) -> dict[str, Any]:
    """A site of ORG with one of every part, a photo, and a share with a third organisation."""
    site = factories.make_site(org, name="Market Square")
    attachment = Attachment(site=site, kind="photo", title="North", content_type="image/png", size=9)
    attachment.file.save("north.png", ContentFile(b"\x89PNG\r\n\x1a\n\x00"), save=False)
    attachment.save()
    return {
        "site": site,
        "zones": factories.make_zone(site),
        "access-points": factories.make_access_point(site),
        "crowd": factories.make_crowd_slot(site),
        "events": factories.make_event(site),
        "attachment": attachment,
        "share": factories.share(site, factories.make_org(name="Third Town")),
    }


def _member(role: str, scenario: str, world: dict[str, Any], org: Any, other_org: Any) -> Any:
    if scenario == "own":
        return factories.make_user(org, role)
    if scenario != "other":
        factories.share(world["site"], other_org, scenario.removeprefix("shared_"))
    return factories.make_user(other_org, role)


# Pages about the user's own organisation do not change with shares: own and other suffice there.
CASES = [
    pytest.param(page, role, scenario, id=f"{page}-{role}-{scenario}")
    for page in PAGES for role in Role.values for scenario in SCENARIOS
    if not (page.org_level and scenario.startswith("shared_"))
]


@pytest.mark.parametrize(("target", "role", "scenario"), CASES)
def test_page_answers_as_the_roles_say(client, world, org, other_org, target, role, scenario):
    client.force_login(_member(role, scenario, world, org, other_org))
    response = getattr(client, target.method)(target.url(world))
    assert response.status_code == expected_status(target, role, scenario), (target.name, role, scenario)


@pytest.mark.parametrize("target", PAGES, ids=str)
def test_anonymous_visitors_are_sent_to_log_in(client, world, target):
    response = getattr(client, target.method)(target.url(world))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_matrix_exercises_every_outcome():
    """Guards the derivation: allowed, forbidden (403) and hidden (404) all occur."""
    outcomes = {expected_status(p, r, s) for p in PAGES for r in Role.values for s in SCENARIOS}
    assert {200, 302, 400, 403, 404} <= outcomes


def test_every_site_route_is_in_the_matrix(world):
    from django.urls import resolve

    from stoa.sites.urls import urlpatterns

    covered = {resolve(page.url(world)).url_name for page in PAGES}
    assert {p.name for p in urlpatterns} <= covered
