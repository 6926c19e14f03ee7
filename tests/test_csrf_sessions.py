"""Session fixation and CSRF: a new session key at log-in; unsafe requests need the CSRF token."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from stoa.accounts.models import ApiToken
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_session_key_changes_at_login(client, officer):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("login"), {"username": "officer", "password": factories.PASSWORD})
    assert client.session.session_key != before
    assert client.get(reverse("home")).status_code == 200


def test_login_without_the_csrf_token_is_refused(officer):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "officer", "password": factories.PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_logout_and_forms_without_the_csrf_token_are_refused(org):
    admin = factories.make_user(org, "admin")
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    assert client.post(reverse("members"), {"username": "intruder", "role": "admin",
                                            "password": "a-long-passphrase-42"}).status_code == 403
    assert client.post(reverse("members-two-factor"), {"require_two_factor": "on"}).status_code == 403
    assert client.post(reverse("logout")).status_code == 403
    assert client.get(reverse("home")).status_code == 200  # still logged in


def test_session_api_calls_need_csrf_but_token_calls_do_not(officer):
    factories.make_token(officer, name="first")
    token = ApiToken.objects.get(user=officer)
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(officer)
    refused = session.delete(f"/api/v1/auth/tokens/{token.pk}/")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    token.refresh_from_db()
    assert token.revoked_at is None

    by_token = APIClient(enforce_csrf_checks=True)
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {factories.make_token(officer, name='second')}")
    assert by_token.delete(f"/api/v1/auth/tokens/{token.pk}/").status_code == 204
