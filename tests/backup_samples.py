"""Test data for the backup tests, made through the REST API, and a canonical dump to compare."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import serializers
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from stoa.backup.scope import archived_models, label_of
from tests import factories
from tests.assessment_samples import load_assessment_libraries
from tests.plan_samples import BOLLARDS, make_measures
from tests.site_samples import POINT, SQUARE, make_categories, square_at

PNG = factories.PNG


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ok(response: Any, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.content
    return response.json()


def make_world(org: Any, officer: Any, other_org: Any) -> dict[str, Any]:
    """A site with a zone and an access point, an assessment with an answer and a rating, a plan with a
    measure and an attachment, a named API token and two-factor devices, all in ORG; and a site of
    OTHER_ORG, which an organisation backup leaves out."""
    make_categories()
    load_assessment_libraries()
    make_measures()
    api = client_for(officer)
    site = ok(api.post("/api/v1/sites/", {"name": "Market Square", "category": "SQUARE", "boundary": SQUARE},
                       format="json"))["id"]
    ok(api.post("/api/v1/zones/", {"site": site, "name": "Stalls", "geometry": SQUARE}, format="json"))
    ok(api.post("/api/v1/access-points/", {"site": site, "name": "Gate", "kind": "vehicle", "width_m": 6,
                                           "geometry": POINT}, format="json"))
    assessment = ok(api.post("/api/v1/assessments/", {"site": site, "date": "2026-06-01"}, format="json"))["id"]
    ok(api.post("/api/v1/answers/", {"assessment": assessment, "question": "T01", "value": "no"}, format="json"))
    scenarios = api.get("/api/v1/scenarios/", {"assessment": assessment}).json()["results"]
    vehicle = next(s for s in scenarios if s["threat"] == "VEHICLE")
    ok(api.patch(f"/api/v1/scenarios/{vehicle['id']}/", {
        "likelihood": 5, "consequence": 5, "override_justification": "Delivery lorries cross the crowd."},
        format="json"), 200)
    plan = ok(api.post("/api/v1/plans/", {"site": site, "assessment": assessment, "title": "Plan"},
                       format="json"))["id"]
    ok(api.post(f"/api/v1/plans/{plan}/measures/", {"name": "Bollards", "catalogue_key": BOLLARDS,
                                                    "start": "2026-01-01", "end": "2026-06-30",
                                                    "scenarios": [vehicle["id"]]}, format="json"))
    upload = io.BytesIO(PNG)
    upload.name = "north.png"
    ok(api.post("/api/v1/attachments/", {"site": site, "kind": "photo", "title": "North side", "file": upload},
                format="multipart"))
    ok(api.post("/api/v1/auth/tokens/", {"name": "nightly export"}, format="json"))
    totp = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    StaticDevice.objects.create(user=officer, name="recovery").token_set.create(token="k3m9q2x7")
    factories.make_site(other_org, name="Elsewhere", boundary=square_at(0.05))
    assert totp.key
    return {"site": site, "assessment": assessment, "plan": plan, "scenario": vehicle["id"]}


def canonical(only: dict[str, set[Any]] | None = None) -> dict[str, list[str]]:
    """Every archived row with all its fields (foreign keys by natural key where one exists),
    as sorted JSON lines per model; ONLY narrows to those primary keys per model."""
    dump: dict[str, list[str]] = {}
    for model in archived_models():
        label = label_of(model)
        rows = model._base_manager.all()
        if only is not None:
            rows = rows.filter(pk__in=only.get(label, set()))
        data = serializers.serialize("python", rows, use_natural_foreign_keys=True, use_natural_primary_keys=True)
        lines = sorted(json.dumps(row, sort_keys=True, default=str) for row in data)
        if lines:
            dump[label] = lines
    return dump


def stored_files() -> dict[str, str]:
    """Path under MEDIA_ROOT → SHA-256 of every stored file."""
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}
