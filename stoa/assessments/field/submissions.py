"""Reading back what a team collected with ODK or KoboToolbox: the whole file, or nothing.

Accepted: the CSV export of ODK Central (group path joined with ``-``, e.g. ``PROFILE-P01``) or of
KoboToolbox ("XML values and headers", group path joined with ``/``, comma or semicolon separated,
select-multiple as one column or split into one 0/1 column per choice), and the JSON of either
(a list of submissions, ODK's OData ``{"value": [...]}`` with nested groups, Kobo's
``{"results": [...]}`` with flat paths). A column is matched to a question by the last part of its
path; platform columns (``meta``, ``_id``, ``SubmissionDate``...) are ignored.

Every submission must carry the hidden ids the Stoa XLSForm puts in it (``stoa_assessment``,
``stoa_site``) and they must be this assessment's: a submission for another public space or
another assessment is refused with a message that says so. Every value is checked exactly like an
answer typed on the question pages (``stoa.assessments.answers.clean_value``). Any problem refuses
the whole file and nothing is written; otherwise the answers are stored as the chosen assessor's
(source "xlsform"), replacing that assessor's earlier answers to the same questions. Empty cells
leave existing answers alone. Photos are not imported: the file holds only a file name, so the team
attaches the photo to the public space and picks it on the question page.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from stoa.assessments.answers import clean_value, is_empty
from stoa.assessments.field.xlsform import ASSESSMENT_FIELD, SITE_FIELD
from stoa.assessments.models import Answer, AnswerSource, Assessment
from stoa.assessments.proposals import question_objects, refresh_proposals
from stoa.audit.actor import acting_as
from stoa.library.models import ReferenceObject
from stoa.sites.services.records import ImportRejected, Problem

__all__ = ["AssessmentNotEditable", "Problem", "SubmissionRejected", "SubmissionResult", "import_submissions"]

PATH_SEPARATORS = re.compile(r"[/-]")
ID_FIELDS = ("meta/instanceID", "meta-instanceID", "instanceID", "KEY", "_uuid", "__id")
TRUE_CELLS = ("1", "true", "True", "TRUE", "yes")


class SubmissionRejected(ImportRejected):
    """The file was refused as a whole; ``problems`` lists every fault found."""


class AssessmentNotEditable(SubmissionRejected):
    """The assessment is no longer a draft, so nothing can be imported into it."""


@dataclass
class SubmissionResult:
    submissions: int
    answers: dict[str, Any] = field(default_factory=dict)  # question ref_id → value stored
    photos_skipped: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.answers)


@dataclass
class _Submission:
    location: str
    cells: dict[str, Any]


def import_submissions(assessment: Assessment, data: bytes, filename: str, assessor: Any,
                       user: Any = None) -> SubmissionResult:
    """Store the answers in DATA (an ODK Central / KoboToolbox export) as ASSESSOR's answers to
    ASSESSMENT; USER (default: the assessor) is recorded in the audit trail. Raises
    SubmissionRejected, writing nothing."""
    if not assessment.is_editable:
        raise AssessmentNotEditable([Problem(_("assessment"), "status", _(
            "this assessment is %(status)s: only a draft assessment takes new answers") % {
            "status": assessment.get_status_display().lower()})])
    submissions = read(data, filename)
    answers, photos = check(assessment, submissions)
    with transaction.atomic(), acting_as(user or assessor):
        for question, value in answers.items():
            Answer.objects.update_or_create(
                assessment=assessment, question=question, assessor=assessor,
                defaults={"value": value, "source": AnswerSource.XLSFORM,
                          "organisation_id": assessment.organisation_id})
        refresh_proposals(assessment)
    return SubmissionResult(submissions=len(submissions), answers=answers, photos_skipped=photos)


def _file_problem(field_name: str, message: str) -> SubmissionRejected:
    return SubmissionRejected([Problem(_("file"), field_name, message)])


def read(data: bytes, filename: str) -> list[_Submission]:
    """The submissions in DATA, each as a flat {column path: value}; refuses an unreadable file."""
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise _file_problem("size", _("the file is %(size)s; the limit is %(limit)s") % {
            "size": filesizeformat(len(data)), "limit": filesizeformat(settings.MAX_UPLOAD_BYTES)})
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise _file_problem("file", _("the file is empty"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _file_problem("encoding", _(
            "the file is not UTF-8 text (unreadable byte at position %(pos)s); export it again as UTF-8"
        ) % {"pos": exc.start}) from exc
    extension = os.path.splitext(filename.lower())[1]
    if extension == ".json" or (extension != ".csv" and text.lstrip()[:1] in ("{", "[")):
        rows = _json_rows(text)
    else:
        rows = _csv_rows(text)
    if not rows:
        raise _file_problem("submissions", _("the file holds no submissions"))
    return [_Submission(_location(i, cells), cells) for i, cells in enumerate(rows, start=1)]


def _location(number: int, cells: dict[str, Any]) -> str:
    instance = next((cells[k] for k in ID_FIELDS if cells.get(k)), None)
    if instance:
        return _("submission %(n)s (%(id)s)") % {"n": number, "id": instance}
    return _("submission %(n)s") % {"n": number}


def _flatten(value: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, item in value.items():
        path = f"{prefix}/{key}" if prefix else str(key)
        if isinstance(item, dict):
            flat |= _flatten(item, path)
        else:
            flat[path] = item
    return flat


def _json_rows(text: str) -> list[dict[str, Any]]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _file_problem("JSON", _("the file is not valid JSON: %(error)s at line %(line)s, column %(col)s") % {
            "error": exc.msg, "line": exc.lineno, "col": exc.colno}) from exc
    if isinstance(doc, dict):
        doc = next((doc[k] for k in ("value", "results") if isinstance(doc.get(k), list)), [doc])
    if not isinstance(doc, list) or not all(isinstance(row, dict) for row in doc):
        raise _file_problem("JSON", _(
            "expected a list of submissions (objects), as ODK Central or KoboToolbox export them"))
    return [_flatten(row) for row in doc]


def _csv_rows(text: str) -> list[dict[str, Any]]:
    header = text.splitlines()[0] if text.splitlines() else ""
    delimiter = max((",", ";", "\t"), key=header.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        table = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise _file_problem("CSV", _("the file is not readable CSV: %(error)s") % {"error": exc}) from exc
    columns = [c.strip() for c in table[0]]
    duplicates = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicates:
        raise _file_problem("columns", _("these columns appear twice: %(names)s") % {"names": ", ".join(duplicates)})
    rows = []
    for number, row in enumerate(table[1:], start=2):
        if len(row) > len(columns):
            raise _file_problem("CSV", _("line %(n)s has more cells than the header has columns") % {"n": number})
        rows.append(dict(zip(columns, row, strict=False)))
    return rows


def _multiple_choice_ids(question: ReferenceObject | None) -> set[str]:
    if question is None or question.data.get("type") != "multiple":
        return set()
    return {c.get("id") for c in question.data.get("choices") or []}


class _Columns:
    """What each column of the file holds: a question, one choice of a multiple question, a Stoa id."""

    def __init__(self, bank: dict[str, ReferenceObject], columns: set[str]) -> None:
        self.questions: dict[str, str] = {}  # column → question ref_id
        self.choices: dict[str, tuple[str, str]] = {}  # column → (question, choice)
        self.ids: dict[str, str] = {}  # column → ASSESSMENT_FIELD / SITE_FIELD
        for column in columns:
            parts = PATH_SEPARATORS.split(column)
            last = parts[-1]
            if last in (ASSESSMENT_FIELD, SITE_FIELD):
                self.ids[column] = last
            elif last in bank:
                self.questions[column] = last
            elif len(parts) > 1 and last in _multiple_choice_ids(bank.get(parts[-2])):
                self.choices[column] = (parts[-2], last)

    def values(self, cells: dict[str, Any]) -> dict[str, Any]:
        """{question: raw value} for one submission; split choice columns only when the whole
        question's column is absent."""
        found: dict[str, Any] = {}
        for column, question in self.questions.items():
            if column in cells and not is_empty(cells[column]):
                found[question] = cells[column]
        split: dict[str, list[str]] = {}
        for column, (question, choice) in self.choices.items():
            if question not in self.questions.values() and column in cells:
                split.setdefault(question, [])
                if str(cells[column]).strip() in TRUE_CELLS or cells[column] is True or cells[column] == 1:
                    split[question].append(choice)
        return found | {q: chosen for q, chosen in split.items() if chosen}


def _bank(assessment: Assessment) -> dict[str, ReferenceObject]:
    questions = ReferenceObject.objects.filter(kind="question")
    if assessment.question_bank_urn:
        questions = questions.filter(library__urn=assessment.question_bank_urn)
    return {q.ref_id: q for q in questions}


def _raw(question: ReferenceObject, value: Any) -> Any:
    """The cell as clean_value expects it: select-multiple cells hold space-separated choice ids."""
    if question.data.get("type") == "multiple" and isinstance(value, str):
        return value.split()
    if question.data.get("type") != "text" and isinstance(value, str):
        return value.strip()
    return value


def check(assessment: Assessment, submissions: list[_Submission]) -> tuple[dict[str, Any], list[str]]:
    """The answers to store ({question: clean value}) and the photo questions skipped; raises
    SubmissionRejected listing every problem."""
    bank = _bank(assessment)
    asked = {q.ref_id for q in question_objects(assessment)}
    columns = _Columns(bank, {c for s in submissions for c in s.cells})
    if not columns.questions and not columns.choices:
        raise _file_problem("columns", _(
            "no column names a question of the question bank: export the submissions with XML values "
            "and headers (question names such as P01, not their labels)"))
    if ASSESSMENT_FIELD not in columns.ids.values() or SITE_FIELD not in columns.ids.values():
        raise _file_problem(ASSESSMENT_FIELD, _(
            "the file has no %(a)s and %(s)s columns: collect with the XLSForm downloaded from this "
            "assessment's field use page") % {"a": ASSESSMENT_FIELD, "s": SITE_FIELD})
    problems: list[Problem] = []
    answers: dict[str, Any] = {}
    given_by: dict[str, str] = {}
    photos: set[str] = set()
    for submission in submissions:
        if not _belongs(assessment, submission, columns, problems):
            continue
        for question, raw in sorted(columns.values(submission.cells).items()):
            obj = bank[question]
            if question not in asked:
                problems.append(Problem(submission.location, question, _(
                    "this question is not asked in a %(depth)s") % {"depth": assessment.get_depth_display().lower()}))
                continue
            if obj.data.get("type") == "photo":
                photos.add(question)
                continue
            try:
                value = clean_value(obj.data, _raw(obj, raw), site=assessment.site)
            except ValidationError as exc:
                problems.append(Problem(submission.location, question, " ".join(exc.messages)))
                continue
            if value is None:
                continue
            if question in answers and answers[question] != value:
                problems.append(Problem(submission.location, question, _(
                    "%(other)s gives a different answer to this question; import one submission per "
                    "assessor, or remove one of them from the file") % {"other": given_by[question]}))
                continue
            answers[question], given_by[question] = value, submission.location
    if problems:
        raise SubmissionRejected(problems)
    return answers, sorted(photos)


def _belongs(assessment: Assessment, submission: _Submission, columns: _Columns, problems: list[Problem]) -> bool:
    """Whether SUBMISSION carries this assessment's and site's ids; records the problem if not."""
    ids = {what: str(submission.cells.get(column) or "").strip() for column, what in columns.ids.items()}
    site_id, assessment_id = ids.get(SITE_FIELD, ""), ids.get(ASSESSMENT_FIELD, "")
    if not site_id or not assessment_id:
        problems.append(Problem(submission.location, ASSESSMENT_FIELD, _(
            "this submission does not say which assessment it belongs to")))
        return False
    if site_id != str(assessment.site_id):
        problems.append(Problem(submission.location, SITE_FIELD, _(
            "this submission was collected for another public space, not %(site)s") % {"site": assessment.site.name}))
        return False
    if assessment_id != str(assessment.pk):
        problems.append(Problem(submission.location, ASSESSMENT_FIELD, _(
            "this submission was collected for another assessment of %(site)s, not the one of %(date)s") % {
            "site": assessment.site.name, "date": assessment.date.isoformat()}))
        return False
    return True
