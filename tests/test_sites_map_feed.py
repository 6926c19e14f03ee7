"""The inventory: its table a page at a time, and the map's own feed (/sites/map.geojson) holding
every public space the user may see and the filters keep, never another organisation's."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from stoa.core import geometry
from stoa.sites.models import Site
from tests import factories

pytestmark = pytest.mark.django_db

FEED = reverse("sites:map-data")


def _names(response: Any) -> set[str]:
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return {f["properties"]["name"] for f in response.json()["features"]}


def test_the_feed_holds_every_site_the_user_may_see_and_only_those(client: Any, org: Any, other_org: Any,
                                                                   officer: Any, outsider: Any) -> None:
    ours = [factories.make_site(org, name=f"Square {n:02d}") for n in range(55)]
    theirs = factories.make_site(other_org, name="Harbour Quay")
    factories.share(theirs, org)
    factories.make_site(other_org, name="Secret Depot")
    client.force_login(officer)
    feed = client.get(FEED).json()
    assert {f["properties"]["name"] for f in feed["features"]} == {s.name for s in ours} | {"Harbour Quay"}
    by_name = {f["properties"]["name"]: f for f in feed["features"]}
    assert by_name["Harbour Quay"]["properties"]["shared"] is True
    assert "shared" not in by_name["Square 00"]["properties"]
    square = by_name["Square 00"]
    assert square["id"] == str(ours[0].pk) and square["geometry"]["type"] == "Polygon"
    category = feed["categories"][square["properties"]["category"]]
    assert category["label"] == ours[0].category.label() and re.match(r"^#[0-9a-f]{6}$", category["colour"], re.I)
    band = feed["bands"][square["properties"]["band"]]
    assert square["properties"]["priority"] == ours[0].priority and band["key"] == "low"

    client.force_login(outsider)
    assert _names(client.get(FEED)) == {"Harbour Quay", "Secret Depot"}


def test_the_feed_follows_the_list_filters(client: Any, org: Any, other_org: Any, officer: Any, site: Any) -> None:
    factories.make_site(org, name="Bus Station")
    theirs = factories.make_site(other_org, name="Harbour Quay")
    factories.share(theirs, org)
    client.force_login(officer)
    assert _names(client.get(FEED, {"q": "station"})) == {"Bus Station"}
    assert _names(client.get(FEED, {"organisation": other_org.slug})) == {"Harbour Quay"}
    assert _names(client.get(FEED, {"organisation": "no-such-org"})) == {"Bus Station", "Market Square", "Harbour Quay"}
    page = client.get(reverse("sites:list"), {"q": "station", "sort": "-area", "page": "1"})
    assert page.context["map_url"] == f"{FEED}?q=station"  # the map keeps the filters, not the page or sort


def test_a_site_known_only_as_a_point_is_on_the_map_and_one_without_position_is_not(client: Any, org: Any,
                                                                                     officer: Any) -> None:
    factories.make_site(org, name="Kiosk", boundary=None, lon=4.35, lat=50.85)
    factories.make_site(org, name="Nowhere", boundary=None)
    client.force_login(officer)
    features = client.get(FEED).json()["features"]
    assert [(f["properties"]["name"], f["geometry"]) for f in features] == [
        ("Kiosk", {"type": "Point", "coordinates": [4.35, 50.85]})]


def test_the_feed_is_private_and_a_browser_revalidates_it(client: Any, org: Any, officer: Any, site: Any) -> None:
    client.force_login(officer)
    first = client.get(FEED)
    cache = first["Cache-Control"]
    assert "private" in cache and "no-cache" in cache and first.has_header("ETag")
    again = client.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    Site.objects.filter(pk=site.pk).update(priority_override=90)  # even a change that skips save()
    changed = client.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["features"][0]["properties"]["priority"] == 90


def test_the_kept_features_never_outlive_a_change(client: Any, org: Any, other_org: Any, officer: Any,
                                                  site: Any) -> None:
    """The features are cached; each kind of change must still show on the very next request."""
    theirs = factories.make_site(other_org, name="Harbour Quay")
    client.force_login(officer)
    assert _names(client.get(FEED)) == {"Market Square"}
    share = factories.share(theirs, org)
    assert _names(client.get(FEED)) == {"Market Square", "Harbour Quay"}
    site.refresh_from_db()
    site.name = "Town Hall Square"
    site.save()
    assert _names(client.get(FEED)) == {"Town Hall Square", "Harbour Quay"}
    site.crowdslots.create(organisation=org, label="Market", start_time="08:00", end_time="12:00",
                           typical_people=5000, peak_people=20000)
    site.update_priority()
    priority = {f["properties"]["name"]: f["properties"]["priority"] for f in client.get(FEED).json()["features"]}
    assert priority["Town Hall Square"] == Site.objects.get(pk=site.pk).priority_score > 0
    share.delete()
    assert _names(client.get(FEED)) == {"Town Hall Square"}
    site.delete()
    assert _names(client.get(FEED)) == set()


def test_an_unchanged_city_is_drawn_once_and_revalidated_without_drawing(client: Any, officer: Any, site: Any,
                                                                        monkeypatch: Any) -> None:
    from stoa.sites.views import mapfeed

    client.force_login(officer)
    first = client.get(FEED)
    drawn: list[Any] = []
    monkeypatch.setattr(mapfeed, "_geometry", lambda *args: drawn.append(args))
    assert client.get(FEED).content == first.content and drawn == []
    assert client.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304 and drawn == []


def test_the_legend_follows_the_language_and_so_does_the_etag(client: Any, officer: Any, site: Any) -> None:
    from django.utils import translation

    client.force_login(officer)
    english = client.get(FEED)
    french = client.get(FEED, HTTP_ACCEPT_LANGUAGE="fr")
    assert english["ETag"] != french["ETag"]
    with translation.override("fr"):
        assert french.json()["categories"][0]["label"] == site.category.label()
        assert french.json()["bands"][0]["label"] != english.json()["bands"][0]["label"]
    assert french.json()["features"] == english.json()["features"]


def test_the_feed_needs_a_login(client: Any, site: Any) -> None:
    response = client.get(FEED)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_table_is_paginated_and_keeps_its_filters(client: Any, org: Any, officer: Any) -> None:
    for n in range(53):
        factories.make_site(org, name=f"Square {n:02d}")
    factories.make_site(org, name="Bus Station")
    client.force_login(officer)
    first = client.get(reverse("sites:list"), {"q": "square"})
    assert [s.name for s in first.context["sites"]] == [f"Square {n:02d}" for n in range(50)]
    html = first.content.decode()
    assert "53 public spaces shown" in html and "Page 1 of 2" in html
    assert 'href="?q=square&amp;page=2"' in html
    second = client.get(reverse("sites:list"), {"q": "square", "page": "2"}, HTTP_HX_REQUEST="true")
    assert [s.name for s in second.context["sites"]] == ["Square 50", "Square 51", "Square 52"]
    assert "<html" not in second.content.decode()
    # Sorting, or downloading what is shown, starts again from the whole filtered list.
    assert all("page=" not in (c["sort_url"] or "") for c in second.context["listing"].columns)
    assert "page=" not in second.context["listing"].querystring
    beyond = client.get(reverse("sites:list"), {"page": "99"})  # the last page: Bus Station comes first
    assert beyond.status_code == 200
    assert [s.name for s in beyond.context["sites"]] == [f"Square {n}" for n in range(49, 53)]


def test_an_overview_outline_drops_needless_corners_and_rounds() -> None:
    ring = [[4.35 + i * 0.0001, 50.85] for i in range(20)] + [[4.352, 50.851], [4.35, 50.851], [4.35, 50.85]]
    light = geometry.overview_outline({"type": "Polygon", "coordinates": [ring]})
    assert light["type"] == "Polygon" and len(light["coordinates"][0]) == 5  # the corners on a straight edge go
    small = {"type": "Polygon", "coordinates": [[[4.123456789, 50.1], [4.2, 50.1], [4.2, 50.2], [4.123456789, 50.1]]]}
    assert geometry.overview_outline(small)["coordinates"][0][0] == [4.123457, 50.1]
