"""Finding a PSOI category from what a person typed: its id (SQUARE), its URN or its name."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from stoa.library.models import ReferenceObject

KIND = "psoi_category"


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


class CategoryIndex:
    """Every loaded PSOI category, found by ref_id, URN or name in any shipped language.

    Built once per import or request: one query, then lookups in memory.
    """

    def __init__(self) -> None:
        self._by_key: dict[str, ReferenceObject] = {}
        self.ref_ids: list[str] = []
        languages = [code for code, _name in settings.LANGUAGES]
        for obj in ReferenceObject.objects.filter(kind=KIND).select_related("library").order_by("order", "pk"):
            if obj.ref_id not in self.ref_ids:
                self.ref_ids.append(obj.ref_id)
            keys = [obj.ref_id, obj.urn, obj.name]
            keys += [str((obj.translations or {}).get(lang, {}).get("name") or "") for lang in languages]
            for key in keys:
                if key:
                    # The first object wins, so a ref_id loaded twice still resolves to one category.
                    self._by_key.setdefault(_key(key), obj)

    def find(self, value: str) -> ReferenceObject | None:
        return self._by_key.get(_key(value)) if value else None

    def unknown_message(self, value: str) -> str:
        return str(_("unknown category “%(value)s”; use one of %(ids)s (or the category’s name)")) % {
            "value": value, "ids": ", ".join(self.ref_ids) or str(_("(no categories are loaded)")),
        }


def describe(obj: ReferenceObject) -> dict[str, str | None]:
    """The short form of a category that the API and exports show."""
    return {"ref_id": obj.ref_id, "name": obj.label(), "colour": (obj.data or {}).get("colour")}
