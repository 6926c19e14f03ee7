"""The page side of concurrent-edit detection (``stoa.accounts.versioning``).

``VersionedFormMixin`` carries the object's version in a hidden field. When the stored version has
moved on by the time the form comes back, the form is invalid: it shows who saved and when, and the
values stored now beside the person's own entries, which stay in the form; the hidden version is
moved to the stored one, so saving again deliberately replaces the other person's values.
Templates include ``partials/version_field.html`` inside the ``<form>``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext as _

from stoa.accounts.versioning import last_change


def _shown(obj: Any, name: str) -> str:
    display = getattr(obj, f"get_{name}_display", None)
    value = display() if callable(display) else getattr(obj, name, "")
    if hasattr(value, "all"):  # many-to-many
        value = ", ".join(str(v) for v in value.all())
    if isinstance(value, dict | list):
        return _("(changed)")
    return "—" if value in (None, "") else str(formats.localize(value))


class VersionedFormMixin:
    fields: dict[str, forms.Field]
    instance: Any
    data: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
        if self.instance.pk is not None and not self.instance._state.adding:
            self.initial["version"] = self.instance.version  # type: ignore[attr-defined]
        self.version_conflict: dict[str, Any] | None = None

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        cleaned = getattr(self, "cleaned_data", None)
        if cleaned is None or self.instance.pk is None or self.instance._state.adding:
            return
        expected = cleaned.get("version")
        if expected is None:
            return  # no version sent: an old page or a script; the last writer wins
        current = type(self.instance)._base_manager.filter(pk=self.instance.pk).first()
        if current is None or current.version == expected:
            self.instance.expected_version = expected
            return
        change = last_change(current)
        self.version_conflict = {
            "who": change.who, "when": change.when, "version": current.version,
            "values": [(self.fields[name].label or name, _shown(current, name))
                       for name in self.fields if name != "version" and hasattr(current, name)],
        }
        data = self.data.copy()
        data[self.add_prefix("version")] = str(current.version)  # type: ignore[attr-defined]
        self.data = data
        self.add_error(None, _("%(who)s saved this while you were editing it (%(when)s). Nothing of yours was "  # type: ignore[attr-defined]
                               "saved yet: compare with their values below, then save again to replace them.")
                       % {"who": change.who, "when": formats.localize(change.when) if change.when else "—"})
