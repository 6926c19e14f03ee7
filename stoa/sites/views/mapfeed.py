"""The inventory map's data: every public space the user may see, narrowed by the list page's
filters, as GeoJSON that the map loads after the page. The page itself then stays small however
many public spaces the city has, and its table can show them a page at a time.

Outlines are lightened for an overview (``geometry.overview_outline``); the words and colours
every feature shares (categories, priority bands) are sent once, not once per feature. The answer
depends on who asks, so it is private, and it carries an ETag: a browser coming back to the list
revalidates it and gets "304 Not Modified" when nothing changed.

Drawing the outlines is most of the work, so the features are kept in the cache, keyed by a
fingerprint of exactly what they are made from: each listed site's id, version (bumped by every
save), update time, priority (recomputed without a save) and category, and whether it is the
user's own. Any edit, new
site, deletion or share therefore changes the key; nothing has to remember to clear it. The
fingerprint also gives the ETag, so a revalidation is answered without drawing anything.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.cache import cache
from django.db.models import Case, CharField, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, Concat
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import condition, require_GET

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import memberships_of
from stoa.core import geometry
from stoa.library.models import Library, ReferenceObject
from stoa.sites.models import Site
from stoa.sites.views import mapdata
from stoa.sites.views.listing import filtered_sites


def _geometry(boundary: Any, lon: float | None, lat: float | None) -> dict[str, Any] | None:
    if boundary:
        try:
            return geometry.overview_outline(boundary)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError):
            pass  # an outline shapely cannot read is shown at its centre, as a site without one
    if lon is not None and lat is not None:
        return {"type": "Point", "coordinates": [lon, lat]}
    return None


def _band(score: int) -> int:
    return next(i for i, (floor, _key, _colour) in enumerate(mapdata.PRIORITY_BANDS) if score >= floor)


CACHE_SECONDS = 600
FEED_FORMAT = 1  # raise when the drawn features change shape, so no cache serves the old ones
_COMPACT: dict[str, Any] = {"separators": (",", ":")}


def _listed(request: HttpRequest) -> QuerySet:
    listing = filtered_sites(Site.objects.for_user(request.user, Action.VIEW), request)
    return listing.queryset.order_by("name", "pk")


def _features(rows: Any, mine: Any) -> tuple[list[dict[str, Any]], list[Any]]:
    categories: dict[Any, int] = {}
    features = []
    for pk, name, boundary, lon, lat, score, override, org_id, category_id in rows:
        geom = _geometry(boundary, lon, lat)
        if geom is None:
            continue
        priority = override if override is not None else score
        properties: dict[str, Any] = {"name": name, "category": categories.setdefault(category_id, len(categories)),
                                      "priority": priority, "band": _band(priority)}
        if org_id not in mine:
            properties["shared"] = True
        features.append({"type": "Feature", "id": str(pk), "geometry": geom, "properties": properties})
    return features, list(categories)


_FEATURE_COLUMNS = ("pk", "name", "boundary", "lon", "lat", "priority_score", "priority_override", "organisation_id",
                    "category_id")


def _legend(category_ids: list[Any]) -> dict[str, Any]:
    """The words and colours the features refer to by number, in the request's language."""
    found = {c.pk: c for c in ReferenceObject.objects.filter(pk__in=category_ids)}
    return {
        "categories": [{"label": found[pk].label(), "colour": mapdata.category_colour(found[pk])}
                       for pk in category_ids],
        "bands": [{"key": key, "label": mapdata.band_label(key), "colour": colour}
                  for _floor, key, colour in mapdata.PRIORITY_BANDS],
    }


class _Feed:
    """One request's feed: its fingerprint first (cheap), the drawn features only when needed."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.rows = _listed(request)
        mine = list(memberships_of(request.user))
        # One text per row, made by the database: turning 2,000 ids and times into Python objects
        # only to hash them cost more than the rest of the request.
        parts: list[Any] = []
        for column in ("pk", "version", "updated_at", "priority_score", "priority_override", "category_id"):
            parts += [Coalesce(Cast(column, CharField()), Value("-")), Value(":")]
        own = Case(When(organisation_id__in=mine, then=Value("o")), default=Value("s"), output_field=CharField())
        digest = hashlib.sha256()
        for text in self.rows.annotate(fingerprint=Concat(*parts, own, output_field=CharField())).values_list(
                "fingerprint", flat=True):
            digest.update(text.encode() + b";")
        self.key = f"sites-map-feed:{FEED_FORMAT}:{digest.hexdigest()}"

    def etag(self) -> str:
        # The legend's words depend on the language; the library's content on its loaded version.
        return hashlib.sha256(f"{self.key}:{get_language()}:{_library_stamp()}".encode()).hexdigest()[:32]

    def body(self) -> bytes:
        cached = cache.get(self.key)
        if cached is None:
            features, category_ids = _features(self.rows.values_list(*_FEATURE_COLUMNS),
                                               memberships_of(self.request.user))
            cached = (json.dumps(features, **_COMPACT).encode(), category_ids)
            cache.set(self.key, cached, CACHE_SECONDS)
        features_json, category_ids = cached
        head = json.dumps({"type": "FeatureCollection", **_legend(category_ids)}, **_COMPACT).encode()
        return head[:-1] + b',"features":' + features_json + b"}"


def _library_stamp() -> str:
    return ",".join(f"{pk}:{sha}" for pk, sha in Library.objects.order_by("pk").values_list("pk", "sha256"))


def _feed(request: HttpRequest) -> _Feed:
    feed = getattr(request, "_stoa_map_feed", None)
    if feed is None:
        feed = _Feed(request)
        request._stoa_map_feed = feed  # type: ignore[attr-defined]
    return feed


@require_GET
@condition(etag_func=lambda request: _feed(request).etag())
def map_data(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_feed(request).body(), content_type="application/json")
    patch_cache_control(response, private=True, no_cache=True)
    return response
