"""Form building blocks for the site pages: accessible Bootstrap widgets, GeoJSON input, file sniffing."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stoa.core import geometry
from stoa.core.files import IMAGE_TYPES

_PAIR = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,;\s]\s*(-?\d+(?:\.\d+)?)\s*$")


class AccessibleFormMixin:
    """Bootstrap classes on every widget, and ARIA links from inputs to their help and error text.

    Field templates (``sites/partials/field.html``) print help as ``<id>_help`` and errors as
    ``<id>_error``; this mixin points ``aria-describedby`` at them and sets ``aria-invalid``.
    """

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}_help"  # type: ignore[index]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
            attrs["aria-invalid"] = "true"
            error_id = f"{self[name].auto_id}_error"  # type: ignore[index]
            attrs["aria-describedby"] = f"{attrs.get('aria-describedby', '')} {error_id}".strip()


# What each GeometryError code (stoa.core.geometry) says, in the reader's language.
_GEOMETRY_MESSAGES = {
    "not_geometry": _("This is not a GeoJSON geometry: an object with “type” and “coordinates” is needed."),
    "wrong_type": _("The shape must be of GeoJSON type %(expected)s, not %(found)s."),
    "malformed": _("The coordinates are malformed (%(detail)s)."),
    "empty": _("The shape has no coordinates."),
    "position": _("Each position needs a longitude and a latitude."),
    "out_of_range": _("The position (%(lon)s, %(lat)s) is outside the range of WGS84 longitudes and latitudes."),
    "swapped": _("The coordinates seem to be in latitude, longitude order; GeoJSON needs longitude first."),
    "self_intersection": _("The outline crosses itself. Redraw it so that no two edges cross."),
    "invalid": _("This geometry is not valid: %(reason)s."),
    "too_far": _("The shape lies %(distance_km)s km from the city, more than %(max_km)s km away."),
}


def geometry_message(exc: geometry.GeometryError) -> str:
    """A translated, plain-words message for a geometry the map cannot accept."""
    template = _GEOMETRY_MESSAGES.get(getattr(exc, "code", "other"))
    if template is not None:
        try:
            return str(template) % exc.params
        except (KeyError, TypeError):  # a code raised without its values: say it in general terms
            pass
    return str(_("This geometry cannot be used: %(reason)s.")) % {"reason": str(exc)}


class GeoJSONField(forms.CharField):
    """A GeoJSON geometry typed or pasted as text, or written by the map when the user draws.

    Accepts a geometry, a Feature, or a FeatureCollection holding exactly one feature; for points
    also a plain "longitude, latitude" pair, which is easier to type. Cleans to a geometry dict.
    """

    widget = forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"})

    def __init__(self, *, kind: str, reference: geometry.Reference | None = None, **kwargs: Any) -> None:
        self.kind = kind
        self.reference = reference
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return json.dumps(value)
        return value

    def to_python(self, value: Any) -> dict[str, Any] | None:  # type: ignore[override]
        if isinstance(value, dict):
            return value
        text = super().to_python(value)
        if not text:
            return None
        pair = _PAIR.match(text)
        if pair and self.kind == "Point":
            return {"type": "Point", "coordinates": [float(pair.group(1)), float(pair.group(2))]}
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                _("This is not valid GeoJSON text (line %(line)s, column %(col)s)."),
                code="json", params={"line": exc.lineno, "col": exc.colno},
            ) from exc
        if isinstance(data, dict) and data.get("type") == "FeatureCollection":
            features = data.get("features") or []
            if len(features) != 1:
                raise ValidationError(_("Give exactly one shape, not %(n)s."), code="count",
                                      params={"n": len(features)})
            data = features[0]
        if isinstance(data, dict) and data.get("type") == "Feature":
            data = data.get("geometry")
        if not isinstance(data, dict):
            raise ValidationError(_("This is not a GeoJSON geometry."), code="type")
        return data

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value:
            try:
                geometry.parse(value, self.kind, reference=self.reference)
            except geometry.GeometryError as exc:
                raise ValidationError(geometry_message(exc), code="geometry") from exc


# What a site attachment may hold, by kind; content sniffing and re-encoding live in stoa.core.files.
ACCEPTED_TYPES: dict[str, frozenset[str]] = {
    "photo": IMAGE_TYPES,
    "plan": IMAGE_TYPES | {"application/pdf"},
    "other": IMAGE_TYPES | {"application/pdf"},
}
