"""The catalogue one organisation sees: the shipped measures, with its own entries merged in.

A shipped measure is a ``ReferenceObject`` of kind ``measure`` (loaded from the measures library
files); a local one is a ``LocalMeasure`` row. Both become a ``CatalogueEntry`` with the same
fields, so every page, the API and the rules treat them alike. When a local entry ``based_on`` a
shipped URN exists, it replaces that shipped entry for its organisation: the URN then resolves to
the local numbers (an existing measure linked to the URN keeps working with the city's numbers).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from stoa.catalogue.models import LOCAL_PREFIX, LocalMeasure
from stoa.core.catalogue.measures import MeasureSpec, spec_from_data
from stoa.library.cached import shipped_measures
from stoa.library.models import ReferenceObject, localised
from stoa.library.presentation import term


@dataclass
class CatalogueEntry:
    key: str
    name: str
    description: str
    data: dict[str, Any]
    local: LocalMeasure | None = None
    shipped: ReferenceObject | None = None
    replaces: str = ""  # the shipped URN a local entry stands in for
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_local(self) -> bool:
        return self.local is not None

    @cached_property
    def spec(self) -> MeasureSpec:
        return spec_from_data(self.key, self.data)

    @property
    def library(self) -> str:
        if self.shipped is None:
            return ""
        return f"{self.shipped.library.urn} v{self.shipped.library.version}"

    def effect_on(self, threat: str) -> tuple[float, float]:
        return self.spec.effect_on(threat)

    def basis_for(self, threat: str) -> str:
        """Why the effect on THREAT is what it is, in the active language."""
        chosen = None
        for effect in self.data.get("effects", []):
            if effect.get("threat") == threat:
                chosen = effect
                break
            if effect.get("threat") == "ALL" and chosen is None:
                chosen = effect
        return term(chosen.get("basis") or {}) if chosen else ""

    def text(self, name: str) -> str:
        """A bilingual term of the measure (``legal``, cost ``basis``) in the active language."""
        value = self.data.get(name)
        return term(value) if isinstance(value, dict) else ""


def _shipped_entry(obj: ReferenceObject) -> CatalogueEntry:
    return CatalogueEntry(obj.urn, localised(obj, "name"), localised(obj, "description"), obj.data or {},
                          shipped=obj)


def _local_entry(measure: LocalMeasure) -> CatalogueEntry:
    return CatalogueEntry(measure.key, measure.name, measure.description, measure.data or {}, local=measure,
                          replaces=measure.based_on)


class Catalogue:
    """The entries of one organisation's catalogue, in display order (shipped order, then local)."""

    def __init__(self, entries: list[CatalogueEntry], aliases: dict[str, str]) -> None:
        self.entries = entries
        self._by_key = {e.key: e for e in entries}
        self._aliases = aliases  # shipped URN → the local key that replaces it

    def get(self, key: str) -> CatalogueEntry | None:
        """The entry KEY names, following a shipped URN to the organisation's own version."""
        key = self._aliases.get(key, key)
        return self._by_key.get(key)

    def canonical(self, key: str) -> str:
        return self._aliases.get(key, key)

    def __iter__(self) -> Any:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def catalogue_for(organisation: Any, keys: Iterable[str] | None = None) -> Catalogue:
    """ORGANISATION's catalogue (an instance or an id; None gives the shipped catalogue only).

    With KEYS, only the shipped entries they name are kept (every local one is): ``get`` answers
    for those keys as the whole catalogue would. The shipped rows come from ``shipped_measures``."""
    org_id = getattr(organisation, "pk", organisation)
    local = list(LocalMeasure.objects.filter(organisation_id=org_id)) if org_id else []
    shipped = shipped_measures()
    if keys is not None:
        wanted = {*keys, *(m.based_on for m in local if m.based_on)}
        shipped = [obj for obj in shipped if obj.urn in wanted]
    aliases = {m.based_on: m.key for m in local if m.based_on}
    entries: list[CatalogueEntry] = []
    by_urn = {m.based_on: m for m in local if m.based_on}
    for obj in shipped:
        replacement = by_urn.get(obj.urn)
        entries.append(_local_entry(replacement) if replacement else _shipped_entry(obj))
    shipped_urns = {o.urn for o in shipped}
    entries.extend(_local_entry(m) for m in local if m.based_on not in shipped_urns)
    return Catalogue(entries, aliases)


def is_local_key(key: str) -> bool:
    return key.startswith(LOCAL_PREFIX)
