"""What an uploaded file really is, and images rewritten so that only their pixels are kept.

A file's name and the type the browser claims are the sender's word; its first bytes are not. Images
are decoded and encoded again: what comes out holds the picture (turned upright, as the camera meant
it) and nothing else — no EXIF block with the GPS position of the photographer, no comment, no
payload appended after the image data. A picture that would decode to more pixels than allowed is
refused before it is decoded (a "decompression bomb": a small file that needs gigabytes of memory).
"""

from __future__ import annotations

import codecs
import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

# (signature, offset, media type): the first bytes of a file say what it is.
_SIGNATURES: list[tuple[bytes, int, str]] = [
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"WEBP", 8, "image/webp"),
    (b"%PDF-", 0, "application/pdf"),
    (b"\x1f\x8b", 0, "application/gzip"),
    (b"BZh", 0, "application/x-bzip2"),
    (b"PK\x03\x04", 0, "application/zip"),
]
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp",
              "application/pdf": "pdf"}
_PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}
# How many bytes the sniffing functions need to see.
HEAD_BYTES = 512


def sniff_content_type(head: bytes) -> str | None:
    """The media type of a binary file whose first bytes are HEAD, or None when it is none we know."""
    for signature, offset, media_type in _SIGNATURES:
        if head[offset:offset + len(signature)] == signature:
            if media_type == "image/webp" and not head.startswith(b"RIFF"):
                continue
            return media_type
    return None


def sniff_text_kind(head: bytes) -> str | None:
    """For a data file to import: "json" (an object or array), "xml", or "text" (e.g. CSV), read from
    HEAD; None when HEAD is not UTF-8 text at all (a binary file renamed .csv or .json)."""
    if b"\x00" in head:
        return None
    try:  # incremental: HEAD may end in the middle of a character
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        return None
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        return "json"
    if stripped[:1] == "<":
        return "xml"
    return "text" if stripped else None


class ImageRefused(ValueError):
    """An image that cannot be accepted; CODE is "too_many_pixels" or "unreadable"."""

    def __init__(self, code: str, pixels: int = 0) -> None:
        super().__init__(code)
        self.code = code
        self.pixels = pixels


def reencode_image(data: bytes, media_type: str, max_pixels: int) -> bytes:
    """DATA, an image of MEDIA_TYPE, decoded and encoded again in the same format: upright, without
    metadata or trailing bytes. Raises ImageRefused when it cannot be read or is too large."""
    try:
        with warnings.catch_warnings():
            # Pillow warns (and past twice its own limit, raises) on huge images; ours is the limit here.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise ImageRefused("too_many_pixels", width * height)
            if _PIL_FORMATS.get(media_type) != image.format:
                raise ImageRefused("unreadable")
            frames = getattr(image, "n_frames", 1)
            if frames > 1 and width * height * frames > max_pixels:
                raise ImageRefused("too_many_pixels", width * height * frames)
            image.load()
            return _encode(image, media_type, animated=frames > 1)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        if isinstance(exc, ImageRefused):
            raise
        raise ImageRefused("unreadable") from exc


# What a picture needs to look the same; everything else in Pillow's ``info`` (EXIF, XMP, comments,
# text chunks) is left behind.
_DISPLAY_INFO = ("transparency", "duration", "loop", "background", "disposal")


def _encode(image: Image.Image, media_type: str, animated: bool) -> bytes:
    out = io.BytesIO()
    fmt = _PIL_FORMATS[media_type]
    upright = image if animated else (ImageOps.exif_transpose(image) or image)
    upright.info = {key: value for key, value in upright.info.items() if key in _DISPLAY_INFO}
    if animated:  # every frame kept
        upright.save(out, format=fmt, save_all=True)
        return out.getvalue()
    if fmt == "JPEG":
        if upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        upright.save(out, format=fmt, quality=90, optimize=True)
    elif fmt == "WEBP":
        upright.save(out, format=fmt, quality=90)
    else:
        upright.save(out, format=fmt)
    return out.getvalue()
