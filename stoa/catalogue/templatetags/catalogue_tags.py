"""Template filters of the catalogue pages."""

from __future__ import annotations

from typing import Any

from django import template

from stoa.library.models import ReferenceObject

register = template.Library()


@register.filter
def threat_names(entry: Any) -> str:
    """The threat types ENTRY acts on, by name, in reference order."""
    threats = ReferenceObject.objects.filter(kind="threat_type").order_by("order", "ref_id")
    return ", ".join(t.label() for t in threats if entry.spec.acts_on(t.ref_id))


@register.filter
def percent(share: float) -> str:
    return f"{round(float(share) * 100)} %"
