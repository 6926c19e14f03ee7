"""Shipped reference objects (measures, threat types...), read and decoded once per process, and
again only when a library changes.

A shipped measure's row carries kilobytes of data and translations, and nearly every page of the
catalogue, assessments and plans needs them: reading all of them took a quarter of the catalogue
page's time. They change only when a library is loaded, refreshed or removed, and each of those
saves the library's own row (a new version, SHA-256, translations fingerprint or load time) or
deletes it. So each use first reads those few columns of the few library rows (a cheap query),
and reads the objects again only when the answer differs from the one they were read under. The
check is made once per request (a page asks for several kinds), and on every call outside one.
Saves in this process also empty the cache at once (signals), which keeps tests exact.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.signals import request_finished, request_started
from django.db.models.fields.json import KT
from django.db.models.signals import post_delete, post_save

from stoa.library.models import Library, ReferenceObject

_stamp: tuple[Any, ...] | None = None
_kinds: dict[str, list[ReferenceObject]] = {}
_request = threading.local()  # .checked: the stamp was compared during this thread's request


def library_stamp() -> tuple[Any, ...]:
    """What every loaded library is, in a few columns: it changes whenever any library does."""
    return tuple(Library.objects.order_by("pk").values_list(
        "pk", "version", "sha256", "loaded_at", KT("content__translations_sha256")))


def reference_objects(kind: str) -> list[ReferenceObject]:
    """Every shipped object of KIND, by library, order and id, with its library (without the
    library's big columns). The rows are shared between requests: read them, never change them."""
    global _stamp, _kinds
    if _stamp is None or not getattr(_request, "checked", False):
        stamp = library_stamp()
        if stamp != _stamp:
            _stamp, _kinds = stamp, {}
        _request.checked = getattr(_request, "active", False)
    kinds = _kinds
    rows = kinds.get(kind)
    if rows is None:
        # An object names its library by URN and version only: the library's loaded content (the
        # whole YAML text, megabytes for the shipped ones), translations and sources stay unread.
        rows = kinds[kind] = list(
            ReferenceObject.objects.filter(kind=kind).select_related("library")
            .defer("library__content", "library__translations", "library__sources", "library__description")
            .order_by("library__urn", "order", "ref_id"))
    return rows


def shipped_measures() -> list[ReferenceObject]:
    return reference_objects("measure")


def in_order(kind: str, *, ties: str = "ref_id") -> list[ReferenceObject]:
    """Every shipped object of KIND by its ``order``, ties broken by TIES (``ref_id`` or ``pk``),
    as ``order_by("order", TIES)`` would give them."""
    return sorted(reference_objects(kind), key=lambda o: (o.order, getattr(o, ties)))


def forget(**_kwargs: Any) -> None:
    global _stamp, _kinds
    _stamp, _kinds = None, {}


def _request_starts(**_kwargs: Any) -> None:
    _request.active, _request.checked = True, False


def _request_ends(**_kwargs: Any) -> None:
    _request.active, _request.checked = False, False


request_started.connect(_request_starts, dispatch_uid="shipped-objects-request-started")
request_finished.connect(_request_ends, dispatch_uid="shipped-objects-request-finished")
for _signal in (post_save, post_delete):
    _signal.connect(forget, sender=Library, dispatch_uid=f"shipped-measures-library-{_signal}")
    _signal.connect(forget, sender=ReferenceObject, dispatch_uid=f"shipped-measures-object-{_signal}")
