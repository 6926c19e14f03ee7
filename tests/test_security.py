"""Secure defaults: login required, Argon2, throttled log-in, expiring sessions, headers and CSP."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.hashers import get_hasher
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_pages_require_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.real_password_hashing
def test_passwords_are_hashed_with_argon2(officer):
    assert officer.password.startswith("argon2")
    assert get_hasher().algorithm == "argon2"


def test_login_is_throttled_after_repeated_failures(client, officer):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "officer", "password": "wrong"})
    locked = client.post(url, {"username": "officer", "password": factories.PASSWORD})
    assert locked.status_code == 429
    assert locked.get("Location") != "/"


def test_correct_login_works(client, officer):
    response = client.post(reverse("login"), {"username": "officer", "password": factories.PASSWORD})
    assert response.status_code == 302


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_security_headers_and_csp_on_every_page(client, officer):
    client.force_login(officer)
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_login_page_has_csp_too(client):
    assert "default-src 'self'" in client.get(reverse("login"))["Content-Security-Policy"]


def test_switching_to_an_organisation_one_is_not_member_of_is_refused(client, officer, other_org):
    client.force_login(officer)
    response = client.post(reverse("switch-organisation"), {"organisation": str(other_org.pk)})
    assert response.status_code == 400


def test_open_redirect_is_refused_when_switching_organisation(client, officer, org):
    client.force_login(officer)
    response = client.post(reverse("switch-organisation"),
                           {"organisation": str(org.pk), "next": "https://evil.example/"})
    assert response["Location"] == "/"
