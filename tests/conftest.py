"""Shared fixtures: two municipalities, a member per role in the first, an outsider in the second."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories

PRODUCTION_HASHERS: list[str] = []
ROLES = ["admin", "security_officer", "assessor", "police_liaison", "viewer"]


@pytest.fixture(autouse=True, scope="session")
def _reports_inline() -> None:
    """Report jobs run in the request: a background thread would not see the test's transaction."""
    from django.conf import settings

    settings.STOA_REPORTS_INLINE = True


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashing() -> None:
    """argon2 costs a tenth of a second and 100 MB per hash, by design; the suite makes thousands of
    accounts. Tests of the production hashing are marked ``real_password_hashing``."""
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

    global PRODUCTION_HASHERS
    PRODUCTION_HASHERS = list(settings.PASSWORD_HASHERS)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PRODUCTION_HASHERS]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()


@pytest.fixture(autouse=True)
def _real_password_hashing(request: Any) -> None:
    if request.node.get_closest_marker("real_password_hashing"):
        request.getfixturevalue("settings").PASSWORD_HASHERS = PRODUCTION_HASHERS


@pytest.fixture
def org(db: Any) -> Any:
    return factories.make_org(name="Valmont", slug="valmont-test")


@pytest.fixture
def other_org(db: Any) -> Any:
    return factories.make_org(name="Elsewhere", slug="elsewhere-test")


@pytest.fixture
def officer(org: Any) -> Any:
    return factories.make_user(org, "security_officer", username="officer")


@pytest.fixture
def viewer(org: Any) -> Any:
    return factories.make_user(org, "viewer", username="viewer")


@pytest.fixture
def outsider(other_org: Any) -> Any:
    return factories.make_user(other_org, "admin", username="outsider")


@pytest.fixture
def site(org: Any) -> Any:
    return factories.make_site(org, name="Market Square")
