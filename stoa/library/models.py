"""Loaded content libraries and the typed reference objects they hold.

A library file (YAML) is validated by ``stoa.library.schema`` and written by
``stoa.library.loader``; the rows here are what was loaded. Domain models point at
``ReferenceObject`` rows with ``on_delete=PROTECT``, which is what stops a library in use from
being removed.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class ByUrnManager(models.Manager):
    """Finds rows by URN, their natural key, so backups refer to library rows across installations."""

    def get_by_natural_key(self, urn: str) -> Any:
        return self.get(urn=urn)


class Library(models.Model):
    """One loaded library file: its header and the exact content that was loaded."""

    urn = models.CharField(max_length=200, unique=True)
    version = models.PositiveIntegerField()
    locale = models.CharField(max_length=10, default="en")
    provider = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    translations = models.JSONField(default=dict, blank=True)
    sources = models.JSONField(default=list, blank=True)
    publication_date = models.DateField(null=True, blank=True)
    sha256 = models.CharField(max_length=64)
    content = models.JSONField(default=dict)
    loaded_at = models.DateTimeField(auto_now=True)

    objects = ByUrnManager()

    class Meta:
        ordering = ["urn"]
        verbose_name = _("content library")
        verbose_name_plural = _("content libraries")

    def __str__(self) -> str:
        return f"{self.urn} v{self.version}"

    def natural_key(self) -> tuple[str]:
        return (self.urn,)

    def label(self, field: str = "name") -> str:
        return localised(self, field)


class ReferenceObject(models.Model):
    """A typed item of a library: a threat type, a PSOI category, a risk matrix..."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="objects_set")
    kind = models.CharField(max_length=40, db_index=True)
    urn = models.CharField(max_length=250, unique=True)
    ref_id = models.CharField(max_length=80)
    order = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=250)
    description = models.TextField(blank=True)
    translations = models.JSONField(default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = ByUrnManager()

    class Meta:
        ordering = ["kind", "order", "ref_id"]
        indexes = [models.Index(fields=["kind", "ref_id"])]
        verbose_name = _("reference object")
        verbose_name_plural = _("reference objects")

    def __str__(self) -> str:
        return self.label()

    def natural_key(self) -> tuple[str]:
        return (self.urn,)

    natural_key.dependencies = ["library.library"]  # type: ignore[attr-defined]

    def label(self, field: str = "name") -> str:
        return localised(self, field)


def localised(obj: Any, field: str) -> str:
    """FIELD of OBJ in the active language, falling back to the library's own text."""
    lang = (translation.get_language() or "en").split("-")[0]
    value = (obj.translations or {}).get(lang, {}).get(field)
    return str(value) if value else str(getattr(obj, field, "") or "")
