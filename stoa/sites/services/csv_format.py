"""The CSV layout of sites, shared by import and export.

One row per site under a header row. Text columns as in the GeoJSON properties; the location is
either ``boundary`` (a GeoJSON polygon as text) or ``lon`` and ``lat`` for a site known only as a
point. Columns that an export adds and an import reads past (computed or identifying values) are
listed in ``EXPORT_ONLY_COLUMNS``. Rows are numbered as a spreadsheet shows them: the header is
row 1, the first site row 2.
"""

from __future__ import annotations

import csv
import io
import json

from django.utils.translation import gettext as _

from stoa.sites.services.records import ImportRejected, Problem, Record

TEXT_COLUMNS = ("name", "category", "description", "ownership", "owner_name", "surroundings")
IMPORT_COLUMNS = (*TEXT_COLUMNS, "symbolic_value", "boundary", "lon", "lat")
# Written by an export so a spreadsheet is useful on its own; an import does not need them.
EXPORT_ONLY_COLUMNS = ("id", "organisation", "category_name", "area_m2", "priority")
KNOWN_COLUMNS = (*IMPORT_COLUMNS, *EXPORT_ONLY_COLUMNS)

# A spreadsheet runs a cell starting with one of these as a formula; exports defuse such cells
# with a leading apostrophe, which imports remove again.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def unescape_cell(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def _delimiter(text: str) -> str:
    """Comma, or the semicolon or tab that spreadsheets in many European locales write instead."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(text: str) -> tuple[list[Record], list[Problem]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    records: list[Record] = []
    problems: list[Problem] = []
    try:
        header = [cell.strip().lower() for cell in next(reader)]
        header_problems = _check_header(header)
        if header_problems:
            raise ImportRejected(header_problems)
        for index, row in enumerate(reader):
            location = _("row %(n)s") % {"n": index + 2}
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                problems.append(Problem(location, "columns", _(
                    "the row has %(n)s values but the header names %(m)s columns (a separator inside an "
                    "unquoted value?)") % {"n": len(row), "m": len(header)}))
                continue
            values = dict(zip(header, [*row, *[""] * (len(header) - len(row))], strict=True))
            record = Record(location, {k: values.get(k) for k in (*TEXT_COLUMNS, "symbolic_value")},
                            from_csv=True)
            _read_location(record, values, problems)
            records.append(record)
    except csv.Error as exc:
        raise ImportRejected([Problem(_("row %(n)s") % {"n": reader.line_num}, "file", _(
            "the file cannot be read as CSV: %(error)s") % {"error": exc})]) from exc
    if not records and not problems:
        raise ImportRejected([Problem(_("file"), "file", _("the file holds a header row but no sites"))])
    return records, problems


def _check_header(header: list[str]) -> list[Problem]:
    problems = []
    for number, column in enumerate(header, start=1):
        if column not in KNOWN_COLUMNS:
            problems.append(Problem(_("row 1"), column or _("column %(n)s") % {"n": number}, _(
                "unknown column; the columns are %(columns)s") % {"columns": ", ".join(IMPORT_COLUMNS)}))
        elif header.index(column) != number - 1:
            problems.append(Problem(_("row 1"), column, _("this column appears twice")))
    for required in ("name", "category"):
        if required not in header:
            problems.append(Problem(_("row 1"), required, _("the %(column)s column is missing") % {
                "column": required}))
    if ("lon" in header) != ("lat" in header):
        missing = "lat" if "lon" in header else "lon"
        problems.append(Problem(_("row 1"), missing, _("lon and lat come together; the %(column)s column is missing")
                                % {"column": missing}))
    return problems


def _read_location(record: Record, values: dict[str, str], problems: list[Problem]) -> None:
    """Set RECORD's geometry from the boundary column, else from lon and lat."""
    boundary = (values.get("boundary") or "").strip()
    lon, lat = (values.get("lon") or "").strip(), (values.get("lat") or "").strip()
    if boundary:
        record.geometry_field, record.kinds = "boundary", ("Polygon",)
        try:
            record.geometry = json.loads(boundary)
        except json.JSONDecodeError as exc:
            problems.append(Problem(record.location, "boundary", _(
                "not GeoJSON text: %(error)s at character %(pos)s") % {"error": exc.msg, "pos": exc.pos + 1}))
        return
    if not lon and not lat:
        return
    record.geometry_field, record.kinds = "lon/lat", ("Point",)
    coordinates = []
    for name, value in (("lon", lon), ("lat", lat)):
        if not value:
            problems.append(Problem(record.location, name, _("lon and lat are both needed for a point")))
            continue
        try:
            coordinates.append(float(value.replace(",", ".")))
        except ValueError:
            problems.append(Problem(record.location, name, _("“%(value)s” is not a number") % {"value": value}))
    if len(coordinates) == 2:
        record.geometry = {"type": "Point", "coordinates": coordinates}
