"""Restore a backup, all-or-nothing: every row in one transaction, files written last and removed
again if anything fails (the data commit included).

"Empty" target: no rows in any archived table apart from shipped library rows and the
installation's identity row, i.e. what ``stoa manage migrate`` (and the library load) leaves.

``--force`` into a non-empty target:

- installation backup: every archived table is emptied first (and all sessions ended), so the
  installation becomes exactly the backup;
- organisation backup: that organisation's own rows (matched by id) are deleted first and the
  backup's loaded in their place; other organisations stay untouched. Rows the organisation only
  refers to — user accounts and library rows (matched by user name / URN), other organisations and
  their objects (matched by id) — are kept as the target has them and created only when missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditlog.context import disable_auditlog
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from stoa.backup.archive import BackupError, VerifiedArchive, read_archive
from stoa.backup.scope import archived_models, label_of, org_direct

# Present in an "empty" installation: loaded by `stoa setup`, or created on first use.
ALLOWED_IN_EMPTY = frozenset({"library.library", "library.referenceobject", "cases.installation"})
AUTO_PK = (models.AutoField, models.BigAutoField, models.SmallAutoField)


@dataclass
class RestoreResult:
    scope: str
    created: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    files: int = 0


def check_migrations(manifest: dict[str, Any], using: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse a backup whose database schema is newer than this installation's."""
    archived = {(app, name) for app, names in manifest.get("migrations", {}).items() for name in names}
    applied = set(MigrationRecorder(connections[using]).applied_migrations())
    newer = sorted(archived - applied)
    if newer:
        shown = ", ".join(f"{app}.{name}" for app, name in newer[:3])
        raise BackupError(f"the backup's database schema is newer than this installation's: {len(newer)} "
                          f"migration(s) are not applied here ({shown}); upgrade Stoa and run "
                          "`stoa manage migrate` first")


def occupied_tables(models_: list[type[models.Model]]) -> dict[str, int]:
    """Label → row count of every archived table that holds rows an empty installation would not."""
    counts = {label_of(m): m._base_manager.count() for m in models_ if label_of(m) not in ALLOWED_IN_EMPTY}
    return {label: n for label, n in counts.items() if n}


def _raw_delete(model: type[models.Model], pks: list[Any] | None, using: str) -> None:
    """Delete rows without Django's cascade collector; the integrity check before commit decides."""
    manager = model._base_manager.using(using)
    rows = manager.all() if pks is None else manager.filter(pk__in=pks)
    for m2m in model._meta.many_to_many:
        through: Any = m2m.remote_field.through
        links = through._base_manager.using(using).all()
        if pks is not None:
            links = links.filter(**{f"{m2m.m2m_field_name()}__in": pks})  # type: ignore[attr-defined]
        links._raw_delete(using)
    rows._raw_delete(using)  # type: ignore[attr-defined]


def _clear(models_: list[type[models.Model]], org_id: str | None, using: str) -> None:
    from django.contrib.sessions.models import Session

    from stoa.accounts.models import Organisation

    if org_id is None:
        for model in reversed(models_):
            _raw_delete(model, None, using)
        Session.objects.using(using).all().delete()
        return
    org = Organisation.objects.using(using).filter(pk=org_id).first()
    if org is None:
        return
    # Every row is chosen before any is deleted: some are found through others (a member's devices
    # through the membership), which an earlier delete would already have removed.
    chosen = [(model, list(direct.values_list("pk", flat=True)))
              for model in reversed(models_) if (direct := org_direct(model, org)) is not None]
    for model, pks in chosen:
        _raw_delete(model, pks, using)


def _load(archive: VerifiedArchive, models_: dict[str, type[models.Model]], org_scope: bool,
          result: RestoreResult, using: str) -> list[type[models.Model]]:
    loaded: list[type[models.Model]] = []
    deferred = []
    for entry in archive.manifest["models"]:
        label = entry["label"]
        model = models_.get(label)
        if model is None:
            raise BackupError(f"the backup holds {label}, which this installation does not know")
        loaded.append(model)
        auto_pk = isinstance(model._meta.pk, AUTO_PK)
        natural = hasattr(model, "natural_key")
        for item in serializers.deserialize("json", archive.data(label).decode(), using=using,
                                            handle_forward_references=True, ignorenonexistent=False):
            obj = item.object
            if org_scope and obj.pk is not None and model._base_manager.using(using).filter(pk=obj.pk).exists():
                if auto_pk and not natural:
                    obj.pk = None  # an id another row holds: this organisation's row gets a new one
                else:
                    result.kept[label] = result.kept.get(label, 0) + 1
                    continue  # the same account, library row or foreign object: keep the target's
            links = item.m2m_data or {}  # read first: save() drops it
            item.save(save_m2m=False, using=using)
            _save_links(model, obj.pk, links, using)
            if item.deferred_fields:
                deferred.append(item)
            result.created[label] = result.created.get(label, 0) + 1
    for item in deferred:
        item.save_deferred_fields(using=using)
    return loaded


def _save_links(model: type[models.Model], pk: Any, m2m_data: dict[str, Any], using: str) -> None:
    """Write many-to-many rows directly: ``.set()`` would run change signals (such as the sign-off
    lock) that guard edits, not the reload of a recorded state."""
    for name, targets in m2m_data.items():
        m2m = model._meta.get_field(name)
        through = m2m.remote_field.through  # type: ignore[union-attr]
        source = f"{m2m.m2m_field_name()}_id"  # type: ignore[union-attr]
        target = f"{m2m.m2m_reverse_field_name()}_id"  # type: ignore[union-attr]
        through._base_manager.using(using).bulk_create([through(**{source: pk, target: t}) for t in targets])


def _tables(loaded: list[type[models.Model]]) -> list[str]:
    tables = [m._meta.db_table for m in loaded]
    for model in loaded:
        tables += [m2m.remote_field.through._meta.db_table for m2m in model._meta.many_to_many]  # type: ignore[union-attr]
    return tables


def _plan_files(files: dict[str, bytes], force: bool) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Files to write and, for --force, the existing ones they replace (kept for a rollback)."""
    to_write: dict[str, bytes] = {}
    replaced: dict[str, bytes] = {}
    for name, data in files.items():
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                current = handle.read()
            if current == data:
                continue
            if not force:
                raise BackupError(f"the stored file {name} exists with other content; nothing restored "
                                  "(use --force to replace it)")
            replaced[name] = current
        to_write[name] = data
    return to_write, replaced


def _write_files(to_write: dict[str, bytes], replaced: dict[str, bytes], written: list[str]) -> None:
    for name, data in to_write.items():
        if name in replaced:
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(data))
        written.append(saved)
        if saved != name:
            raise BackupError(f"the file {name} could not be stored under its own name")


def _undo_files(written: list[str], replaced: dict[str, bytes]) -> None:
    for name in written:
        default_storage.delete(name)
    for name, data in replaced.items():
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(data))


def restore_backup(path: Path, force: bool = False, using: str = DEFAULT_DB_ALIAS) -> RestoreResult:
    """Restore the backup at PATH; raise BackupError (nothing changed) when it cannot be done."""
    archive = read_archive(Path(path))
    manifest = archive.manifest
    check_migrations(manifest, using)
    scope = manifest.get("scope", {})
    org_scope = scope.get("kind") == "organisation"
    models_list = archived_models()
    by_label = {label_of(m): m for m in models_list}
    occupied = occupied_tables(models_list)
    if occupied and not force:
        shown = ", ".join(f"{n} {label}" for label, n in sorted(occupied.items())[:4])
        raise BackupError(f"the installation is not empty ({shown}); nothing restored. Restore into an "
                          "empty installation, or use --force to replace "
                          + ("this organisation's data" if org_scope else "all of its data"))
    to_write, replaced = _plan_files(archive.files(), force)
    result = RestoreResult(scope="organisation " + scope.get("slug", "") if org_scope else "installation")
    written: list[str] = []
    connection = connections[using]
    try:
        with transaction.atomic(using=using), disable_auditlog():
            _clear(models_list, scope.get("id") if org_scope else None, using)
            loaded = _load(archive, by_label, org_scope, result, using)
            # The plans' stored risk figures come back as they were backed up: right for the backup's
            # catalogue, which this installation's may not be.
            from stoa.plans.models import ActionPlan
            from stoa.plans.risk import recheck

            plans = ActionPlan._base_manager.using(using)
            recheck(plans.filter(organisation_id=scope.get("id")) if org_scope else plans.all())
            connection.check_constraints(table_names=_tables(loaded))
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), loaded):
                    cursor.execute(statement)
            _write_files(to_write, replaced, written)
    except BaseException as exc:
        _undo_files(written, replaced)
        if isinstance(exc, (IntegrityError, DeserializationError, DatabaseError, ValueError, LookupError)):
            raise BackupError(f"the backup does not fit this installation, nothing restored: {exc}") from exc
        raise
    result.files = len(to_write)
    return result

