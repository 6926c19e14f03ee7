from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from stoa.accounts.models import OrganisationKind
from stoa.accounts.tenancy import memberships_of, organisations_of


def organisation(request: HttpRequest) -> dict[str, Any]:
    org = getattr(request, "organisation", None)
    user = getattr(request, "user", None)
    memberships = memberships_of(user) if user is not None else {}
    return {
        "active_organisation": org,
        "active_role": memberships.get(org.pk) if org else None,
        # A vendor's members use the RFI portal only: the city's menus mean nothing to them.
        "is_vendor": bool(org and org.kind == OrganisationKind.VENDOR),
        "my_organisations": sorted(organisations_of(user).values(), key=lambda o: (o.name, str(o.pk)))
        if user is not None and len(memberships) > 1 else [],
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
