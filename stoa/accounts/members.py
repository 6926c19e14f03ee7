"""Membership changes that keep an organisation administrable."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from stoa.accounts.models import Membership, Organisation
from stoa.accounts.roles import Role


class MembershipError(Exception):
    """A membership change that would leave the organisation without an administrator."""


def _is_last_admin(membership: Membership) -> bool:
    if membership.role != Role.ADMIN:
        return False
    others = Membership.objects.filter(organisation=membership.organisation, role=Role.ADMIN)
    return not others.exclude(pk=membership.pk).exists()


@transaction.atomic
def add_member(organisation: Organisation, data: dict[str, Any]) -> Membership:
    user = data.get("existing_user")
    if user is None:
        user = get_user_model().objects.create_user(
            username=data["username"], email=data.get("email", ""), password=data["password"]
        )
    return Membership.objects.create(user=user, organisation=organisation, role=data["role"])


def change_role(membership: Membership, role: str) -> None:
    if role != Role.ADMIN and _is_last_admin(membership):
        raise MembershipError(_("The organisation needs at least one administrator."))
    membership.role = role
    membership.save(update_fields=["role"])


def remove_member(membership: Membership) -> None:
    if _is_last_admin(membership):
        raise MembershipError(_("The organisation needs at least one administrator."))
    membership.delete()
