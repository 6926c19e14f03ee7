"""Concurrent-edit detection: a version number on the objects several people edit at once.

``VersionedModel`` adds ``version``, raised by one on every save through an atomic UPDATE. A save
that names the version its editor started from (``obj.expected_version = n``, set by the page form
mixin ``stoa.web.versioned_forms`` and the API mixin ``stoa.api.versioning``) succeeds only if
the row still has that version (a conditional ``UPDATE … WHERE version = n``); otherwise it raises
``VersionConflict`` and nothing is written. A save without an expected version (services, imports,
an API call without ``If-Match`` or ``version``) still raises the number, so later editors notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class VersionConflict(Exception):
    """The row changed since the editor loaded it; carries what is stored now."""

    def __init__(self, current: Any, expected: int) -> None:
        self.current = current
        self.expected = expected
        super().__init__(_("Someone else saved this in the meantime (version %(current)s, you had %(expected)s).")
                         % {"current": getattr(current, "version", "?"), "expected": expected})


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(gettext_lazy("version"), default=1, editable=False)

    # The version the current editor started from; None: save whatever is stored (last writer wins).
    expected_version: int | None = None

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding or self.pk is None:
            super().save(*args, **kwargs)
            return
        rows = type(self)._base_manager.using(kwargs.get("using") or self._state.db).filter(pk=self.pk)
        with transaction.atomic(using=rows.db):
            expected = self.expected_version
            if expected is None:
                rows.update(version=F("version") + 1)
                self.version = rows.values_list("version", flat=True).first() or self.version + 1
            else:
                if not rows.filter(version=expected).update(version=expected + 1):
                    raise VersionConflict(rows.first(), expected)
                self.version = expected + 1
            self.expected_version = None
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
            super().save(*args, **kwargs)


@dataclass
class LastChange:
    who: str
    when: datetime | None


def last_change(obj: Any) -> LastChange:
    """Who saved OBJ last and when, from the audit trail (or its ``updated_at`` when unaudited)."""
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp").first()
    if entry is not None:
        actor = entry.actor
        who = (actor.get_full_name() or actor.get_username()) if actor is not None else _("the system")
        return LastChange(who=who, when=entry.timestamp)
    return LastChange(who=_("someone"), when=getattr(obj, "updated_at", None))
