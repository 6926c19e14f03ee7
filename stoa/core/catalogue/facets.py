"""Faceted filtering: OR within a facet, AND across facets, with counts per value.

Each entry declares, per facet, the set of values it has (a measure addresses several threat
types, acts in several phases...). The count shown next to a value is how many entries would
match if that value were ticked too, given every *other* facet's choice: the usual behaviour of
faceted search, so ticking a value never leads to an empty list without warning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Facets = Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class Faceted:
    key: str
    values: Facets  # facet name → the entry's values


def matches(entry: Faceted, chosen: Mapping[str, Sequence[str]], skip: str | None = None) -> bool:
    for facet, wanted in chosen.items():
        if facet == skip or not wanted:
            continue
        if not entry.values.get(facet, frozenset()) & set(wanted):
            return False
    return True


def filter_entries(entries: Sequence[Faceted], chosen: Mapping[str, Sequence[str]]) -> list[str]:
    return [e.key for e in entries if matches(e, chosen)]


def counts(entries: Sequence[Faceted], chosen: Mapping[str, Sequence[str]],
           facets: Sequence[str]) -> dict[str, dict[str, int]]:
    """Facet → value → number of entries matching the other facets' choices and that value."""
    result: dict[str, dict[str, int]] = {facet: {} for facet in facets}
    for facet in facets:
        tally = result[facet]
        for entry in entries:
            if matches(entry, chosen, skip=facet):
                for value in entry.values.get(facet, frozenset()):
                    tally[value] = tally.get(value, 0) + 1
    return result
