"""The known effect of the measures already in place: those linked to a catalogue entry.

Per threat type, the shares of likelihood and consequence the linked measures remove together, by
the same overlap rule as everywhere (``stoa.core.catalogue.combination``). The team's ratings
already take these measures into account; this says what the catalogue expects of them, so a
rating that stays high despite strong measures (or low without any) stands out.
"""

from __future__ import annotations

from typing import Any

from stoa.catalogue.entries import Catalogue
from stoa.core.catalogue.combination import combine


def known_effects(measures: list[Any], catalogue: Catalogue, threats: dict[str, str]) -> list[dict[str, Any]]:
    """One row per threat type (ref_id → name in THREATS) that a linked measure acts on."""
    entries = [(m, catalogue.get(m.catalogue_key)) for m in measures if m.catalogue_key]
    rows = []
    for ref_id, name in threats.items():
        acting = [(m, e) for m, e in entries if e is not None and e.spec.acts_on(ref_id)]
        if not acting:
            continue
        rows.append({"threat": name,
                     "likelihood": round(combine(e.effect_on(ref_id)[0] for _m, e in acting) * 100),
                     "consequence": round(combine(e.effect_on(ref_id)[1] for _m, e in acting) * 100),
                     "measures": [m.description for m, _e in acting]})
    return rows
