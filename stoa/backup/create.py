"""Take a backup: one read-only transaction (repeatable read on PostgreSQL), so rows and files agree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from django.core import serializers
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

import stoa
from stoa.backup.archive import DATA_DIR, FILES_DIR, ArchiveWriter, BackupError
from stoa.backup.scope import archived_models, label_of, organisation_rows


@dataclass
class BackupResult:
    path: Path
    scope: str
    counts: dict[str, int]
    files: int
    missing_files: list[str]


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    """App label → names of its applied migrations, sorted."""
    state: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connections[using]).applied_migrations():
        state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


class FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a backup keeps the microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, (datetime, time)):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def serialise(rows: Iterable[models.Model]) -> str:
    return serializers.serialize("json", rows, indent=None, cls=FullPrecisionEncoder,
                                 use_natural_foreign_keys=True, use_natural_primary_keys=True)


def _rows(model: type[models.Model], pks: set[Any] | None) -> list[models.Model]:
    """All rows of MODEL, or those with the primary keys PKS (in chunks: databases cap query parameters)."""
    if pks is None:
        return list(model._base_manager.order_by("pk"))
    ordered = sorted(pks, key=str)
    rows: list[models.Model] = []
    for start in range(0, len(ordered), 2000):
        rows += model._base_manager.filter(pk__in=ordered[start:start + 2000])
    return sorted(rows, key=lambda row: str(row.pk))


def make_backup(path: Path, organisation_slug: str | None = None) -> BackupResult:
    """Write a backup of the whole installation, or of the organisation ORGANISATION_SLUG, to PATH."""
    from stoa.accounts.models import Organisation

    connection = connections[DEFAULT_DB_ALIAS]
    writer = ArchiveWriter(Path(path))
    counts: dict[str, int] = {}
    missing: list[str] = []
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # Must be the transaction's first statement: every read below sees one snapshot. (Inside
            # a caller's transaction, as in the tests, the level is the caller's to choose.)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        if organisation_slug:
            org = Organisation.objects.filter(slug=organisation_slug).first()
            if org is None:
                raise BackupError(f"no organisation with the short name {organisation_slug!r}")
            selected: dict[str, set[Any]] | None = organisation_rows(org)
            scope = f"organisation:{org.slug}"
            scope_info: dict[str, Any] = {"kind": "organisation", "slug": org.slug, "id": str(org.pk)}
        else:
            selected, scope = None, "installation"
            scope_info = {"kind": "installation"}
        for model in archived_models():
            label = label_of(model)
            rows_list = _rows(model, None if selected is None else selected.get(label, set()))
            counts[label] = len(rows_list)
            writer.add(f"{DATA_DIR}{label}.json", serialise(rows_list).encode())
            for obj in rows_list:
                for field in file_fields(model):
                    name = getattr(obj, field.attname).name
                    if name and f"{FILES_DIR}{name}" not in writer.members:
                        try:
                            with default_storage.open(name, "rb") as handle:
                                writer.add(f"{FILES_DIR}{name}", handle.read())
                        except FileNotFoundError:
                            missing.append(name)
        manifest = {
            "stoa_version": stoa.__version__,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "scope": scope_info,
            "migrations": applied_migrations(),
            "models": [{"label": label, "count": count} for label, count in counts.items()],
            "missing_files": sorted(missing),
        }
        writer.write(manifest)
    files = sum(1 for name in writer.members if name.startswith(FILES_DIR))
    return BackupResult(path=writer.path, scope=scope, counts=counts, files=files, missing_files=sorted(missing))
