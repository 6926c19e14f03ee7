"""Administrators manage their organisation's members; nobody else, and never another organisation's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stoa.accounts.models import Membership
from tests import factories
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_open_the_members_page(client, org, role):
    client.force_login(factories.make_user(org, role))
    assert client.get(reverse("members")).status_code == (200 if role == "admin" else 403)


def test_admin_adds_a_new_person_with_a_role(client, org):
    client.force_login(factories.make_user(org, "admin"))
    response = client.post(reverse("members"), {"username": "newbie", "role": "assessor",
                                                "password": "a-long-passphrase-42"})
    assert response.status_code == 302
    assert Membership.objects.get(user__username="newbie", organisation=org).role == "assessor"


def test_new_person_without_password_is_refused_with_a_message(client, org):
    client.force_login(factories.make_user(org, "admin"))
    response = client.post(reverse("members"), {"username": "nobody", "role": "viewer"})
    assert response.status_code == 200
    assert "give a password" in response.content.decode()
    assert not Membership.objects.filter(user__username="nobody").exists()


def test_last_admin_cannot_demote_or_remove_themselves(client, org):
    admin = factories.make_user(org, "admin")
    client.force_login(admin)
    membership = Membership.objects.get(user=admin)
    client.post(reverse("member-role", args=[membership.pk]), {"role": "viewer"})
    client.post(reverse("member-remove", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_admin_cannot_touch_another_organisations_membership(client, org, outsider):
    victim = factories.make_user(org, "viewer")
    membership = Membership.objects.get(user=victim)
    client.force_login(outsider)
    assert client.post(reverse("member-role", args=[membership.pk]), {"role": "admin"}).status_code == 404
    assert client.post(reverse("member-remove", args=[membership.pk])).status_code == 404
    membership.refresh_from_db()
    assert membership.role == "viewer"
