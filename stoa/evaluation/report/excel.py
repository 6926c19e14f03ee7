"""An evaluation's matrix as an Excel workbook (openpyxl), for the panel and the auditor.

Sheets: one per stage evaluated with every expert's raw score of every alternative on every
criterion and its justification; the aggregated matrix (panel mean, spread, number of scores,
value on the 1–5 scale, missing cells marked); the weights with their provenance and break-even
weights; the results of the three methods and the chosen ranking. A frozen evaluation's numbers
come from its decision record; one in progress is computed now (``compute(inputs_of(...))``).

As in the assessment export, the owner's classification is the first line and the printed header
and footer of every sheet, and every text is written as text, never as a formula.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from stoa.evaluation.compute import compute, inputs_of
from stoa.evaluation.models import DecisionRecord, Evaluation, Score
from stoa.evaluation.report.tables import Tables, tables_of
from stoa.evaluation.sensitivity import break_evens

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")
STAGE_SHEETS = {"rfi": gettext_lazy("Scores RFI"), "demonstration": gettext_lazy("Scores demonstration"),
                "tabletop": gettext_lazy("Scores table-top")}  # a sheet name holds 31 characters at most


def _cell(value: Any) -> Any:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _append(sheet: Worksheet, row: Iterable[Any], bold: bool = False) -> None:
    sheet.append([_cell(v) for v in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.alignment = WRAP
        if bold:
            cell.font = BOLD


class Book:
    """The workbook with the evaluation's heading on every sheet."""

    def __init__(self, evaluation: Evaluation, status: str) -> None:
        self.book = Workbook()
        self.book.remove(self.book.active)
        self.classification = evaluation.organisation.classification
        self.heading = _("Evaluation “%(title)s” for %(site)s (%(status)s). Exported on %(now)s.") % {
            "title": evaluation.title, "site": evaluation.assessment.site.name, "status": status,
            "now": timezone.localtime(timezone.now()).strftime("%Y-%m-%d %H:%M")}

    def sheet(self, title: str, heading: list[str], widths: list[int]) -> Worksheet:
        sheet = self.book.create_sheet(SHEET_TITLE_BAD.sub(" ", title)[:31])
        for header in (sheet.oddHeader, sheet.evenHeader, sheet.oddFooter, sheet.evenFooter):
            header.center.text = ILLEGAL_CHARACTERS_RE.sub("", self.classification).replace("&", "&&")
            header.center.font = "Arial,Bold"
        _append(sheet, [self.classification], bold=True)
        _append(sheet, [self.heading])
        _append(sheet, [])
        _append(sheet, heading, bold=True)
        sheet.freeze_panes = "A5"
        sheet.print_title_rows = "4:4"
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[sheet.cell(row=4, column=index).column_letter].width = width
        return sheet

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


def _score_sheets(book: Book, evaluation: Evaluation, inputs: dict[str, Any], t: Tables) -> None:
    justifications = {(str(e), str(a), c, s): j for e, a, c, s, j in Score.objects.filter(
        evaluation=evaluation).values_list("expert_id", "alternative_id", "criterion", "stage", "justification")}
    experts = {str(e["id"]): str(e["name"]) for e in inputs["experts"]}
    order = {cid: k for k, cid in enumerate(t.tree.ids)}
    for stage in inputs["evaluation"]["stages"]:
        sheet = book.sheet(str(STAGE_SHEETS.get(stage, stage)), [
            _("Expert"), _("Alternative"), _("Group"), _("Criterion id"), _("Criterion"), _("Score (raw)"),
            _("Scale"), _("Justification")], [22, 26, 16, 18, 30, 10, 30, 50])
        scores = [s for s in inputs["scores"] if s["stage"] == stage]
        scores.sort(key=lambda s: (experts.get(s["expert"], ""), t.names.get(s["alternative"], ""),
                                   order.get(s["criterion"], len(order))))
        for s in scores:
            criterion = t.tree.by_id.get(s["criterion"])
            _append(sheet, [experts.get(s["expert"], s["expert"]), t.names.get(s["alternative"], s["alternative"]),
                            criterion.group_name if criterion else "", s["criterion"],
                            criterion.name if criterion else "", s["value"],
                            next((r.scale for r in t.criteria if r.criterion.id == s["criterion"]), ""),
                            justifications.get((s["expert"], s["alternative"], s["criterion"], stage), "")])


def _matrix_sheet(book: Book, t: Tables) -> None:
    names = [row.criterion.name for row in t.criteria]
    sheet = book.sheet(_("Aggregated matrix"), [_("Alternative"), *names, _("Knocked out by")],
                       [28, *[14] * len(names), 30])
    blocks = [(_("Panel score: mean of the experts' raw scores (“missing”: nobody scored it)"),
               lambda c: _("missing") if c.missing else c.raw),
              (_("Spread between experts (standard deviation)"), lambda c: c.spread),
              (_("Number of scores"), lambda c: c.count),
              (_("Value on the 1–5 scale used for ranking (a missing cell counts as the worst level)"),
               lambda c: c.value)]
    for number, (title, pick) in enumerate(blocks):
        if number:
            _append(sheet, [])
        _append(sheet, [title], bold=True)
        for row in t.matrix:
            _append(sheet, [row.name, *[pick(c) for c in row.cells], ", ".join(row.knocked_out_by)])
    _append(sheet, [])
    _append(sheet, [_("Agreement (Kendall's W)"), *[w for _c, w in t.agreement]], bold=True)


def _weights_sheet(book: Book, t: Tables) -> None:
    sheet = book.sheet(_("Weights"), [_("Group"), _("Criterion id"), _("Criterion"), _("Direction"), _("Scale"),
                                      _("Knock-out"), _("Weight"), _("Break-even weight")],
                       [18, 18, 32, 16, 30, 18, 10, 14])
    for row in t.criteria:
        _append(sheet, [row.criterion.group_name, row.criterion.id, row.criterion.name, row.direction, row.scale,
                        row.knockout, row.weight, row.break_even])
    _append(sheet, [])
    w = t.weighting
    if w is None:
        _append(sheet, [_("No weighting recorded: the criteria set's default points are used.")])
        return
    for label, value in ((_("How the weights were set"), w["method"]), (_("By"), w["by"]), (_("On"), w["when"]),
                         (_("How they were agreed"), w["note"]),
                         (_("Consistency ratio (AHP)"), w["consistency_ratio"])):
        if value not in (None, ""):
            _append(sheet, [label, value])


def _results_sheet(book: Book, t: Tables, record: DecisionRecord | None) -> None:
    heading = [_("Alternative")]
    for _id, label in t.methods:
        heading += [_("%(method)s: score") % {"method": label}, _("%(method)s: rank") % {"method": label}]
    sheet = book.sheet(_("Results"), [*heading, _("Knocked out by")], [28, *[12] * (2 * len(t.methods)), 30])
    ranked = [r.id for r in t.ranking]
    for row in sorted(t.results, key=lambda r: (r.id not in ranked, ranked.index(r.id) if r.id in ranked else 0)):
        cells: list[Any] = []
        for result in row.results:
            cells += [result.score, result.rank]
        _append(sheet, [row.name, *cells, ", ".join(row.knocked_out_by)])
    _append(sheet, [])
    _append(sheet, [_("Chosen method"), t.method_label], bold=True)
    _append(sheet, [_("Ranking"), "; ".join(f"{r.rank}. {r.name}" for r in t.ranking)])
    _append(sheet, [_("Tie rule"), t.tie_rule])
    if record is not None:
        _append(sheet, [_("Chosen solution"), record.chosen.name if record.chosen else ""], bold=True)
        _append(sheet, [_("Reasons for the decision"), record.rationale])
        _append(sheet, [_("Frozen on"), timezone.localtime(record.created_at).strftime("%Y-%m-%d %H:%M")])
        _append(sheet, ["SHA-256", record.sha256])


def matrix_workbook(evaluation: Evaluation) -> bytes:
    """The .xlsx of EVALUATION's scores and results: the frozen record's, else computed now."""
    record = DecisionRecord.objects.filter(evaluation=evaluation).select_related("chosen").first()
    if record is not None:
        inputs, outputs, status = record.inputs, record.outputs, _("decided, from the frozen record")
    else:
        inputs = inputs_of(evaluation)
        outputs = compute(inputs)
        outputs["break_even"] = break_evens(inputs)
        status = _("in progress, computed on export")
    t = tables_of(inputs, outputs, charts=False)
    book = Book(evaluation, status)
    _score_sheets(book, evaluation, inputs, t)
    _matrix_sheet(book, t)
    _weights_sheet(book, t)
    _results_sheet(book, t, record)
    book.book.properties.title = _("Evaluation matrix: %(title)s") % {"title": evaluation.title}
    book.book.properties.subject = book.classification
    return book.bytes()
