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

import datetime
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
from stoa.assessments.models import Assessment
from stoa.evaluation.models import Alternative, CriteriaSet, Expert, Score, Weighting
from stoa.procurement.models import Clarification, Demonstration, RfiInvitation, RfiRequirement, SubmissionAttachment
from stoa.sites.models import Attachment, Site, SiteShare
from tests import factories
from tests.assessment_samples import make_assessment
from tests.conftest import ROLES
from tests.evaluation_samples import make_evaluation, make_rfi, make_submission, small_criteria
from tests.site_samples import POINT, SQUARE, make_categories, square_at

pytestmark = pytest.mark.django_db

SCOPES = ["own", "other", "shared_read", "shared_edit"]
PNG = factories.PNG  # a real picture: uploads are re-encoded


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
        elif endpoint in TEF_PARTS:  # evaluations and RFIs: one on each of S, H and X
            parts[endpoint] = {key: TEF_PARTS[endpoint](sites[key]) for key in ("S", "H", "X")}
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
    # Endpoints that do not follow the site (an RFI stays with its city) say what ROLE in SCOPE may
    # do, and what creating answers; nested ones (``base``: the target's list path) answer 404 for
    # every method when their parent is unseen.
    rights: Callable[[str, str], frozenset[str]] | None = None
    create_expect: Callable[[str, str], int] | None = None
    base: Callable[[Any], str] | None = None
    deletable: bool = True
    fmt: str = "json"
    route: str = ""  # the router prefix, when it is not the name


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


# -- technology evaluation and RFIs (stoa.evaluation.api, stoa.procurement.api) ----------------
#
# Evaluations and their parts follow the assessment's site, like the site's own parts; a score is
# entered by whoever may change the evaluation (an expert's own seat is tested in
# tests/test_evaluation_api.py). Criteria sets and RFIs stay with their organisation: no site
# share reaches them. The callers here are city members: the vendors' side (invitations, their
# answers) is tested in tests/test_procurement_api.py.

PDF = b"%PDF-1.4\n" + b"0" * 32
_WHEN = datetime.datetime(2030, 5, 1, 10, 0, tzinfo=datetime.UTC)


def _bare_assessment(site: Site) -> Assessment:
    return Assessment.objects.create(site=site, date=datetime.date(2025, 5, 1))


def _evaluation(site: Site) -> Any:
    return make_evaluation(_bare_assessment(site))


def _vendor() -> Any:
    return factories.make_org(kind="vendor")


def _scored(site: Site) -> Score:
    evaluation = _evaluation(site)
    return Score.objects.create(evaluation=evaluation, criterion="EFFECT", value=4,
                                expert=Expert.objects.create(evaluation=evaluation, name="Ana", conflicts="none"),
                                alternative=Alternative.objects.create(evaluation=evaluation, name="Bollards"))


def _answer(site: Site) -> Any:
    rfi = make_rfi(_bare_assessment(site), evaluation=_evaluation(site))
    return make_submission(rfi, _vendor(), status="submitted")


def _attached(site: Site) -> SubmissionAttachment:
    attachment = SubmissionAttachment(submission=_answer(site), name="Crash test", content_type="application/pdf",
                                      size=len(PDF))
    attachment.file.save("crash.pdf", ContentFile(PDF), save=False)
    attachment.save()
    return attachment


def _demonstration(site: Site) -> Demonstration:
    answer = _answer(site)
    Alternative.objects.create(evaluation=answer.rfi.evaluation, name=answer.solution, submission=answer,
                               shortlisted=True)
    return Demonstration.objects.create(rfi=answer.rfi, submission=answer, starts_at=_WHEN)


TEF_PARTS: dict[str, Callable[[Site], Any]] = {
    "evaluations": _evaluation,
    "evaluation-alternatives": lambda site: Alternative.objects.create(evaluation=_evaluation(site), name="Bollards"),
    "evaluation-experts": lambda site: Expert.objects.create(evaluation=_evaluation(site), name="Ana",
                                                             conflicts="none"),
    "evaluation-scores": _scored,
    "evaluation-weightings": lambda site: Weighting.objects.create(
        evaluation=_evaluation(site), method="direct", inputs={"points": {"EFFECT": 1}}, weights={"EFFECT": 1.0}),
    "criteria-sets": lambda site: CriteriaSet.objects.create(organisation=site.organisation, name="Ours",
                                                             data=small_criteria()),
    "rfis": lambda site: make_rfi(_bare_assessment(site), published=False),
    "rfi-requirements": lambda site: RfiRequirement.objects.create(
        rfi=make_rfi(_bare_assessment(site), published=False), text="Crash rated"),
    "rfi-invitations": lambda site: RfiInvitation.objects.create(
        rfi=make_rfi(_bare_assessment(site), published=False), vendor=_vendor()),
    "rfi-clarifications": lambda site: Clarification.objects.create(rfi=make_rfi(_bare_assessment(site)),
                                                                    question="Removable bollards?"),
    "submissions": _answer,
    "submission-attachments": _attached,
    "demonstrations": _demonstration,
}


def _own_only(role: str, scope: str) -> frozenset[str]:
    return ROLE_ACTIONS[role] if scope == "own" else frozenset()


def _city_reads(role: str, scope: str) -> frozenset[str]:
    """A vendor's answer: the city that asked reads it once submitted, nobody else."""
    return ROLE_ACTIONS[role] & {Action.VIEW} if scope == "own" else frozenset()


def _scoring(role: str, scope: str) -> frozenset[str]:
    """Scores follow the site; whoever may change the evaluation enters, changes and removes them."""
    eff = effective(role, scope)
    return (eff & {Action.VIEW}) | ({Action.CHANGE, Action.DELETE} if Action.CHANGE in eff else set())


def _nested_create(rights: Callable[[str, str], frozenset[str]], needed: str = Action.CHANGE,
                   refused: int = 403) -> Callable[[str, str], int]:
    """Creating under a parent: 404 when it is unseen, else 201 with NEEDED, else REFUSED."""
    def expect(role: str, scope: str) -> int:
        eff = rights(role, scope)
        return 404 if Action.VIEW not in eff else (201 if needed in eff else refused)
    return expect


def _only_vendors(role: str, scope: str) -> int:
    """Asking a question under an RFI: 404 when it is unseen; a city member is no vendor (403)."""
    return 403 if scope == "own" else 404


def _by_body(role: str, scope: str) -> int:
    """Creating a record of the city's, for an assessment (an RFI) or an RFI (a demonstration) named in the
    body: 400 when that is unseen, 201 with change as a member of the city, else 403."""
    if scope == "own":
        return 201 if Action.CHANGE in ROLE_ACTIONS[role] else 403
    return 400 if scope == "other" else 403


def _by_rfi(role: str, scope: str) -> int:
    """As ``_by_body``, for an RFI named in the body: no site share shows it."""
    return _by_body(role, scope) if scope == "own" else 400


def _nested_ids(name: str) -> Callable[[World], set[str]]:
    return lambda w: {str(w.parts[name]["S"].pk)} if w.can_view_site("S") else set()


def _own_ids(name: str, keys: tuple[str, ...] = ("S", "H")) -> Callable[[World], set[str]]:
    return lambda w: {str(w.parts[name][k].pk) for k in keys} if w.scope == "own" and w.can_view_site("S") else set()


def _ids_of(obj: Any, *names: str) -> dict[str, str]:
    return {name: str(getattr(obj, f"{name}_id")) for name in names}


def _evaluation_body(w: World) -> dict[str, Any]:
    own = CriteriaSet.objects.create(organisation=w.orgs["home"], name="Ours", data=small_criteria())
    return {"assessment": str(w.parts["evaluations"]["S"].assessment_id), "title": "Entrances",
            "criteria_source": f"own:{own.pk}"}


def _rfi_body(w: World) -> dict[str, Any]:
    assessment = make_assessment(w.sites["S"])
    own = CriteriaSet.objects.create(organisation=w.orgs["home"], name="Ours", data=small_criteria())
    return {"assessment": str(assessment.pk), "scenarios": [str(assessment.scenarios.get(threat__ref_id="VEHICLE").pk)],
            "criteria_source": f"own:{own.pk}", "title": "Barriers", "opens_at": _WHEN.isoformat(),
            "closes_at": (_WHEN + datetime.timedelta(days=30)).isoformat()}


def _pdf() -> io.BytesIO:
    file = io.BytesIO(PDF)
    file.name = "report.pdf"
    return file


def _tef(name: str, parent: str | None, create: Callable[[World], dict[str, Any]],
         update: Callable[[World], dict[str, Any]] | None, patch: tuple[str, Any] | None, route: str = "",
         **kw: Any) -> Endpoint:
    """An endpoint of TEF_PARTS; with PARENT ("evaluation"...), listed under the target's parent."""
    base: Callable[[Any], str] | None = None
    if parent:
        leaf = route.rsplit("/", 1)[1]
        base = lambda obj: f"{parent}s/{getattr(obj, f'{parent}_id')}/{leaf}"  # noqa: E731
    kw.setdefault("visible", _nested_ids(name) if parent else _part_ids(name))
    return Endpoint(name, lambda w: w.parts[name]["S"], create, update, patch, base=base, route=route or name, **kw)


_EVALUATION = "evaluations/<uuid:evaluation_pk>"
_RFI = "rfis/<uuid:rfi_pk>"
ENDPOINTS.update({
    "evaluations": _tef("evaluations", None, _evaluation_body, lambda w: {"title": "Renamed"}, ("title", "Patched")),
    "evaluation-alternatives": _tef(
        "evaluation-alternatives", "evaluation", lambda w: {"name": "Planters"}, lambda w: {"name": "Renamed"},
        ("name", "Patched"), route=f"{_EVALUATION}/alternatives", delete_action=Action.CHANGE,
        create_expect=_nested_create(effective)),
    "evaluation-experts": _tef(
        "evaluation-experts", "evaluation", lambda w: {"name": "Ben", "conflicts": "none"},
        lambda w: {"name": "Renamed", "conflicts": "none"}, ("name", "Patched"), route=f"{_EVALUATION}/experts",
        delete_action=Action.CHANGE, create_expect=_nested_create(effective)),
    "evaluation-scores": _tef(
        "evaluation-scores", "evaluation",
        lambda w: {**_ids_of(w.parts["evaluation-scores"]["S"], "expert", "alternative"), "criterion": "PRIVACY",
                   "value": 3},
        lambda w: {"value": 2, "justification": "Renamed"}, ("justification", "Patched"),
        route=f"{_EVALUATION}/scores", rights=_scoring, create_expect=_nested_create(_scoring)),
    "evaluation-weightings": _tef(
        "evaluation-weightings", "evaluation", lambda w: {"method": "direct", "inputs": {"points": {"EFFECT": 2}}},
        None, None, route=f"{_EVALUATION}/weightings", deletable=False, create_expect=_nested_create(effective)),
    "criteria-sets": _tef(
        "criteria-sets", None, lambda w: {"name": "Ours", "data": small_criteria()},
        lambda w: {"name": "Renamed", "data": small_criteria()}, ("name", "Patched"), rights=_own_only,
        visible=_own_ids("criteria-sets"),
        create_expect=lambda role, scope: 201 if Action.ADD in ROLE_ACTIONS[role] else 403),  # in the caller's own
    "rfis": _tef(
        "rfis", None, _rfi_body, lambda w: {"title": "Renamed", "problem": "Vehicles", "opens_at": _WHEN.isoformat(),
                                            "closes_at": (_WHEN + datetime.timedelta(days=9)).isoformat()},
        ("title", "Patched"), rights=_own_only, visible=_own_ids("rfis"), create_expect=_by_body),
    "rfi-requirements": _tef(
        "rfi-requirements", "rfi", lambda w: {"text": "Crash rated"}, lambda w: {"text": "Renamed"},
        ("text", "Patched"), route=f"{_RFI}/requirements", rights=_own_only, delete_action=Action.CHANGE,
        visible=_own_ids("rfi-requirements", ("S",)), create_expect=_nested_create(_own_only)),
    "rfi-invitations": _tef(
        "rfi-invitations", "rfi", lambda w: {"vendor": _vendor().slug}, None, None, route=f"{_RFI}/invitations",
        rights=_own_only, delete_action=Action.CHANGE, visible=_own_ids("rfi-invitations", ("S",)),
        create_expect=_nested_create(_own_only)),
    "rfi-clarifications": _tef(  # only a vendor asks: a city member gets 403
        "rfi-clarifications", "rfi", lambda w: {"question": "Planters?"}, lambda w: {"answer": "Renamed"},
        ("answer", "Patched"), route=f"{_RFI}/clarifications", rights=_own_only, delete_action=Action.CHANGE,
        visible=_own_ids("rfi-clarifications", ("S",)), create_expect=_only_vendors),
    "submissions": _tef(  # only a vendor answers: a city member gets 403 (400 when the RFI is unseen)
        "submissions", None, lambda w: {"rfi": str(w.parts["submissions"]["S"].rfi_id), "solution": "Gates",
                                        "description": "Steel gates."},
        lambda w: {"solution": "Renamed", "description": "Gates."}, ("solution", "Patched"), rights=_city_reads,
        visible=_own_ids("submissions"), create_expect=lambda role, scope: 403 if scope == "own" else 400),
    "submission-attachments": _tef(
        "submission-attachments", "submission", lambda w: {"file": _pdf()}, None, None,
        route="submissions/<uuid:submission_pk>/attachments", rights=_city_reads, delete_action=Action.CHANGE,
        visible=_own_ids("submission-attachments", ("S",)), fmt="multipart",
        create_expect=_nested_create(_city_reads)),
    "demonstrations": _tef(
        "demonstrations", None, lambda w: {**_ids_of(w.parts["demonstrations"]["S"], "rfi", "submission"),
                                           "starts_at": _WHEN.isoformat()},
        lambda w: {"submission": str(w.parts["demonstrations"]["S"].submission_id), "starts_at": _WHEN.isoformat()},
        ("place", "Patched"), rights=_own_only, delete_action=Action.CHANGE, visible=_own_ids("demonstrations"),
        create_expect=_by_rfi),
})


def url(endpoint: Endpoint, world: World, obj: Any = None) -> str:
    prefix = endpoint.base(endpoint.target(world)) if endpoint.base else endpoint.name
    if obj is None:
        return f"/api/v1/{prefix}/"
    key = obj.slug if endpoint.name == "organisations" else obj.pk
    return f"/api/v1/{prefix}/{key}/"


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
    return "multipart" if endpoint.name == "attachments" else endpoint.fmt


OPERATIONS = ["list", "retrieve", "create", "update", "partial_update", "destroy"]
CASES = [(name, op) for name in ENDPOINTS for op in OPERATIONS] + [
    ("sites", "export_geojson"), ("sites", "export_csv"), ("sites", "import"), ("attachments", "download"),
    ("submission-attachments", "download"),
]


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint_name", "operation"), CASES, ids=[f"{n}-{o}" for n, o in CASES])
def test_access(endpoint_name: str, operation: str, role: str, scope: str, api_client: APIClient) -> None:
    endpoint = ENDPOINTS[endpoint_name]
    world = build_world(role, scope, endpoint_name, api_client)
    eff = endpoint.rights(role, scope) if endpoint.rights else effective(role, scope)
    target = endpoint.target(world)
    client = world.client
    if endpoint.name == "organisations":  # a member sees their own organisations only
        eff = ROLE_ACTIONS[role] & {Action.VIEW} if scope == "own" else frozenset()

    if operation == "list":
        response = client.get(url(endpoint, world))
        if endpoint.base and Action.VIEW not in eff:  # the parent in the path is unseen
            assert response.status_code == 404
            return
        assert response.status_code == 200
        assert {str(row["id"]) for row in response.json()["results"]} == endpoint.visible(world)

    elif operation == "retrieve":
        response = client.get(url(endpoint, world, target))
        assert response.status_code == object_status(eff, Action.VIEW, 200)

    elif operation == "create":
        before = type(target).objects.count()
        payload = endpoint.create(world) if endpoint.create else {}
        response = client.post(url(endpoint, world), payload, format=_fmt(endpoint))
        expected = (endpoint.create_expect or (lambda _r, _s: create_status(endpoint, eff, scope)))(role, scope)
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
        if endpoint.create is None or not endpoint.deletable:
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
        response = client.get(f"{url(endpoint, world, target)}download/")
        assert response.status_code == object_status(eff, Action.VIEW, 200)
        if response.status_code == 200:
            assert b"".join(response.streaming_content) == (PNG if endpoint.name == "attachments" else PDF)

    else:  # pragma: no cover - a typo in CASES
        raise AssertionError(operation)


def test_the_matrix_covers_every_registered_route():
    """A new endpoint on the router must be added to the matrix above."""
    from stoa.evaluation.api import urls as evaluation_urls
    from stoa.procurement.api import urls as procurement_urls
    from stoa.sites.api.urls import router

    routers = [router, evaluation_urls.router, evaluation_urls.nested, procurement_urls.router, procurement_urls.nested]
    routes = {prefix for r in routers for prefix, _viewset, _basename in r.registry}
    # criteria-sources/ lists reference sets plus the caller's own (tests/test_evaluation_api.py).
    assert routes == {endpoint.route or endpoint.name for endpoint in ENDPOINTS.values()} | {"criteria-sources"}

