"""Downloads: the RFI document (Markdown, PDF) for whoever may see the RFI, invited vendors
included, and a submission's attachments for the vendor and, once submitted, the city.

Files are never served from ``/media/``: every download loads its row with ``get_for_user`` first
(404 for anyone else, such as another vendor). Downloads are private, never cached, and carry the
RFI owner's classification in an ``X-Classification`` header, like the assessment report.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import get_for_user
from stoa.core.files import EXTENSIONS
from stoa.procurement import document
from stoa.procurement.models import Rfi, SubmissionAttachment


def _download(body: bytes, content_type: str, rfi: Rfi, suffix: str) -> HttpResponse:
    stem = slugify(rfi.reference or rfi.title) or "rfi"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{suffix}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Classification"] = rfi.organisation.classification
    return response


@require_http_methods(["GET"])
def document_markdown(request: HttpRequest, pk: Any) -> HttpResponse:
    rfi = get_for_user(Rfi, request.user, Action.VIEW, pk=pk)
    return _download(document.markdown(rfi).encode(), "text/markdown; charset=utf-8", rfi, "md")


@require_http_methods(["GET"])
def document_pdf(request: HttpRequest, pk: Any) -> HttpResponse:
    rfi = get_for_user(Rfi, request.user, Action.VIEW, pk=pk)
    return _download(document.pdf(rfi), "application/pdf", rfi, "pdf")


@require_http_methods(["GET"])
def attachment_download(request: HttpRequest, pk: Any) -> FileResponse:
    attachment = get_for_user(SubmissionAttachment, request.user, Action.VIEW, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing from the server's storage.")) from exc
    stem = slugify(attachment.name.rsplit(".", 1)[0]) or "attachment"
    response = FileResponse(handle, content_type=attachment.content_type, as_attachment=True,
                            filename=f"{stem}.{EXTENSIONS.get(attachment.content_type, 'bin')}")
    # Served content never runs anything, whatever it holds.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
