"""RFI pages: the city's side (``rfis``, ``city``), the vendors' portal (``vendor``) and the
documents and files both may download (``documents``).

Every object is loaded through the tenancy mechanism (``get_for_user``): 404 for what the user may
not see, 403 for what they may see but not change. Who sees what is written once, on the models
(``stoa.procurement.models``); which side of a page a user gets follows from it: members of the
RFI's organisation get the city's page, everyone else who may see the RFI the vendor's.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from stoa.accounts.models import Organisation, OrganisationKind
from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can
from stoa.procurement.models import Rfi, Visibility


def is_city_member(request: HttpRequest, rfi: Rfi) -> bool:
    """True when the user sees RFI as a member of the organisation that wrote it."""
    return can(request.user, Action.VIEW, rfi.organisation_id)


def answering_organisation(request: HttpRequest, rfi: Rfi) -> Organisation | None:
    """The vendor the user answers RFI for: their active organisation, when it is a vendor in which
    their role may add records and which is invited (or the RFI is public); else None."""
    org: Any = getattr(request, "organisation", None)
    if org is None or org.kind != OrganisationKind.VENDOR or not can(request.user, Action.ADD, org):
        return None
    if rfi.visibility != Visibility.PUBLIC and not rfi.invitations.filter(vendor=org).exists():
        return None
    return org
