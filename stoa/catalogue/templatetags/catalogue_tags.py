"""Template filters of the catalogue pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def percent(share: float) -> str:
    return f"{round(float(share) * 100)} %"
