"""Loading, upgrading and removing content libraries in the database.

Rules, in the order they are applied:

- A file is validated whole before anything is written (``stoa.library.yamlfile``); a bad file
  raises ``LibraryError`` with one message per problem and leaves the database as it was.
- Loading runs in one transaction. Loading the same bytes again changes nothing (``unchanged``).
- A higher ``version`` upgrades the library in place: objects keep their primary key by URN (so
  every record pointing at them stays valid), new objects are added, and objects the new version
  dropped are deleted only when nothing uses them; otherwise the whole upgrade is refused with a
  message naming the object and what uses it.
- A lower version is refused unless the caller asks for a downgrade; the same version with other
  content is always refused, because two different files would then share one version number.
- A library whose objects are in use cannot be removed.

"In use" is decided by Django's deletion collector: domain models point at ``ReferenceObject``
with ``on_delete=PROTECT``, so the collector lists exactly the records that would block a delete.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import router, transaction
from django.db.models import Model, ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stoa.library import yamlfile
from stoa.library.models import Library, ReferenceObject
from stoa.library.schema import LibraryFile, ReferenceItem

CONTENT_DIR = Path(__file__).resolve().parent / "content"
OBJECT_COLUMNS = {"kind", "urn", "ref_id", "name", "description", "translations", "order"}
# The assessment code rebuilds a question from ``data`` alone, so these kinds keep the whole object there.
FULL_DATA_KINDS = {"question_section", "question"}
NAMES_SHOWN = 3  # how many of the records that use an object are named in a refusal


class LibraryError(Exception):
    """A library could not be validated, loaded or removed; ``messages`` says why, one per problem."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


@dataclass(frozen=True)
class LoadOutcome:
    library: Library
    status: str  # "loaded", "upgraded", "downgraded", "translated" (texts in other languages only) or "unchanged"
    previous_version: int | None = None
    created: int = 0
    updated: int = 0
    deleted: int = 0

    def summary(self) -> str:
        lib = self.library
        if self.status == "unchanged":
            return f"{lib.urn} v{lib.version}: unchanged"
        counts = f"{self.created} added, {self.updated} updated, {self.deleted} removed"
        if self.status == "loaded":
            return f"{lib.urn} v{lib.version}: loaded ({counts})"
        if self.status == "translated":
            return f"{lib.urn} v{lib.version}: translations refreshed ({self.updated} objects)"
        return f"{lib.urn}: {self.status} v{self.previous_version} → v{lib.version} ({counts})"


def validate_file(path: str | Path) -> list[str]:
    """Every problem in the library file at PATH (an empty list when it is valid)."""
    return yamlfile.read(path).messages


def shipped_files() -> list[Path]:
    return sorted(CONTENT_DIR.glob("*.yaml"))


def load_shipped() -> list[Library]:
    """Load (or upgrade) every library shipped in ``stoa/library/content``; idempotent."""
    return [outcome.library for outcome in load_files(shipped_files())]


def load_files(paths: Iterable[str | Path], *, allow_downgrade: bool = False) -> list[LoadOutcome]:
    """Load several files as one: all are validated first, then loaded in one transaction."""
    parsed = [yamlfile.read(path) for path in paths]
    messages = [message for p in parsed for message in p.messages]
    if messages:
        raise LibraryError(messages)
    with transaction.atomic():
        return [_load(p, allow_downgrade=allow_downgrade) for p in parsed]


def load_library(path: str | Path, *, allow_downgrade: bool = False) -> LoadOutcome:
    """Load, upgrade or confirm the library file at PATH (see the module docstring)."""
    parsed = yamlfile.read(path)
    if parsed.messages:
        raise LibraryError(parsed.messages)
    with transaction.atomic():
        return _load(parsed, allow_downgrade=allow_downgrade)


def _load(parsed: yamlfile.ParsedFile, *, allow_downgrade: bool) -> LoadOutcome:
    spec = parsed.model
    assert spec is not None  # read() sets the model whenever there are no messages
    name = parsed.filename
    library = Library.objects.select_for_update().filter(urn=spec.urn).first()
    previous = library.version if library else None
    status = "loaded"
    if library is not None:
        if library.sha256 == parsed.sha256:
            if (library.content or {}).get("translations_sha256", "") == parsed.translations_sha256:
                return LoadOutcome(library, "unchanged", previous)
            return _refresh_translations(library, spec, parsed)
        if spec.version == library.version:
            raise LibraryError([_(
                "%(file)s: version %(version)s of %(urn)s is already loaded with different content; "
                "raise 'version' to publish a change"
            ) % {"file": name, "version": spec.version, "urn": spec.urn}])
        if spec.version < library.version and not allow_downgrade:
            raise LibraryError([_(
                "%(file)s: version %(new)s of %(urn)s is older than the loaded version %(old)s; "
                "refusing to downgrade"
            ) % {"file": name, "new": spec.version, "urn": spec.urn, "old": library.version}])
        status = "upgraded" if spec.version > library.version else "downgraded"
    existing = {obj.urn: obj for obj in ReferenceObject.objects.filter(urn__in=[o.urn for o in spec.objects])}
    _refuse_conflicts(name, spec, library, existing)
    library = _save_header(library, spec, parsed)
    removed = list(library.objects_set.exclude(urn__in=[o.urn for o in spec.objects]))
    blocked = [message for obj in removed for message in uses_of(obj)]
    if blocked:
        raise LibraryError([_("%(file)s: version %(version)s drops objects that are still in use: %(uses)s")
                            % {"file": name, "version": spec.version, "uses": "; ".join(blocked)}])
    for obj in removed:
        obj.delete()
    created = updated = 0
    for index, item in enumerate(spec.objects):
        fields = _columns(item, index)
        row = existing.get(item.urn)
        if row is None:
            ReferenceObject.objects.create(library=library, urn=item.urn, **fields)
            created += 1
        else:
            for column, value in fields.items():
                setattr(row, column, value)
            row.save()
            updated += 1
    return LoadOutcome(library, status, previous, created, updated, len(removed))


def _refuse_conflicts(name: str, spec: LibraryFile, library: Library | None,
                      existing: dict[str, ReferenceObject]) -> None:
    """An object URN belongs to one library for good, and keeps its kind across versions."""
    problems = []
    for index, item in enumerate(spec.objects):
        row = existing.get(item.urn)
        if row is None:
            continue
        if library is None or row.library_id != library.pk:
            problems.append(_("%(file)s: objects[%(index)s] (%(urn)s): urn: already defined by the library %(other)s")
                            % {"file": name, "index": index, "urn": item.urn, "other": row.library.urn})
        elif row.kind != item.kind:
            problems.append(_("%(file)s: objects[%(index)s] (%(urn)s): kind: was %(old)s in the loaded version; "
                              "an object cannot change kind, give it a new urn")
                            % {"file": name, "index": index, "urn": item.urn, "old": row.kind})
    if problems:
        raise LibraryError(problems)


def _refresh_translations(library: Library, spec: LibraryFile, parsed: yamlfile.ParsedFile) -> LoadOutcome:
    """Same library, other translations: only the texts in the other languages change."""
    library.translations = spec.translations.model_dump(mode="json")
    library.content = {**(library.content or {}), "translations_sha256": parsed.translations_sha256}
    library.save(update_fields=["translations", "content"])
    rows = {obj.urn: obj for obj in library.objects_set.all()}
    changed = []
    for index, item in enumerate(spec.objects):
        row = rows.get(item.urn)
        if row is None:
            continue
        fields = _columns(item, index)
        row.translations, row.data = fields["translations"], fields["data"]
        changed.append(row)
    ReferenceObject.objects.bulk_update(changed, ["translations", "data"], batch_size=200)
    return LoadOutcome(library, "translated", library.version, 0, len(changed), 0)


def _save_header(library: Library | None, spec: LibraryFile, parsed: yamlfile.ParsedFile) -> Library:
    library = library or Library(urn=spec.urn)
    library.version = spec.version
    library.locale = spec.locale
    library.provider = spec.provider
    library.name = spec.name
    library.description = spec.description
    library.translations = spec.translations.model_dump(mode="json")
    library.sources = [source.model_dump(mode="json", exclude_none=True) for source in spec.sources]
    library.publication_date = spec.publication_date
    library.sha256 = parsed.sha256
    # The exact text that was loaded, so an operator can always see and re-export what is in force.
    library.content = {"filename": parsed.filename, "packager": spec.packager, "yaml": parsed.text,
                       "translations_sha256": parsed.translations_sha256}
    library.save()
    return library


def _columns(item: ReferenceItem, index: int) -> dict[str, Any]:
    """The ReferenceObject columns for ITEM; kind-specific fields and sources go to ``data``."""
    return {
        "kind": item.kind,  # type: ignore[attr-defined]
        "ref_id": item.ref_id,
        "order": item.order or index + 1,
        "name": item.name,
        "description": item.description,
        "translations": item.translations.model_dump(mode="json"),
        "data": item.model_dump(mode="json", exclude=None if item.kind in FULL_DATA_KINDS  # type: ignore[attr-defined]
                                else OBJECT_COLUMNS),
    }


def remove_library(urn: str) -> int:
    """Delete the library URN and its objects; refuse while any object is in use.

    Returns how many reference objects were removed.
    """
    with transaction.atomic():
        library = Library.objects.select_for_update().filter(urn=urn).first()
        if library is None:
            raise LibraryError([_("no library %(urn)s is loaded") % {"urn": urn}])
        blocked = [message for obj in library.objects_set.all() for message in uses_of(obj)]
        if blocked:
            raise LibraryError([_("%(urn)s is in use and cannot be removed:") % {"urn": urn}, *blocked])
        count = library.objects_set.count()
        library.delete()
        return count


def uses_of(obj: Model) -> list[str]:
    """What would stop OBJ from being deleted, e.g. "3 public spaces of interest use urn:...:square".

    Uses the deletion collector without deleting anything.
    """
    collector = Collector(using=router.db_for_write(type(obj)), origin=obj)
    try:
        collector.collect([obj])
    except ProtectedError as exc:
        blockers: Iterable[Model] = exc.protected_objects
    except RestrictedError as exc:
        blockers = exc.restricted_objects
    else:
        return []
    by_model: dict[Any, list[Model]] = defaultdict(list)
    for blocker in blockers:
        by_model[type(blocker)].append(blocker)
    label = getattr(obj, "urn", str(obj))
    messages = []
    for model, records in by_model.items():
        count = len(records)
        what = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
        names = ", ".join(sorted(str(record) for record in records)[:NAMES_SHOWN])
        more = ", …" if count > NAMES_SHOWN else ""
        messages.append(ngettext("%(count)d %(what)s uses %(urn)s (%(names)s)",
                                 "%(count)d %(what)s use %(urn)s (%(names)s)", count)
                        % {"count": count, "what": what, "urn": label, "names": names + more})
    return messages


def library_in_use(library: Library) -> bool:
    """True when any object of LIBRARY is referenced by a protecting record."""
    collector = Collector(using=router.db_for_write(Library), origin=library)
    try:
        collector.collect([library])
    except (ProtectedError, RestrictedError):
        return True
    return False
