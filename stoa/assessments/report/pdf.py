"""The assessment report as a PDF, drawn by WeasyPrint, which never reaches the network.

An assessment report is security-sensitive, and a PDF renderer that follows any URL in a page
would let a crafted text (or a stylesheet) make the server fetch from anywhere, or read local
files. ``StaticOnlyFetcher`` therefore answers only for Stoa's own static files (found through the
static-files finders, like ``runserver`` does, or in the collected static directory) and refuses
every other URL: http(s) elsewhere, file:, data:, ftp:. The map and the charts are inline SVG,
and fonts come from the system (fontconfig), so nothing else is needed.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The page's base URL. ".invalid" never resolves (RFC 2606); it is only a prefix the fetcher recognises.
BASE_URL = "https://stoa.invalid/"


class RefusedURL(ValueError):
    """A URL the PDF renderer is not allowed to fetch."""


def static_path(relative: str) -> Path | None:
    """The file of static path RELATIVE (e.g. ``stoa/report-pdf.css``), or None when there is none."""
    if not relative or ".." in Path(relative).parts or relative.startswith("/"):
        return None
    found = finders.find(relative)
    if found:
        return Path(found if isinstance(found, str) else found[0])
    try:
        collected = Path(staticfiles_storage.path(relative))
    except (NotImplementedError, ValueError):  # a storage without local files, or a path it refuses
        return None
    return collected if collected.is_file() else None


class StaticOnlyFetcher(URLFetcher):
    """Serves ``BASE_URL`` + STATIC_URL files from disk; refuses every other URL."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        prefix = urljoin(BASE_URL, settings.STATIC_URL)
        parts = urlsplit(url)
        plain = f"{parts.scheme}://{parts.netloc}{parts.path}"
        if not plain.startswith(prefix):
            raise RefusedURL(f"the PDF report may only use Stoa's static files, not {url[:200]}")
        path = static_path(unquote(plain[len(prefix):]))
        if path is None:
            raise RefusedURL(f"no such static file: {url[:200]}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})


def html_to_pdf(html: str) -> bytes:
    """The PDF of HTML, whose links to static files are relative to the site root (``{% static %}``).

    The PDF is tagged (headings, tables, lists), so a screen reader can follow it."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf(pdf_tags=True)
