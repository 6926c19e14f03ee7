"""The main menu and the language list of every page, built in Python.

They are on every page and the same for every user of a role: as template loops, includes and
``{% url %}`` tags they cost each page more than many of their own tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django import template
from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

register = template.Library()


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: Any  # a lazy translation
    exact: bool = False  # the entry is the current page's only on its own URL, not on the pages below it


STAFF = (
    Entry("sites:list", _("1. Public spaces")),
    Entry("assessments:list", _("2. Assessments")),
    Entry("catalogue:list", _("3. Measures catalogue")),
    Entry("evaluation:list", _("4. Evaluation")),
    Entry("plans:overview", _("5. Action plans")),
    Entry("procurement:list", _("RFIs")),
    Entry("reports:list", _("Reports")),
    Entry("cases:list", _("Case library")),
    Entry("library:list", _("Libraries")),
)
ADMIN = (
    Entry("members", _("Members"), exact=True),
    Entry("audit:list", _("Audit trail")),
)
CURRENT = mark_safe(' active" aria-current="page')
SELECTED = mark_safe(" selected")
VENDOR = (Entry("procurement:list", _("Requests for information")),)


@cache
def _url(url_name: str, script_prefix: str) -> str:
    return reverse(url_name)


@register.simple_tag(takes_context=True)
def main_nav(context: Any) -> SafeString:
    """The menu entries (``<li>``) the user's role reaches, the current page's marked for screen readers."""
    path = context["request"].path
    entries = VENDOR if context.get("is_vendor") else STAFF + (ADMIN if context.get("active_role") == "admin" else ())
    prefix = get_script_prefix()

    def item(entry: Entry) -> tuple[Any, ...]:
        url = _url(entry.url_name, prefix)
        current = path == url if entry.exact else path.startswith(url)
        return CURRENT if current else "", url, entry.label

    return format_html_join("\n", '<li class="nav-item"><a class="nav-link{}" href="{}">{}</a></li>',
                            (item(e) for e in entries))


@cache
def _language_options(current: str) -> SafeString:
    def option(code: str) -> tuple[Any, ...]:
        selected = SELECTED if code == current else ""
        return code, code, selected, capfirst(get_language_info(code)["name_local"])

    return format_html_join("\n", '<option value="{}" lang="{}"{}>{}</option>',
                            (option(code) for code, _name in settings.LANGUAGES))


@register.simple_tag
def language_options(current: str) -> SafeString:
    """The interface languages, each named in itself, CURRENT selected."""
    return _language_options(current)
