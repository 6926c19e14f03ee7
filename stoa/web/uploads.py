"""Every uploaded file goes through here: its size against the settings' limit, its type from its
content (never its name), and images rewritten without metadata (stoa.core.files). Forms and API
serializers call the same functions, so a page and the API refuse the same file with the same words.

Limits (settings, from the environment): ``MAX_UPLOAD_BYTES`` for attachments and data imports,
``MAX_NETWORK_UPLOAD_BYTES`` for street network files, ``MAX_IMAGE_PIXELS`` for pictures.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from stoa.core.files import (
    EXTENSIONS,
    HEAD_BYTES,
    IMAGE_TYPES,
    ImageRefused,
    reencode_image,
    sniff_content_type,
    sniff_text_kind,
)

# Short names of what an import may be, for the refusal message.
_KIND_NAMES = {"json": "JSON", "text": "CSV", "xml": "XML", "application/gzip": "gzip",
               "application/x-bzip2": "bzip2"}


def check_size(upload: Any, limit: int | None = None) -> None:
    """Refuse UPLOAD when it is larger than LIMIT bytes (default: settings.MAX_UPLOAD_BYTES), or empty."""
    limit = settings.MAX_UPLOAD_BYTES if limit is None else limit
    if upload.size > limit:
        raise ValidationError(_("The file is %(size)s; the limit is %(limit)s.") % {
            "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}, code="too_large")
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")


def _head(upload: Any) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def accept_document(upload: Any, accepted: frozenset[str], refusal: str) -> tuple[Any, str]:
    """UPLOAD checked for size and sniffed; returns the file to store and its media type.

    ACCEPTED lists the media types allowed; REFUSAL is the message when the content is none of them.
    An image comes back as a new file holding only its re-encoded pixels (stoa.core.files); the name
    always ends in the extension of the sniffed type."""
    check_size(upload)
    media_type = sniff_content_type(_head(upload))
    if media_type is None or media_type not in accepted:
        raise ValidationError(refusal, code="type")
    stem = os.path.splitext(os.path.basename(upload.name or "file"))[0][:80] or "file"
    name = f"{stem}.{EXTENSIONS[media_type]}"
    if media_type not in IMAGE_TYPES:
        upload.name = name
        return upload, media_type
    try:
        cleaned = reencode_image(upload.read(), media_type, settings.MAX_IMAGE_PIXELS)
    except ImageRefused as exc:
        if exc.code == "too_many_pixels":
            figures = {"pixels": f"{exc.pixels / 1e6:,.0f}", "limit": f"{settings.MAX_IMAGE_PIXELS / 1e6:,.0f}"}
            raise ValidationError(_("This picture has %(pixels)s million pixels; the limit is %(limit)s million. "
                                    "Send a smaller version.") % figures, code="too_many_pixels") from exc
        raise ValidationError(_("This picture cannot be read: the file is damaged or not really an image."),
                              code="unreadable") from exc
    finally:
        upload.seek(0)
    return ContentFile(cleaned, name=name), media_type


def check_data_file(upload: Any, kinds: frozenset[str], limit: int | None = None) -> str:
    """A data file to import (GeoJSON, CSV, JSON, OSM XML...): checked for size, and its content for
    being one of KINDS (see stoa.core.files.sniff_text_kind; binary: the sniffed media type).
    Returns the kind found ("empty" for a file of nothing but white space)."""
    check_size(upload, limit)
    head = _head(upload)
    if not head.strip() and getattr(upload, "size", len(head)) <= len(head):
        return "empty"  # nothing to mistake for another type: each importer reports an empty file itself
    kind = sniff_text_kind(head) or sniff_content_type(head)
    if kind not in kinds:
        expected = ", ".join(sorted({_KIND_NAMES.get(k, k) for k in kinds}))
        raise ValidationError(_("This file's content is not %(expected)s, whatever its name says.")
                              % {"expected": expected}, code="type")
    return kind
