"""Reading the audit trail of one organisation.

django-auditlog writes one ``LogEntry`` per create, change and delete of a registered model, with
the acting user (from the request or ``auditlog.context.set_actor``) and the changed fields. Each
domain model's ``get_additional_data`` stores its owning organisation, so entries survive the
deletion of their object and can still be scoped to the organisation that owned it.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from stoa.accounts.models import Organisation

ACTION_LABELS = {
    LogEntry.Action.CREATE: _("created"),
    LogEntry.Action.UPDATE: _("changed"),
    LogEntry.Action.DELETE: _("deleted"),
}


@dataclass(frozen=True)
class TrailFilter:
    object_type: str = ""
    actor: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


def entries_for(organisation: Organisation, flt: TrailFilter | None = None) -> QuerySet[LogEntry]:
    """ORGANISATION's audit entries, newest first, narrowed by FLT."""
    qs = (
        LogEntry.objects.filter(additional_data__organisation=str(organisation.pk))
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )
    flt = flt or TrailFilter()
    if flt.object_type:
        qs = qs.filter(content_type__model=flt.object_type)
    if flt.actor:
        qs = qs.filter(actor__username=flt.actor)
    if flt.since:
        qs = qs.filter(timestamp__date__gte=flt.since)
    if flt.until:
        qs = qs.filter(timestamp__date__lte=flt.until)
    return qs


def object_types(organisation: Organisation) -> list[tuple[str, str]]:
    """(model name, verbose name) of the kinds of object in ORGANISATION's trail."""
    ids = entries_for(organisation).order_by().values_list("content_type_id", flat=True).distinct()
    seen: dict[str, str] = {}
    for ct in ContentType.objects.filter(pk__in=ids):
        model = ct.model_class()
        seen[ct.model] = str(model._meta.verbose_name) if model else ct.model
    return sorted(seen.items(), key=lambda item: item[1])


def describe_changes(entry: LogEntry) -> list[tuple[str, str, str]]:
    """(field, old, new) for each changed field of ENTRY."""
    changes: Any = entry.changes or {}
    if isinstance(changes, str):
        changes = json.loads(changes)
    rows = []
    for field, values in sorted(changes.items()):
        old, new = [*values, None, None][:2] if isinstance(values, list) else (None, values)
        rows.append((field, _short(old), _short(new)))
    return rows


def _short(value: Any, limit: int = 120) -> str:
    text = "" if value is None or value == "None" else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def export_csv(entries: Iterable[LogEntry]) -> str:
    """The trail as CSV, one row per changed field (a create or delete without fields gives one row)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["timestamp", "actor", "action", "object_type", "object_id", "object", "field", "old", "new"])
    for entry in entries:
        head = [
            entry.timestamp.isoformat(),
            entry.actor.get_username() if entry.actor else "system",
            str(ACTION_LABELS.get(entry.action, entry.action)),
            entry.content_type.model,
            entry.object_pk,
            entry.object_repr,
        ]
        changes = describe_changes(entry) or [("", "", "")]
        for field, old, new in changes:
            writer.writerow([*head, field, old, new])
    return out.getvalue()
