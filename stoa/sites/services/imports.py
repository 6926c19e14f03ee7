"""Importing public spaces from a GeoJSON or CSV file: the whole file, or nothing.

The file is read and every site in it checked (fields, category, geometry, duplicate names)
before anything is written. Any problem refuses the whole file with one ``Problem`` per fault,
naming the feature or row and the field, so the person can fix the file and try again; the
database is left exactly as it was. The accepted format is described in
``docs/import-format.md``; the files written by ``stoa.sites.services.exports`` read back here.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

from stoa.accounts.models import Organisation
from stoa.audit.actor import acting_as
from stoa.core import geometry
from stoa.sites.formfields import geometry_message
from stoa.sites.models import Ownership, Site
from stoa.sites.services import csv_format
from stoa.sites.services.categories import CategoryIndex
from stoa.sites.services.locating import reference_for_organisation
from stoa.sites.services.records import ImportRejected, Problem, Record
from stoa.web.uploads import check_data_file

# A site import is a GeoJSON FeatureCollection or a CSV table.
IMPORT_KINDS = frozenset({"json", "text"})

__all__ = ["ImportRejected", "ImportResult", "Problem", "check_size", "import_sites"]

FIELDS = ("name", "category", "description", "ownership", "owner_name", "surroundings", "symbolic_value")
TEXT_FIELDS = ("description", "owner_name", "surroundings")


@dataclass
class ImportResult:
    created: list[Site] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.created)


def import_sites(organisation: Organisation, data: bytes, filename: str, user: Any = None) -> ImportResult:
    """Create the sites in DATA (GeoJSON or CSV, told apart by FILENAME's extension, else by content)
    for ORGANISATION, recording USER as the author. Raises ImportRejected, writing nothing."""
    records, problems = read(data, filename)
    sites = build_sites(organisation, records, problems)
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic(), acting_as(user):
        for site in sites:
            site.save()
    return ImportResult(created=sites)


def read(data: bytes, filename: str) -> tuple[list[Record], list[Problem]]:
    """The records in DATA and the problems found while reading; raises ImportRejected when the
    file as a whole cannot be read."""
    check_size(len(data))
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportRejected([Problem(_("file"), "file", _("the file is empty"))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected([Problem(_("file"), "encoding", _(
            "the file is not UTF-8 text (unreadable byte at position %(pos)s); save it as UTF-8 and try again"
        ) % {"pos": exc.start})]) from exc
    if _is_geojson(filename, text):
        return _read_geojson(text)
    return csv_format.read_csv(text)


def check_size(size: int) -> None:
    """Refuse a file larger than MAX_UPLOAD_BYTES (callers holding an upload check before reading it)."""
    if size > settings.MAX_UPLOAD_BYTES:
        raise ImportRejected([Problem(_("file"), "size", _("the file is %(size)s; the limit is %(limit)s") % {
            "size": filesizeformat(size), "limit": filesizeformat(settings.MAX_UPLOAD_BYTES)})])


def refuse_unless_data(upload: Any) -> None:
    """Refuse an upload whose content is neither JSON nor text (CSV), whatever its name says."""
    try:
        check_data_file(upload, IMPORT_KINDS)
    except ValidationError as exc:
        raise ImportRejected([Problem(_("file"), "type", message) for message in exc.messages]) from exc


def _is_geojson(filename: str, text: str) -> bool:
    extension = os.path.splitext(filename.lower())[1]
    if extension in (".geojson", ".json"):
        return True
    if extension in (".csv", ".txt", ".tsv"):
        return False
    return text.lstrip()[:1] in ("{", "[")


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def _read_geojson(text: str) -> tuple[list[Record], list[Problem]]:
    try:
        doc = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ImportRejected([Problem(_("file"), "JSON", _(
            "the file is not valid JSON: %(error)s at line %(line)s, column %(col)s"
        ) % {"error": exc.msg, "line": exc.lineno, "col": exc.colno})]) from exc
    except ValueError as exc:
        raise ImportRejected([Problem(_("file"), "JSON", _(
            "the file is not valid JSON: %(value)s is not a number") % {"value": exc})]) from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        found = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise ImportRejected([Problem(_("file"), "type", _(
            "a GeoJSON FeatureCollection is needed; this file holds %(found)s") % {"found": found or "?"})])
    crs = json.dumps(doc.get("crs")) if doc.get("crs") else ""
    if crs and "CRS84" not in crs and "4326" not in crs:
        raise ImportRejected([Problem(_("file"), "crs", _(
            "coordinates must be WGS84 longitude and latitude; this file declares %(crs)s") % {"crs": crs})])
    features = doc.get("features")
    if not isinstance(features, list):
        raise ImportRejected([Problem(_("file"), "features", _("“features” must be a list of GeoJSON features"))])
    if not features:
        raise ImportRejected([Problem(_("file"), "features", _("the file holds no sites"))])
    records: list[Record] = []
    problems: list[Problem] = []
    for number, feature in enumerate(features, start=1):
        location = _("feature %(n)s") % {"n": number}
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(Problem(location, "type", _("this is not a GeoJSON Feature")))
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            problems.append(Problem(location, "properties", _("“properties” must be an object")))
            continue
        if "geometry" not in feature:
            problems.append(Problem(location, "geometry", _(
                "the feature has no geometry member (use null for a site not yet placed on the map)")))
            continue
        records.append(Record(location, {k: properties.get(k) for k in FIELDS}, feature["geometry"]))
    return records, problems


def build_sites(organisation: Organisation, records: list[Record], problems: list[Problem]) -> list[Site]:
    """Unsaved, fully checked sites for RECORDS; each fault found is appended to PROBLEMS."""
    categories = CategoryIndex()
    ownerships = _ownership_index()
    reference = reference_for_organisation(organisation)
    existing = {_name_key(n) for n in Site.objects.filter(organisation=organisation).values_list("name", flat=True)}
    first_seen: dict[str, str] = {}
    sites: list[Site] = []
    for rec in records:
        before = len(problems)

        def fault(field_name: str, message: str, rec: Record = rec) -> None:
            problems.append(Problem(rec.location, field_name, message))

        text = {name: _text(rec, name, fault) for name in ("name", "category", "ownership", *TEXT_FIELDS)}
        name = text["name"]
        if not name:
            if _blank(rec.values.get("name")):  # otherwise "must be text" was reported
                fault("name", _("a name is needed"))
        elif _name_key(name) in first_seen:
            fault("name", _("“%(name)s” is already used by %(other)s in this file") % {
                "name": name, "other": first_seen[_name_key(name)]})
        elif _name_key(name) in existing:
            fault("name", _("%(org)s already has a site called “%(name)s”") % {"org": organisation, "name": name})
        else:
            first_seen[_name_key(name)] = rec.location
        category = categories.find(text["category"])
        if not text["category"]:
            if _blank(rec.values.get("category")):
                fault("category", _("a category is needed; use one of %(ids)s") % {
                    "ids": ", ".join(categories.ref_ids)})
        elif category is None:
            fault("category", categories.unknown_message(text["category"]))
        ownership = ownerships.get(text["ownership"].casefold()) if text["ownership"] else Ownership.PUBLIC
        if ownership is None:
            fault("ownership", _("unknown owner type “%(value)s”; use public, private or mixed") % {
                "value": text["ownership"]})
        symbolic = _symbolic_value(rec.values.get("symbolic_value"))
        if symbolic is None:
            fault("symbolic_value", _("must be 1, 2 or 3, not “%(value)s”") % {
                "value": rec.values.get("symbolic_value")})
        shape = _check_geometry(rec, reference, fault)
        if len(problems) != before:
            continue
        assert ownership is not None and symbolic is not None  # else a fault was recorded above
        site = Site(organisation=organisation, name=name, category=category, ownership=ownership,
                    symbolic_value=symbolic, **{k: text[k] for k in TEXT_FIELDS})
        if shape is not None and shape["type"] == "Polygon":
            site.boundary = shape
        elif shape is not None:
            site.lon, site.lat = (float(c) for c in shape["coordinates"][:2])
        try:
            site.full_clean()
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                label = rec.geometry_field if field_name == "boundary" else field_name
                for message in messages:
                    fault(label, message)
            continue
        sites.append(site)
    return sites


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(rec: Record, name: str, fault: Any) -> str:
    value = rec.values.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        fault(name, _("must be text"))
        return ""
    text = str(value).strip()
    return csv_format.unescape_cell(text) if rec.from_csv else text


def _ownership_index() -> dict[str, str]:
    """Owner type by its stored value or its label in any language of the interface."""
    index = {value: value for value in Ownership.values}
    for code, _language in settings.LANGUAGES:
        with translation.override(code):
            index.update({str(label).casefold(): value for value, label in Ownership.choices})
    return index


def _symbolic_value(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, int) and 1 <= value <= 3 else None


def _check_geometry(rec: Record, reference: geometry.Reference | None, fault: Any) -> dict[str, Any] | None:
    """The record's geometry as a plain GeoJSON geometry, or None (no location, or a fault)."""
    value = rec.geometry
    if value is None:
        return None
    try:
        geometry.parse(value, rec.kinds, reference=reference)
    except geometry.GeometryError as exc:
        if rec.geometry_field == "lon/lat" and "latitude, longitude order" in str(exc):
            fault(rec.geometry_field, _("lon and lat seem swapped: lon is the east–west coordinate"))
        else:
            fault(rec.geometry_field, geometry_message(exc))
        return None
    except (TypeError, ValueError) as exc:  # malformed numbers inside otherwise well-formed JSON
        fault(rec.geometry_field, geometry_message(geometry.GeometryError(str(exc))))
        return None
    if value.get("type") == "Feature":
        value = value["geometry"]
    return {"type": value["type"], "coordinates": value["coordinates"]}
