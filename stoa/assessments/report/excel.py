"""The answers of an assessment as an Excel workbook (openpyxl), for teams who work in spreadsheets.

Sheets: the answers (per question: the bank's wording, each assessor's answer, the lead's settled
answer and the answer Stoa uses for its proposals), the scenarios with their ratings, and the
existing measures. The owning organisation's classification is the first line of every sheet and
the printed header and footer of every page.

Every text cell is written as text: an answer that starts with "=" stays words, never a formula
that a spreadsheet would run; characters a workbook cannot hold are dropped, not turned into an error.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from stoa.assessments.mapdata import measure_codes
from stoa.assessments.matrix import matrix_of
from stoa.assessments.models import Answer, Assessment, SettledAnswer
from stoa.assessments.proposals import current_answers, question_objects
from stoa.assessments.report.context import person
from stoa.library.models import ReferenceObject, localised

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _text(raw: Any) -> str:
    """A {en, fr} label in the active language."""
    class _Labelled:
        name = raw.get("en", "") if isinstance(raw, dict) else str(raw or "")
        translations = {k: {"name": v} for k, v in raw.items()} if isinstance(raw, dict) else {}
    return localised(_Labelled(), "name")


def answer_text(question: ReferenceObject | None, value: Any) -> str:
    """An answer in words: choice ids become their labels; several choices are joined by "; "."""
    if value is None:
        return ""
    choices = {c.get("id"): _text(c.get("label") or {}) for c in (question.data.get("choices") or [])} \
        if question is not None else {}
    if isinstance(value, list):
        return "; ".join(choices.get(v) or str(v) for v in value)
    if isinstance(value, str):
        return choices.get(value) or value
    if isinstance(value, bool | int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _cell_value(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _append(sheet: Worksheet, row: Iterable[Any], bold: bool = False) -> None:
    sheet.append([_cell_value(v) for v in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.alignment = WRAP
        if bold:
            cell.font = BOLD


def _new_sheet(book: Workbook, title: str, assessment: Assessment, heading: list[str],
               widths: list[int]) -> Worksheet:
    sheet = book.create_sheet(title)
    classification = assessment.organisation.classification
    for header in (sheet.oddHeader, sheet.evenHeader, sheet.oddFooter, sheet.evenFooter):
        header.center.text = ILLEGAL_CHARACTERS_RE.sub("", classification).replace("&", "&&")
        header.center.font = "Arial,Bold"
    _append(sheet, [classification], bold=True)
    _append(sheet, [_("Assessment of %(site)s, %(date)s (%(status)s). Exported on %(now)s.") % {
        "site": assessment.site.name, "date": assessment.date, "status": assessment.get_status_display(),
        "now": timezone.localtime(timezone.now()).strftime("%Y-%m-%d %H:%M")}])
    _append(sheet, [])
    _append(sheet, heading, bold=True)
    sheet.freeze_panes = "A5"
    sheet.print_title_rows = "4:4"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=4, column=index).column_letter].width = width
    return sheet


def _answers_sheet(book: Workbook, assessment: Assessment) -> None:
    answers = list(Answer.objects.filter(assessment=assessment).select_related("assessor"))
    assessors = sorted({a.assessor for a in answers if a.assessor is not None}, key=person)
    by_key = {(a.question, a.assessor_id): a.value for a in answers}
    settled = {s.question: s for s in SettledAnswer.objects.filter(assessment=assessment)}
    used = current_answers(assessment)
    questions = question_objects(assessment)
    asked = {q.ref_id for q in questions}
    extra = sorted({a.question for a in answers} - asked)  # answered, but not asked at this depth (or bank)
    sections = {s.ref_id: s.label() for s in ReferenceObject.objects.filter(kind="question_section")}
    sheet = _new_sheet(book, _("Answers"), assessment, [
        _("Section"), _("Question id"), _("Question"), *[_("Answer of %(name)s") % {"name": person(u)}
                                                         for u in assessors],
        _("Settled answer"), _("Why this answer"), _("Answer used")], [18, 10, 60, *[22] * len(assessors), 22, 30, 22])
    rows: list[tuple[str, ReferenceObject | None]] = [(q.ref_id, q) for q in questions] + [(r, None) for r in extra]
    for ref_id, question in rows:
        section = sections.get(question.data.get("section", ""), "") if question is not None else ""
        wording = question.label() if question is not None else _("(not in this assessment's question bank)")
        pick = settled.get(ref_id)
        _append(sheet, [section, ref_id, wording,
                        *[answer_text(question, by_key.get((ref_id, u.pk))) for u in assessors],
                        answer_text(question, pick.value) if pick else "", pick.note if pick else "",
                        answer_text(question, used.get(ref_id))])


def _scenarios_sheet(book: Workbook, assessment: Assessment) -> None:
    frozen = matrix_of(assessment)
    matrix, names = frozen.domain(), frozen.level_names()
    sheet = _new_sheet(book, _("Scenarios"), assessment, [
        _("Threat type"), _("Not applicable"), _("Why it does not apply"), _("Scenario"), _("Attack phase"),
        _("Where on the site"), _("Event or time slot"), _("Proposed likelihood"), _("Proposed consequence"),
        _("Likelihood"), _("Consequence"), _("Risk level"), _("Why the rating differs from the proposal")],
        [22, 10, 30, 50, 18, 24, 18, 10, 10, 10, 10, 14, 40])
    for s in assessment.scenarios.select_related("threat", "attack_phase"):
        level = matrix.cell(s.likelihood, s.consequence) if s.rated and not s.not_applicable else None
        _append(sheet, [s.threat.label(), _("yes") if s.not_applicable else _("no"), s.not_applicable_reason,
                        s.narrative, s.attack_phase.label() if s.attack_phase else "", s.location, s.time_slot,
                        s.proposed_likelihood, s.proposed_consequence, s.likelihood, s.consequence,
                        names.get(level.id, level.name) if level else "", s.override_justification])


def _measures_sheet(book: Workbook, assessment: Assessment) -> None:
    threats = {t.ref_id: t.label() for t in ReferenceObject.objects.filter(kind="threat_type")}
    measures = list(assessment.existingmeasures.select_related("technology_category"))
    codes = measure_codes(measures)
    sheet = _new_sheet(book, _("Existing measures"), assessment, [
        _("Map code"), _("Description"), _("Natural or emplaced"), _("Technology category"),
        _("Structural or event-driven"), _("Threats it helps against"), _("Location (GeoJSON, WGS84)")],
        [9, 50, 18, 24, 20, 30, 40])
    for m in measures:
        _append(sheet, [codes[m.pk] if m.geometry else "", m.description, m.get_nature_display(),
                        m.technology_category.label() if m.technology_category else "", m.get_timing_display(),
                        "; ".join(threats.get(t, t) for t in m.threats or []),
                        json.dumps(m.geometry) if m.geometry else ""])


def answers_workbook(assessment: Assessment) -> bytes:
    """The .xlsx file of ASSESSMENT's answers, scenarios and existing measures."""
    book = Workbook()
    book.remove(book.active)
    _answers_sheet(book, assessment)
    _scenarios_sheet(book, assessment)
    _measures_sheet(book, assessment)
    book.properties.title = _("Answers of the assessment of %(site)s") % {"site": assessment.site.name}
    book.properties.subject = assessment.organisation.classification
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
