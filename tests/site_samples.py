"""Sample geometry and categories for the import, export and API tests."""

from __future__ import annotations

from typing import Any

from stoa.library.models import ReferenceObject
from tests import factories

# A square of about 140 m × 130 m in a fictional city around (4.35, 50.85).
SQUARE = factories.SQUARE
POINT = {"type": "Point", "coordinates": [4.351, 50.8506]}
OUTLINE = {"type": "Polygon",
           "coordinates": [[[4.30, 50.82], [4.40, 50.82], [4.40, 50.88], [4.30, 50.88], [4.30, 50.82]]]}
BOW_TIE = {"type": "Polygon", "coordinates": [[[4.350, 50.850], [4.352, 50.852], [4.352, 50.850], [4.350, 50.852],
                                               [4.350, 50.850]]]}


def square_at(dx: float) -> dict[str, Any]:
    """SQUARE moved DX degrees east, so several sites do not overlap."""
    ring = [[x + dx, y] for x, y in SQUARE["coordinates"][0]]
    return {"type": "Polygon", "coordinates": [ring]}


def swapped(geom: dict[str, Any]) -> dict[str, Any]:
    """GEOM with every position written latitude first, the classic mistake."""
    return {"type": "Polygon", "coordinates": [[[y, x] for x, y in geom["coordinates"][0]]]}


def make_categories() -> list[ReferenceObject]:
    """SQUARE and TRANSPORT_HUB with English and French names, as the shipped library has them."""
    library = factories.test_library()
    return [
        ReferenceObject.objects.get_or_create(
            urn=f"urn:stoa:test:psoi-category:{ref.lower()}",
            defaults={"library": library, "kind": "psoi_category", "ref_id": ref, "name": en, "order": n,
                      "translations": {"fr": {"name": fr}}, "data": {"colour": colour}},
        )[0]
        for n, (ref, en, fr, colour) in enumerate([("SQUARE", "Square", "Place publique", "#1f77b4"),
                                                   ("TRANSPORT_HUB", "Transport hub", "Pôle de transport", "#ff7f0e")])
    ]
