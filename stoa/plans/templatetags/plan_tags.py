"""Markup repeated once per row of the plan pages, built in Python.

A city page shows fifty plans and the timeline of their hundred and fifty measures: as included
templates and template loops these rows were a third of the page's rendering time.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def progress_bar(value: int | None, label: str) -> SafeString:
    """An accessible progress bar: the number is in the text, not only in the bar."""
    if value is None:
        return format_html('<span class="text-body-secondary">{}</span>', _("no items"))
    return format_html(
        '<span class="plan-progress d-inline-flex align-items-center gap-2" role="progressbar" aria-label="{label}" '
        'aria-valuemin="0" aria-valuemax="100" aria-valuenow="{value}" aria-valuetext="{value} %">'
        '<progress max="100" value="{value}" aria-hidden="true"></progress><span>{value} %</span></span>',
        label=label, value=value)


@register.simple_tag
def timeline_rows(rows: list[Any], grouped: bool = False) -> SafeString:
    """The rows of the timeline's table alternative, in the order of the chart."""
    overdue = format_html(' · <strong class="text-danger">{}</strong>', _("overdue"))

    def cells(r: Any) -> tuple[Any, ...]:
        group = format_html("<td>{}</td>", r.group) if grouped else ""
        return (group, r.label, r.start.isoformat(), r.end.isoformat(), r.progress, r.state,
                overdue if r.overdue else "", ", ".join(r.depends_on) or "—")

    return format_html_join("", '<tr>{}<th scope="row">{}</th><td>{}</td><td>{}</td><td>{} %</td><td>{}{}</td>'
                            "<td>{}</td></tr>", (cells(r) for r in rows))
