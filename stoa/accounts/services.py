"""Creating organisations and members (used by the CLI, the demo loader and tests)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from stoa.accounts.models import Membership, Organisation, OrganisationKind
from stoa.accounts.roles import Role


class AccountError(Exception):
    """A request about organisations or people that cannot be carried out, with the reason."""


def create_organisation(slug: str, name: str, kind: str, parent_slug: str | None = None,
                        **extra: Any) -> Organisation:
    if kind not in OrganisationKind.values:
        raise AccountError(f"unknown organisation kind {kind!r}; choose one of {', '.join(OrganisationKind.values)}")
    if Organisation.objects.filter(slug=slug).exists():
        raise AccountError(f"an organisation with the short name {slug!r} already exists")
    parent = None
    if parent_slug:
        parent = Organisation.objects.filter(slug=parent_slug, kind=OrganisationKind.REGION).first()
        if parent is None:
            raise AccountError(f"no region with the short name {parent_slug!r}")
    org = Organisation(slug=slug, name=name, kind=kind, parent=parent, **extra)
    try:
        org.full_clean()
    except ValidationError as exc:
        raise AccountError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
    org.save()
    return org


@transaction.atomic
def create_member(username: str, password: str, org_slug: str, role: str, email: str = "") -> tuple[Any, bool]:
    """Create USERNAME (or reuse it) and give them ROLE in the organisation ORG_SLUG."""
    if role not in Role.values:
        raise AccountError(f"unknown role {role!r}; choose one of {', '.join(Role.values)}")
    org = Organisation.objects.filter(slug=org_slug).first()
    if org is None:
        raise AccountError(f"no organisation with the short name {org_slug!r}")
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    created = user is None
    if user is None:
        if not password:
            raise AccountError("a password is needed on standard input for a new user")
        user = User(username=username, email=email)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise AccountError(" ".join(exc.messages)) from exc
        user.set_password(password)
        user.save()
    if Membership.objects.filter(user=user, organisation=org).exists():
        raise AccountError(f"{username} is already a member of {org_slug}")
    Membership.objects.create(user=user, organisation=org, role=role)
    return user, created
