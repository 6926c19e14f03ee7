"""Checking one answer against its question before it is stored.

The question's type (from the bank) decides the shape of the value: a choice id for single and
yes/no questions, a list of choice ids for multiple choice, a number, a text, or the id of a photo
attached to the site. A value of the wrong shape is refused with a message that says what was
expected, and nothing is stored. An empty value (None, "", []) clears the answer.
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stoa.library.models import ReferenceObject

TEXT_LIMIT = 4000


class UnknownQuestion(ValidationError):
    pass


def question_object(ref_id: str) -> ReferenceObject:
    obj = ReferenceObject.objects.filter(kind="question", ref_id=ref_id).first()
    if obj is None:
        raise UnknownQuestion(_("There is no question %(id)s in the question bank.") % {"id": ref_id})
    return obj


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def clean_value(question: dict[str, Any], value: Any, site: Any = None) -> Any:
    """VALUE checked for QUESTION (its data dict); ValidationError with a specific message."""
    if is_empty(value):
        return None
    kind = question.get("type")
    choice_ids = [c.get("id") for c in question.get("choices") or []]
    if kind in ("single", "yesno"):
        if not isinstance(value, str) or value not in choice_ids:
            raise ValidationError(_("Choose one of: %(choices)s.") % {"choices": ", ".join(choice_ids)})
        return value
    if kind == "multiple":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or any(not isinstance(v, str) or v not in choice_ids for v in value):
            raise ValidationError(_("Choose any of: %(choices)s.") % {"choices": ", ".join(choice_ids)})
        return sorted(set(value), key=choice_ids.index)
    if kind == "number":
        return _number(value)
    if kind == "text":
        if not isinstance(value, str):
            raise ValidationError(_("This question expects a text."))
        if len(value) > TEXT_LIMIT:
            raise ValidationError(_("Keep the answer under %(n)s characters.") % {"n": TEXT_LIMIT})
        return value.strip()
    if kind == "photo":
        return _photo(value, site)
    raise ValidationError(_("This question has an unknown type and cannot be answered."))


def _number(value: Any) -> float | int:
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError as exc:
            raise ValidationError(_("This question expects a number, e.g. 250.")) from exc
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(_("This question expects a number, e.g. 250."))
    if value < 0:
        raise ValidationError(_("The number cannot be negative."))
    return int(value) if float(value).is_integer() else value


def _photo(value: Any, site: Any) -> str:
    from stoa.sites.models import Attachment

    if not isinstance(value, str) or site is None:
        raise ValidationError(_("This question expects a photo attached to the public space."))
    try:
        found = Attachment.objects.filter(site=site, kind="photo", pk=value).exists()
    except (ValueError, ValidationError):
        found = False
    if not found:
        raise ValidationError(_("Choose a photo attached to this public space."))
    return value
