"""The edit and remove buttons of each row of the site page's sections, built in Python: an
included template per row was a large share of drawing the page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def row_actions(context: Any, kind: Any, obj: Any) -> SafeString:
    """Edit and remove buttons for OBJ, a part of KIND; each only when the role (``allowed``) permits it."""
    allowed = context.get("allowed") or ()
    buttons = []
    if "change" in allowed:
        edit = reverse("sites:part-edit", args=[kind.slug, obj.pk])
        buttons.append(format_html(
            '<a class="btn btn-sm btn-outline-primary" href="{}" hx-get="{}" hx-target="#{}-editor">{}'
            '<span class="visually-hidden"> {}</span></a>', edit, edit, kind.slug, _("Edit"), obj))
    if "delete" in allowed:
        remove = reverse("sites:part-delete", args=[kind.slug, obj.pk])
        buttons.append(format_html(
            '<form method="post" action="{}" hx-post="{}" hx-target="#{}-section" hx-swap="outerHTML" hx-confirm="{}">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" class="btn btn-sm btn-outline-danger">{}<span class="visually-hidden"> {}</span>'
            "</button></form>", remove, remove, kind.slug, _("Remove “%(name)s”?") % {"name": obj},
            context.get("csrf_token", ""), _("Remove"), obj))
    return format_html('<div class="d-flex flex-wrap gap-1 justify-content-end">{}</div>', SafeString("".join(buttons)))
