"""The browse page's logic: facets, labels and search over one organisation's catalogue.

The filtering and ranking rules are the pure domain's (``stoa.core.catalogue.facets`` and
``search``); this module says which facets a measure has and how their values read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from stoa.catalogue import vocabulary
from stoa.catalogue.entries import Catalogue, CatalogueEntry
from stoa.core.catalogue import facets, search
from stoa.library.cached import in_order

FACETS = ["threat", "phase", "category", "type", "cost", "privacy", "timing", "origin"]
FACET_TITLES = {
    "threat": _("Threat type"), "phase": _("Attack phase"), "category": _("Technology category"),
    "type": _("Solution type"), "cost": _("Capital cost"), "privacy": _("Privacy impact"),
    "timing": _("Structural or event-driven"), "origin": _("Source"),
}
ORIGINS = {"shipped": _("Shipped catalogue"), "local": _("Your organisation's")}


def reference_labels(kind: str) -> dict[str, str]:
    return {o.ref_id: o.label() for o in in_order(kind)}


def facet_values(entry: CatalogueEntry, threats: list[str]) -> dict[str, frozenset[str]]:
    data = entry.data
    timing = data.get("timing", "")
    return {
        "threat": frozenset(t for t in threats if entry.spec.acts_on(t)),
        "phase": frozenset(data.get("phases", [])),
        "category": frozenset([data.get("technology_category", "")]),
        "type": frozenset([data.get("solution_type", "")]),
        "cost": frozenset([vocabulary.cost_band(entry.spec.capital_mid)]),
        "privacy": frozenset([data.get("privacy", "")]),
        "timing": frozenset(["structural", "event"] if timing == "both" else [timing]),
        "origin": frozenset(["local" if entry.is_local else "shipped"]),
    }


def search_fields(entry: CatalogueEntry) -> dict[str, list[str]]:
    """Every language's text of ENTRY, so a search in French finds an English-named measure too."""
    data = entry.data
    shipped = entry.shipped
    names = [entry.name]
    texts = [entry.description]
    if shipped is not None:
        names.append(shipped.name)
        texts.append(shipped.description)
        for text in (shipped.translations or {}).values():
            names.append(text.get("name", ""))
            texts.append(text.get("description", ""))
    for effect in data.get("effects", []):
        texts.extend(str(v) for v in (effect.get("basis") or {}).values())
    tags = [*data.get("standards", []), *data.get("application", []), *data.get("uses", [])]
    return {"name": names, "tags": tags, "text": texts}


@dataclass
class Browse:
    entries: list[CatalogueEntry]
    counts: dict[str, dict[str, int]]
    options: list[dict[str, Any]]  # facet → its values with labels, counts and whether chosen
    total: int


def labels() -> dict[str, dict[str, str]]:
    return {
        "threat": reference_labels("threat_type"), "phase": reference_labels("attack_phase"),
        "category": reference_labels("technology_category"),
        "type": {k: str(v) for k, v in vocabulary.SOLUTION_TYPES.items()},
        "cost": {band: str(label) for band, label, _low, _high in vocabulary.COST_BANDS},
        "privacy": {k: str(vocabulary.IMPACTS[k]) for k in vocabulary.IMPACT_ORDER},
        "timing": {"structural": str(_("Structural")), "event": str(_("Event-driven"))},
        "origin": {k: str(v) for k, v in ORIGINS.items()},
        "use": reference_labels("measure_use"),
    }


def browse(catalogue: Catalogue, query: str, chosen: dict[str, list[str]]) -> Browse:
    names = labels()
    threats = list(names["threat"])
    faceted = [facets.Faceted(e.key, facet_values(e, threats)) for e in catalogue]
    kept = set(facets.filter_entries(faceted, chosen))
    # Indexed once: the facet counts need every entry matching the search, the list only the kept ones.
    # An empty query keeps every entry in order: no need to index the texts for it.
    matching = (search.search([search.index(e.key, search_fields(e)) for e in catalogue], query)
                if search.words(query) else [e.key for e in catalogue])
    found = [key for key in matching if key in kept]
    by_key = {e.key: e for e in catalogue}
    for entry in catalogue:  # named once here, so the list needs no query per row
        entry.extra["threat_names"] = [names["threat"][t] for t in threats if entry.spec.acts_on(t)]
    searched = set(matching)
    counted = [f for f in faceted if f.key in searched]
    counts = facets.counts(counted, chosen, FACETS)
    options = [{"name": facet, "title": FACET_TITLES[facet],
                "values": [{"value": value, "label": label, "count": counts[facet].get(value, 0),
                            "chosen": value in chosen.get(facet, [])} for value, label in names[facet].items()]}
               for facet in FACETS]
    return Browse([by_key[k] for k in found], counts, options, len(catalogue))
