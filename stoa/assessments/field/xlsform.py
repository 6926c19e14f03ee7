"""The questions of one assessment as an XLSForm, for teams collecting offline with ODK or KoboToolbox.

The workbook has the three sheets the XLSForm format defines: ``survey`` (one row per question,
grouped by section), ``choices`` (one list per choice question) and ``settings``. Labels and hints
(the bank's guidance) are given in English and French. Two hidden ``calculate`` fields carry the
assessment's id and its public space's id in every submission, so that an import can refuse a
submission made for another assessment or another space.

Choices we made where the bank and XLSForm differ:

* a number question becomes ``integer`` when every band limit of the bank is a whole number
  (the answer only matters against those limits, so nothing is lost), else ``decimal``;
* ``relevant`` repeats the bank's ``depends_on``: the question shows when the earlier one was
  answered with any of the listed choices (``selected()`` works for single and multiple choice);
* a photo question becomes ``image``; photos are not imported back (see ``submissions``).
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font

from stoa.assessments.answers import TEXT_LIMIT
from stoa.assessments.models import Assessment
from stoa.assessments.proposals import question_objects
from stoa.library.models import ReferenceObject

LANGUAGES = (("en", "English (en)"), ("fr", "French (fr)"))
DEFAULT_LANGUAGE = LANGUAGES[0][1]
ASSESSMENT_FIELD = "stoa_assessment"
SITE_FIELD = "stoa_site"
SURVEY_COLUMNS = ["type", "name", *(f"label::{name}" for _code, name in LANGUAGES),
                  *(f"hint::{name}" for _code, name in LANGUAGES), "relevant", "constraint",
                  *(f"constraint_message::{name}" for _code, name in LANGUAGES), "calculation"]
CHOICE_COLUMNS = ["list_name", "name", *(f"label::{name}" for _code, name in LANGUAGES)]
SETTINGS_COLUMNS = ["form_title", "form_id", "version", "default_language"]
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Messages shown in the collecting app, in both languages: they go into the file, not through
# gettext, because the app shows whichever language the collector picks.
NUMBER_MESSAGE = {"en": "The number cannot be negative.", "fr": "Le nombre ne peut pas être négatif."}
TEXT_MESSAGE = {"en": f"Keep the answer under {TEXT_LIMIT} characters.",
                "fr": f"Gardez la réponse sous {TEXT_LIMIT} caractères."}
INTRO = {"en": "Stoa assessment of {site}, {date}. Answer what you can see and know; leave the rest empty.",
         "fr": "Évaluation Stoa de {site}, {date}. Répondez à ce que vous voyez et savez ; laissez le reste vide."}


def _text(obj: ReferenceObject, lang: str, field: str = "name") -> str:
    """FIELD of OBJ in LANG, falling back to the library's own text."""
    return str((obj.translations or {}).get(lang, {}).get(field) or getattr(obj, field, "") or "")


def _term(raw: Any, lang: str) -> str:
    """A {en, fr} dict of the bank (choice labels, guidance) in LANG, falling back to English."""
    if not isinstance(raw, dict):
        return str(raw or "")
    return str(raw.get(lang) or raw.get("en") or next(iter(raw.values()), ""))


def list_name(ref_id: str) -> str:
    return f"c_{ref_id.lower()}"


def number_type(data: dict[str, Any]) -> str:
    limits = [b.get(k) for b in data.get("bands") or [] for k in ("min", "max") if b.get(k) is not None]
    return "integer" if all(float(x).is_integer() for x in limits) else "decimal"


def xlsform_type(data: dict[str, Any], ref_id: str) -> str:
    kind = data.get("type")
    if kind in ("single", "yesno"):
        return f"select_one {list_name(ref_id)}"
    if kind == "multiple":
        return f"select_multiple {list_name(ref_id)}"
    if kind == "number":
        return number_type(data)
    if kind == "photo":
        return "image"
    return "text"


def relevant(data: dict[str, Any], asked: set[str]) -> str:
    """The XLSForm ``relevant`` expression for the bank's ``depends_on`` ("" when always asked)."""
    depends = data.get("depends_on")
    if not depends or depends.get("question") not in asked:
        return ""  # the earlier question is not in this form: ask unconditionally rather than never
    parent = depends["question"]
    return " or ".join(f"selected(${{{parent}}}, '{choice}')" for choice in depends.get("any_of") or [])


def _row(**cells: Any) -> dict[str, Any]:
    return cells


def survey_rows(assessment: Assessment, questions: list[ReferenceObject]) -> list[dict[str, Any]]:
    sections = {s.ref_id: s for s in ReferenceObject.objects.filter(kind="question_section")}
    site, date = assessment.site.name, assessment.date.isoformat()
    rows = [
        _row(type="calculate", name=ASSESSMENT_FIELD, calculation=f"'{assessment.pk}'"),
        _row(type="calculate", name=SITE_FIELD, calculation=f"'{assessment.site_id}'"),
        _row(type="note", name="stoa_intro",
             **{f"label::{name}": INTRO[code].format(site=site, date=date) for code, name in LANGUAGES}),
    ]
    asked = {q.ref_id for q in questions}
    current = None
    for question in questions:
        data = question.data
        section_id = data.get("section", "")
        if section_id != current:
            if current is not None:
                rows.append(_row(type="end_group"))
            current = section_id
            section = sections.get(section_id)
            rows.append(_row(type="begin_group", name=section_id, **{
                f"label::{name}": _text(section, code) if section else section_id for code, name in LANGUAGES}))
        row = _row(type=xlsform_type(data, question.ref_id), name=question.ref_id,
                   relevant=relevant(data, asked), **{
                       f"label::{name}": _text(question, code) for code, name in LANGUAGES}, **{
                       f"hint::{name}": _term(data.get("guidance"), code) for code, name in LANGUAGES})
        if data.get("type") == "number":
            row.update(constraint=". >= 0", **{f"constraint_message::{name}": NUMBER_MESSAGE[code]
                                               for code, name in LANGUAGES})
        elif data.get("type") == "text":
            row.update(constraint=f"string-length(.) <= {TEXT_LIMIT}", **{
                f"constraint_message::{name}": TEXT_MESSAGE[code] for code, name in LANGUAGES})
        rows.append(row)
    if current is not None:
        rows.append(_row(type="end_group"))
    return rows


def choice_rows(questions: list[ReferenceObject]) -> list[dict[str, Any]]:
    rows = []
    for question in questions:
        for choice in question.data.get("choices") or []:
            rows.append(_row(list_name=list_name(question.ref_id), name=choice.get("id"), **{
                f"label::{name}": _term(choice.get("label"), code) for code, name in LANGUAGES}))
    return rows


def form_id(assessment: Assessment) -> str:
    return f"stoa_{assessment.pk.hex}"


def settings_row(assessment: Assessment) -> dict[str, Any]:
    version = f"{assessment.question_bank_version or 0}.{assessment.date:%Y%m%d}"
    return {"form_title": f"Stoa: {assessment.site.name}, {assessment.date.isoformat()}",
            "form_id": form_id(assessment), "version": version, "default_language": DEFAULT_LANGUAGE}


def _sheet(book: Workbook, title: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(column, "") or None for column in columns])
    sheet.freeze_panes = "A2"


def form_questions(assessment: Assessment) -> list[ReferenceObject]:
    """The questions asked at ASSESSMENT's depth, section by section (one group each)."""
    rank = {s.ref_id: (s.order, s.ref_id) for s in ReferenceObject.objects.filter(kind="question_section")}
    questions = question_objects(assessment)
    return sorted(questions, key=lambda q: rank.get(q.data.get("section", ""), (0, "")))  # stable: keeps order


def build_xlsform(assessment: Assessment) -> bytes:
    """The XLSForm workbook (bytes of an .xlsx file) for ASSESSMENT's questions at its depth."""
    questions = form_questions(assessment)
    book = Workbook()
    book.remove(book.active)
    _sheet(book, "survey", SURVEY_COLUMNS, survey_rows(assessment, questions))
    _sheet(book, "choices", CHOICE_COLUMNS, choice_rows(questions))
    _sheet(book, "settings", SETTINGS_COLUMNS, [settings_row(assessment)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(assessment: Assessment) -> str:
    return f"stoa-{slugify(assessment.site.name) or 'site'}-{assessment.date.isoformat()}.xlsx"
