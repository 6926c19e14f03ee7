"""``get_FOO_display()`` without rebuilding the choices on every call.

Django's own version makes a dict of a field's choices each time it is called, and hashing the
translated labels translates every one of them: on a page that lists two hundred measures with
their status, that was a tenth of the page's time. The dict is made once per field here; its labels
stay lazy, so each call still answers in the active language.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_LABELS: dict[int, dict[Any, Any]] = {}


def choice_labels(field: models.Field) -> dict[Any, Any]:
    """FIELD's stored value → its (lazy) label. Fields with callable choices are read afresh."""
    from django.utils.choices import CallableChoiceIterator

    if isinstance(field.choices, CallableChoiceIterator):
        return {make_hashable(value): label for value, label in field.flatchoices}
    key = id(field)
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {make_hashable(value): label for value, label in field.flatchoices}
    return labels


class ChoiceLabelsMixin(models.Model):
    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field) -> Any:
        value = getattr(self, field.attname)
        return force_str(choice_labels(field).get(make_hashable(value), value), strings_only=True)
