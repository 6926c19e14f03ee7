"""The one access mechanism: what each role sees and may change, own and other organisations."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from stoa.accounts.roles import ROLE_ACTIONS, Action
from stoa.accounts.tenancy import get_for_user
from stoa.sites.models import Site, Zone
from tests import factories
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", [Action.VIEW, Action.CHANGE, Action.DELETE])
def test_member_gets_exactly_what_their_role_allows_on_own_sites(org, site, role, action):
    user = factories.make_user(org, role)
    visible = Site.objects.for_user(user, action).filter(pk=site.pk).exists()
    assert visible is (action in ROLE_ACTIONS[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", [Action.VIEW, Action.CHANGE, Action.DELETE])
def test_nobody_sees_another_organisations_sites(other_org, site, role, action):
    user = factories.make_user(other_org, role)
    assert not Site.objects.for_user(user, action).exists()
    assert not Zone.objects.for_user(user, action).exists()


@pytest.mark.parametrize(("access", "action", "expected"), [
    ("read", Action.VIEW, True), ("read", Action.CHANGE, False), ("read", Action.DELETE, False),
    ("edit", Action.VIEW, True), ("edit", Action.CHANGE, True), ("edit", Action.DELETE, False),
])
def test_share_grants_view_or_edit_but_never_delete(other_org, site, access, action, expected):
    factories.make_zone(site)
    factories.share(site, other_org, access)
    user = factories.make_user(other_org, "security_officer")
    assert Site.objects.for_user(user, action).filter(pk=site.pk).exists() is expected
    assert Zone.objects.for_user(user, action).filter(site=site).exists() is expected


def test_share_is_still_limited_by_the_receivers_role(other_org, site):
    factories.share(site, other_org, "edit")
    viewer = factories.make_user(other_org, "viewer")
    assert Site.objects.for_user(viewer, Action.VIEW).exists()
    assert not Site.objects.for_user(viewer, Action.CHANGE).exists()


def test_region_sees_a_municipality_site_only_once_shared(site, org):
    region = factories.make_org("region", name="Province")
    org.parent = region
    org.save()
    region_user = factories.make_user(region, "admin")
    assert not Site.objects.for_user(region_user).exists()
    factories.share(site, region)
    assert list(Site.objects.for_user(region_user)) == [site]


def test_get_for_user_answers_404_for_hidden_and_403_for_read_only(site, viewer, outsider):
    with pytest.raises(Http404):
        get_for_user(Site, outsider, Action.VIEW, pk=site.pk)
    assert get_for_user(Site, viewer, Action.VIEW, pk=site.pk) == site
    with pytest.raises(PermissionDenied):
        get_for_user(Site, viewer, Action.CHANGE, pk=site.pk)


def test_anonymous_sees_nothing(site):
    from django.contrib.auth.models import AnonymousUser

    assert not Site.objects.for_user(AnonymousUser()).exists()


def test_priority_follows_crowds_and_events(site):
    assert site.priority_score == 0
    factories.make_crowd_slot(site, typical_people=3000, peak_people=6000)
    site.refresh_from_db()
    assert site.priority_score > 0
    before = site.priority_score
    factories.make_event(site)
    site.refresh_from_db()
    assert site.priority_score >= before
