"""The audit trail: who changed what and when, readable and exportable by administrators only."""

from __future__ import annotations

import pytest
from auditlog.context import set_actor
from django.urls import reverse

from stoa.audit import trail
from tests import factories
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db


def test_create_change_delete_are_recorded_with_actor_and_fields(org, officer):
    with set_actor(officer):
        site = factories.make_site(org, name="Old name")
        site.name = "New name"
        site.save()
        site_pk = str(site.pk)
        site.delete()
    entries = list(trail.entries_for(org).filter(object_pk=site_pk).order_by("timestamp", "pk"))
    assert [e.action for e in entries] == [0, 1, 2]
    assert all(e.actor == officer for e in entries)
    assert ("name", "Old name", "New name") in trail.describe_changes(entries[1])


def test_trail_of_one_organisation_never_shows_another(org, other_org):
    factories.make_site(org, name="Ours")
    factories.make_site(other_org, name="Theirs")
    reprs = {e.object_repr for e in trail.entries_for(org)}
    assert "Ours" in reprs and "Theirs" not in reprs


@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_browse_and_export(client, org, role):
    user = factories.make_user(org, role)
    factories.make_site(org, name="Fountain square")
    client.force_login(user)
    expected = 200 if role == "admin" else 403
    assert client.get(reverse("audit:list")).status_code == expected
    response = client.get(reverse("audit:export"))
    assert response.status_code == expected
    if role == "admin":
        body = response.content.decode()
        assert body.splitlines()[0].startswith("timestamp,actor,action")
        assert "Fountain square" in body


def test_admin_page_lists_changes_and_filters_by_actor(client, org, officer):
    admin = factories.make_user(org, "admin")
    with set_actor(officer):
        factories.make_site(org, name="By officer")
    factories.make_site(org, name="By system")
    client.force_login(admin)
    page = client.get(reverse("audit:list"), {"actor": "officer"}).content.decode()
    assert "By officer" in page and "By system" not in page


def test_admin_of_another_organisation_sees_only_their_own_trail(client, org, outsider):
    factories.make_site(org, name="Secret square")
    client.force_login(outsider)
    body = client.get(reverse("audit:export")).content.decode()
    assert "Secret square" not in body
