"""Roles and what each may do. This is the ONLY place that maps a role to capabilities.

Access design
-------------
* Every domain object belongs to exactly one organisation (``OrgOwnedModel.organisation``).
* A person acts through a ``Membership`` (user, organisation, role). Their role in that
  organisation decides which actions they may take on that organisation's objects.
* An organisation may deliberately share a public space with another organisation, read-only or
  with edit rights (``sites.SiteShare``). Members of the receiving organisation then get at most
  ``view`` (read share) or ``view``+``change`` (edit share), still limited by their own role.
  Sharing never grants delete, share or administration rights.
* A region sees its municipalities' spaces only where a municipality shared them with the region.
* ``OrgScopedQuerySet.for_user(user, action)`` turns these rules into a query; pages and the API
  both go through it (see ``stoa.accounts.tenancy``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("view")
    ADD = "add", _("add")
    CHANGE = "change", _("change")
    DELETE = "delete", _("delete")
    SHARE = "share", _("share")
    MANAGE = "manage", _("manage members and settings")
    AUDIT = "audit", _("read the audit trail")
    APPROVE = "approve", _("sign off assessments and plans")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    SECURITY_OFFICER = "security_officer", _("Security officer")
    ASSESSOR = "assessor", _("Assessor")
    POLICE_LIAISON = "police_liaison", _("Police liaison")
    VIEWER = "viewer", _("Viewer")


_EDITOR = {Action.VIEW, Action.ADD, Action.CHANGE, Action.DELETE, Action.SHARE}

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(_EDITOR | {Action.MANAGE, Action.AUDIT, Action.APPROVE}),
    # Officers answer for the security plan, so they sign off what a team submits (never their own).
    Role.SECURITY_OFFICER: frozenset(_EDITOR | {Action.APPROVE}),
    # Assessors walk the site: they may correct what they find but not create or remove spaces.
    Role.ASSESSOR: frozenset({Action.VIEW, Action.CHANGE}),
    Role.POLICE_LIAISON: frozenset({Action.VIEW}),
    Role.VIEWER: frozenset({Action.VIEW}),
}

# What a share grants, before the receiving member's own role is applied.
SHARE_ACTIONS: dict[str, frozenset[str]] = {
    "read": frozenset({Action.VIEW}),
    "edit": frozenset({Action.VIEW, Action.CHANGE}),
}


def role_allows(role: str, action: str) -> bool:
    """True when a member with ROLE may take ACTION on their own organisation's objects."""
    return action in ROLE_ACTIONS.get(role, frozenset())


def share_levels_granting(action: str) -> list[str]:
    """The share access levels that grant ACTION (empty when no share can grant it)."""
    return [level for level, actions in SHARE_ACTIONS.items() if action in actions]
