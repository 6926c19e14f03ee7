"""Photos and plans of a site: upload, download (always access-checked), removal.

Files are never served from ``/media/`` (no URL routes it): every download goes through
``attachment_download``, which loads the row with ``get_for_user`` first.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import reswap, retarget

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import get_for_user
from stoa.core.files import EXTENSIONS, IMAGE_TYPES
from stoa.sites.forms import AttachmentForm
from stoa.sites.models import Attachment, Site
from stoa.sites.views.sections import SiteSection


def _new_form(request: HttpRequest, site: Site, bound: bool = False) -> AttachmentForm:
    uploader = request.user if request.user.is_authenticated else None
    instance = Attachment(site=site, organisation_id=site.organisation_id, uploaded_by=uploader)
    if bound:
        return AttachmentForm(request.POST, request.FILES, instance=instance, prefix="attachment")
    return AttachmentForm(instance=instance, prefix="attachment")


def attachments_context(request: HttpRequest, site: Site, allowed: set[str],
                        form: AttachmentForm | None = None) -> dict[str, Any]:
    items = list(Attachment.objects.for_user(request.user, Action.VIEW).filter(site=site))
    return {
        "photos": [a for a in items if a.content_type in IMAGE_TYPES],
        "documents": [a for a in items if a.content_type not in IMAGE_TYPES],
        "attachment_form": form if form is not None else (
            _new_form(request, site) if Action.CHANGE in allowed else None),
    }


SECTION = SiteSection("sites/partials/section_attachments.html", "attachments-heading", attachments_context)


@require_http_methods(["POST"])
def attachment_add(request: HttpRequest, site_pk: Any) -> HttpResponse:
    """Upload a photo or plan. Adding to a site's file is a change of the site."""
    site = get_for_user(Site, request.user, Action.CHANGE, pk=site_pk)
    form = _new_form(request, site, bound=True)
    if form.is_valid():
        attachment = form.save()
        return SECTION.done(request, site, _("Uploaded: %(title)s.") % {"title": attachment.title})
    if request.htmx:  # type: ignore[attr-defined]
        return reswap(retarget(SECTION.render(request, site, form), "#attachments-section"), "outerHTML")
    return render(request, "sites/form_page.html", {
        "site": site, "form": form, "title": _("Add a photo or plan"), "action": request.path,
        "multipart": True, "submit_label": _("Upload"),
    }, status=400)


def _download_name(attachment: Attachment) -> str:
    """A readable file name from the title; the extension follows the sniffed content type."""
    return f"{slugify(attachment.title) or 'attachment'}.{EXTENSIONS.get(attachment.content_type, 'bin')}"


@require_http_methods(["GET"])
def attachment_download(request: HttpRequest, pk: Any) -> FileResponse:
    attachment = get_for_user(Attachment, request.user, Action.VIEW, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing from the server's storage.")) from exc
    inline = attachment.content_type in IMAGE_TYPES and "download" not in request.GET
    response = FileResponse(handle, content_type=attachment.content_type, as_attachment=not inline,
                            filename=_download_name(attachment))
    # Served content never runs anything, whatever it holds.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def attachment_delete(request: HttpRequest, pk: Any) -> HttpResponse:
    attachment = get_for_user(Attachment, request.user, Action.DELETE, pk=pk)
    site = attachment.site
    if request.method == "GET":
        return render(request, "sites/confirm.html", {
            "title": _("Remove “%(name)s”?") % {"name": attachment.title},
            "message": _("The file is deleted from the server. The audit trail keeps a record."),
            "action": request.path, "button": _("Remove"),
            "cancel_url": reverse("sites:detail", args=[site.pk]),
        })
    title, stored = attachment.title, attachment.file
    with transaction.atomic():
        attachment.delete()
        transaction.on_commit(lambda: stored.delete(save=False))
    return SECTION.done(request, site, _("Removed: %(title)s.") % {"title": title})
