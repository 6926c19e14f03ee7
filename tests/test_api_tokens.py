"""Named API tokens: own tokens only, the key shown once, expired and revoked keys refused; the token endpoint."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from stoa.accounts.models import ApiToken
from tests import factories
from tests.two_factor_helpers import code_for, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_throttle() -> Any:
    cache.clear()
    yield
    cache.clear()


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_only_a_hash_of_the_key_is_stored(officer):
    key = factories.make_token(officer)
    token = ApiToken.objects.get(user=officer)
    assert key not in (token.key_hash, token.prefix) and token.prefix == key[:8]


def test_creating_a_token_shows_its_key_once_and_the_key_works(officer, site):
    client = token_client(factories.make_token(officer))
    created = client.post("/api/v1/auth/tokens/", {"name": "nightly export"}, format="json")
    assert created.status_code == 201
    key = created.json()["key"]
    assert token_client(key).get("/api/v1/sites/").json()["results"][0]["name"] == site.name
    listed = client.get("/api/v1/auth/tokens/").json()["results"]
    assert {t["name"] for t in listed} == {"test token", "nightly export"}
    assert all("key" not in t for t in listed)
    assert client.get(f"/api/v1/auth/tokens/{created.json()['id']}/").json()["last_used_at"] is not None


def test_the_list_holds_only_the_callers_tokens(officer, viewer):
    factories.make_token(viewer, name="viewer's")
    mine = token_client(factories.make_token(officer, name="mine"))
    assert [t["name"] for t in mine.get("/api/v1/auth/tokens/").json()["results"]] == ["mine"]
    theirs = ApiToken.objects.get(user=viewer)
    assert mine.delete(f"/api/v1/auth/tokens/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_a_name_is_required_and_an_expiry_must_be_in_the_future(officer):
    client = token_client(factories.make_token(officer))
    nameless = client.post("/api/v1/auth/tokens/", {"name": ""}, format="json")
    assert nameless.status_code == 400 and "name" in nameless.json()["errors"]
    past = client.post("/api/v1/auth/tokens/", {"name": "old", "expires_at": "2001-01-01T00:00:00Z"}, format="json")
    assert past.status_code == 400 and "expires_at" in past.json()["errors"]
    assert ApiToken.objects.filter(user=officer).count() == 1


def test_a_revoked_token_is_refused(officer):
    key = factories.make_token(officer)
    client = token_client(key)
    token = ApiToken.objects.get(user=officer)
    assert client.delete(f"/api/v1/auth/tokens/{token.pk}/").status_code == 204
    refused = client.get("/api/v1/sites/")
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]


def test_an_expired_token_is_refused(officer):
    key = factories.make_token(officer, expires_at=timezone.now() - datetime.timedelta(seconds=1))
    refused = token_client(key).get("/api/v1/sites/")
    assert refused.status_code == 401 and "expired" in refused.json()["detail"]


def test_an_unknown_key_is_refused():
    assert token_client("not-a-key").get("/api/v1/sites/").status_code == 401


def test_the_tokens_page_creates_shows_the_key_once_and_revokes(client, officer):
    client.force_login(officer)
    response = client.post(reverse("tokens"), {"name": "laptop script", "expires_at": ""})
    token = ApiToken.objects.get(user=officer, name="laptop script")
    html = response.content.decode()
    key = html.split('id="new-key">')[1].split("<")[0]
    assert token.prefix == key[:8] and "no-store" in response["Cache-Control"]
    assert key not in client.get(reverse("tokens")).content.decode()
    assert client.post(reverse("tokens"), {"name": ""}).status_code == 200
    assert ApiToken.objects.filter(user=officer).count() == 1
    client.post(reverse("token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_tokens_page_cannot_revoke_someone_elses_token(client, officer, viewer):
    factories.make_token(viewer)
    client.force_login(officer)
    theirs = ApiToken.objects.get(user=viewer)
    assert client.post(reverse("token-revoke", args=[theirs.pk])).status_code == 404


def test_the_token_endpoint_makes_a_named_token_that_expires(officer, fresh_throttle):
    response = APIClient().post("/api/v1/auth/token/", {"username": "officer", "password": factories.PASSWORD},
                                format="json")
    assert response.status_code == 200 and set(response.json()) == {"token"}
    token = ApiToken.objects.get(user=officer)
    assert token.expires_at is not None and token.expires_at > timezone.now() + datetime.timedelta(days=29)


def test_with_two_factor_the_token_endpoint_needs_a_code(officer, fresh_throttle):
    device, _codes = enrol(officer)
    client = APIClient()
    url = "/api/v1/auth/token/"
    creds = {"username": "officer", "password": factories.PASSWORD}
    missing = client.post(url, creds, format="json")
    assert missing.status_code == 400 and "otp" in missing.json()["errors"]
    wrong = client.post(url, {**creds, "otp": "zzzzzzzz"}, format="json")
    assert wrong.status_code == 400 and "token" not in wrong.json()
    right = client.post(url, {**creds, "otp": code_for(device, 1)}, format="json")
    assert right.status_code == 200
    assert token_client(right.json()["token"]).get("/api/v1/auth/tokens/").status_code == 200


def test_when_the_org_requires_two_factor_a_member_without_it_gets_no_token(officer, org, fresh_throttle):
    key = factories.make_token(officer)
    org.require_two_factor = True
    org.save()
    response = APIClient().post("/api/v1/auth/token/", {"username": "officer", "password": factories.PASSWORD},
                                format="json")
    assert response.status_code == 403 and "requires two-factor" in response.json()["detail"]
    assert not ApiToken.objects.filter(user=officer).exclude(name="test token").exists()
    old = token_client(key).get("/api/v1/sites/")
    assert old.status_code == 401 and "requires two-factor" in old.json()["detail"]


def test_the_schema_documents_the_token_endpoints(officer):
    client = token_client(factories.make_token(officer))
    schema = client.get("/api/v1/schema/?format=json").json()
    assert {"/api/v1/auth/token/", "/api/v1/auth/tokens/", "/api/v1/auth/tokens/{id}/"} <= set(schema["paths"])
    assert "otp" in schema["components"]["schemas"]["TokenRequestRequest"]["properties"]
    assert schema["components"]["securitySchemes"]["tokenAuth"]["in"] == "header"
