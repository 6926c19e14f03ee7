"""Case bundles: one changed byte, a foreign file or an unknown version is refused and nothing is imported;
redaction keeps names and coordinates out unless chosen; a bundle from another installation imports as an
equal, read-only case of the importing organisation, once."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from stoa.cases.bundle import BundleError, bundle_bytes, checksum, export_bundle, read_bundle
from stoa.cases.models import CaseStudy, Distribution, installation_id
from stoa.cases.services import import_bundle
from tests import factories
from tests.case_samples import make_case, make_finished_plan

pytestmark = pytest.mark.django_db

SENDER = "6b1f4b4e-0000-4000-8000-000000000001"
RECEIVER = "9d2c0a77-0000-4000-8000-000000000002"


@pytest.fixture(autouse=True)
def _fast(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(org: Any, other_org: Any) -> dict[str, Any]:
    plan = make_finished_plan(org)
    case = make_case(plan)
    document = export_bundle(case, SENDER)
    return {"plan": plan, "case": case, "document": document, "data": bundle_bytes(document),
            "importer": factories.make_user(other_org, "security_officer"), "other_org": other_org}


def refusal(data: bytes) -> str:
    with pytest.raises(BundleError) as caught:
        read_bundle(data)
    return str(caught.value)


def resealed(document: dict[str, Any]) -> bytes:
    """DOCUMENT with a checksum that matches again: a well-formed bundle with whatever content it has."""
    return bundle_bytes(dict(document, sha256=checksum(document)))


def test_one_changed_byte_anywhere_is_refused(world: dict[str, Any]) -> None:
    data = world["data"]
    assert read_bundle(data).sha256 == world["document"]["sha256"]
    for position in range(len(data)):
        changed = bytearray(data)
        changed[position] = ord("0") if data[position] != ord("0") else ord("1")
        with pytest.raises(BundleError):
            read_bundle(bytes(changed))
    inside_the_text = data.replace(b"no vehicle", b"no vehiclE")
    assert "The checksum does not match: the bundle was changed or damaged" in refusal(inside_the_text)


def test_a_changed_bundle_imports_nothing_on_the_page_and_the_api(client: Any, world: dict[str, Any]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    changed = world["data"].replace(b'"capital_eur":50000', b'"capital_eur":5000', 1)
    before = CaseStudy.objects.count()
    client.force_login(world["importer"])
    response = client.post("/cases/import/", {"file": SimpleUploadedFile("x.stoa-case.json", changed)})
    assert response.status_code == 400 and "The checksum does not match" in response.content.decode()
    api = APIClient()
    api.force_authenticate(world["importer"])
    response = api.post("/api/v1/cases/import/", changed, content_type="application/json")
    assert response.status_code == 400 and "The checksum does not match" in response.json()["detail"]
    assert CaseStudy.objects.count() == before


def test_foreign_files_unknown_versions_and_broken_content_each_get_their_own_message(world: dict[str, Any]) -> None:
    document = world["document"]
    assert "not JSON" in refusal(b"\xff\xfe not json")
    assert "not JSON" in refusal(b'{"format": "stoa-case-bundle",')
    assert "This is not a Stoa case bundle" in refusal(b'{"type": "FeatureCollection", "features": []}')
    assert "This is not a Stoa case bundle" in refusal(b"[1, 2, 3]")
    assert "This is not a Stoa case bundle" in refusal(resealed(dict(document, format="misp-event")))
    assert "Version 7 is not supported; this Stoa reads version 1." in refusal(resealed(dict(document, version=7)))
    assert "Version \"1\" is not supported" in refusal(resealed(dict(document, version="1")))
    assert "has no checksum" in refusal(bundle_bytes({k: v for k, v in document.items() if k != "sha256"}))
    payload = json.loads(json.dumps(document["payload"]))
    payload["case"]["outcome"] = ""
    payload["case"]["surprise"] = 1
    message = refusal(resealed(dict(document, payload=payload)))
    assert "does not follow the case bundle schema" in message
    assert "payload.case.outcome" in message and "payload.case.surprise" in message
    smuggled = json.loads(json.dumps(document["payload"]))
    smuggled["location"] = {"centroid": [4.35, 50.85]}
    assert "carries no exact location" in refusal(resealed(dict(document, payload=smuggled)))
    assert "TLP:RED" in refusal(resealed(dict(document, distribution="RED")))


def test_unknown_reference_ids_and_a_second_import_are_refused_and_nothing_is_written(world: dict[str, Any]) -> None:
    other = world["other_org"]
    payload = json.loads(json.dumps(world["document"]["payload"]))
    payload["case"]["category"] = "MOON_BASE"
    payload["case"]["threats"] = ["VEHICLE", "LASER"]
    with pytest.raises(BundleError) as caught:
        import_bundle(other, resealed(dict(world["document"], payload=payload)), world["importer"])
    assert "“MOON_BASE” is not known here" in str(caught.value) and "“LASER” is not known here" in str(caught.value)
    assert not CaseStudy.objects.filter(organisation=other).exists()
    import_bundle(other, world["data"], world["importer"])
    with pytest.raises(BundleError) as caught:
        import_bundle(other, world["data"], world["importer"])
    assert "This bundle was already imported on" in str(caught.value)
    assert CaseStudy.objects.filter(organisation=other).count() == 1


def test_without_the_redaction_choices_no_name_or_coordinate_leaves(world: dict[str, Any]) -> None:
    text = world["data"].decode()
    for secret in ("Grand-Place", "Valmont", "Jeanne Martin", "town hall", "coordinates", "Polygon", "centroid",
                   "4.35", "50.85"):
        assert secret not in text, secret
    assert "[the public space]" in text and "[the organisation]" in text
    payload = world["document"]["payload"]
    assert set(payload) == {"case", "redaction"} and payload["case"]["category"] == "SQUARE"


def test_each_redaction_choice_lets_out_only_its_part(world: dict[str, Any]) -> None:
    case = world["case"]
    case.include_names = True
    names = bundle_bytes(export_bundle(case, SENDER)).decode()
    assert "Grand-Place" in names and "Jeanne Martin" in names and "Valmont" in names
    assert "coordinates" not in names and "town hall" not in names
    case.include_names, case.include_exact_location = False, True
    place = bundle_bytes(export_bundle(case, SENDER)).decode()
    assert "[the public space] town hall" in place and "coordinates" not in place and "Grand-Place" not in place
    case.include_geometry = True
    shaped = export_bundle(case, SENDER)["payload"]["location"]
    assert shaped["boundary"]["type"] == "Polygon" and shaped["centroid"] == [4.351, 50.8506]
    read_bundle(bundle_bytes(export_bundle(case, SENDER)))  # still a valid bundle


def test_red_and_imported_cases_are_not_exported(world: dict[str, Any]) -> None:
    case = world["case"]
    case.distribution = Distribution.RED
    with pytest.raises(BundleError, match="TLP:RED is for named recipients only"):
        export_bundle(case, SENDER)
    imported = import_bundle(world["other_org"], world["data"], world["importer"])
    with pytest.raises(BundleError, match="An imported case is not exported again"):
        export_bundle(imported, RECEIVER)


def test_a_round_trip_to_another_installation_gives_an_equal_read_only_case(settings: Any, org: Any,
                                                                             world: dict[str, Any]) -> None:
    officer = factories.make_user(org, "security_officer")
    case = world["case"]
    case.include_names = True
    case.save()
    settings.STOA_INSTALLATION_ID = SENDER
    sender = APIClient()
    sender.force_authenticate(officer)
    response = sender.post(f"/api/v1/cases/{case.pk}/export/")
    assert response.status_code == 200
    bundle = response.json()
    assert bundle["installation"] == SENDER and bundle["format"] == "stoa-case-bundle" and bundle["version"] == 1
    from auditlog.models import LogEntry

    case.refresh_from_db()
    assert case.last_export_sha256 == bundle["sha256"] and case.last_exported_at is not None
    stamped = [e for e in LogEntry.objects.get_for_object(case) if e.action == LogEntry.Action.UPDATE
               and "last_export_sha256" in (e.changes or {})]
    assert [e.actor for e in stamped] == [officer]  # the audit trail says who sent it out
    settings.STOA_INSTALLATION_ID = RECEIVER
    receiver = APIClient()
    receiver.force_authenticate(world["importer"])
    response = receiver.post("/api/v1/cases/import/", bundle, format="json")
    assert response.status_code == 201, response.json()
    copy = CaseStudy.objects.get(pk=response.json()["id"])
    fields = ("title", "category_id", "measures", "capital_eur", "yearly_eur", "risk_profile", "outcome", "lessons",
              "distribution", "include_geometry", "include_names", "include_exact_location")
    assert {f: getattr(copy, f) for f in fields} == {f: getattr(case, f) for f in fields}
    assert copy.threat_ids == case.threat_ids and copy.place["site_name"] == "Grand-Place"
    assert copy.organisation == world["other_org"] and copy.is_imported and copy.bundle_sha256 == bundle["sha256"]
    assert copy.imported_from_installation == SENDER and copy.imported_from_organisation == "Valmont"
    assert installation_id() == RECEIVER
    # Read-only where it landed: no edit page, no export.
    from django.test import Client

    page = Client()
    page.force_login(world["importer"])
    assert page.get(f"/cases/{copy.pk}/edit/").status_code == 409
    assert receiver.post(f"/api/v1/cases/{copy.pk}/export/").status_code == 400
    # A file upload of the same bundle is a duplicate.
    from django.core.files.uploadedfile import SimpleUploadedFile

    again = receiver.post("/api/v1/cases/import/", {"file": SimpleUploadedFile("b.json", json.dumps(bundle).encode())},
                          format="multipart")
    assert again.status_code == 400 and "already imported" in again.json()["detail"]


def test_without_the_setting_the_installation_id_is_made_once_and_kept(settings: Any, db: Any) -> None:
    settings.STOA_INSTALLATION_ID = ""
    first = installation_id()
    assert installation_id() == first and len(first) == 36
