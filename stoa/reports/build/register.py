"""The register export (Excel, openpyxl): the organisation's records as sheets, for people who keep
their own registers in spreadsheets.

Sheets: public spaces, assessments, scenario ratings, existing measures, action plans, planned
measures. The marking (classification, and "REDACTED" for the redacted variant) is the first line
of every sheet and the printed header and footer of every page. Every text cell is written as
text, never as a formula, whatever it starts with; characters a workbook cannot hold are dropped.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from stoa.assessments.matrix import matrix_of
from stoa.assessments.models import Assessment, ExistingMeasure, Scenario
from stoa.assessments.report.context import person
from stoa.plans.models import ActionPlan, PlannedMeasure
from stoa.reports.build.city import start as city_start
from stoa.reports.build.common import Redactor, Step
from stoa.sites.models import Site

start = city_start
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _clean(value: Any) -> Any:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _append(sheet: Worksheet, row: Iterable[Any], bold: bool = False) -> None:
    sheet.append([_clean(v) for v in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # never a formula
        cell.alignment = WRAP
        if bold:
            cell.font = BOLD


def _sheet(context: dict[str, Any], title: str, heading: list[str], widths: list[int]) -> Worksheet:
    sheet = context["book"].create_sheet(title)
    marking = context["marking"]
    for header in (sheet.oddHeader, sheet.evenHeader, sheet.oddFooter, sheet.evenFooter):
        header.center.text = _clean(marking).replace("&", "&&")
        header.center.font = "Arial,Bold"
    _append(sheet, [marking], bold=True)
    note = _("%(org)s, register exported on %(now)s.") % {
        "org": context["organisation"].name, "now": context["generated_at"].strftime("%Y-%m-%d %H:%M")}
    if context["left_out"]:
        note += " " + _("Redacted: left out %(what)s.") % {"what": "; ".join(context["left_out"])}
    _append(sheet, [note])
    _append(sheet, [])
    _append(sheet, heading, bold=True)
    sheet.freeze_panes = "A5"
    sheet.print_title_rows = "4:4"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=4, column=index).column_letter].width = width
    return sheet


def _sites(context: dict[str, Any]) -> None:
    book = Workbook()
    book.remove(book.active)
    context["book"] = book
    r: Redactor = context["redactor"]
    sites = list(Site.objects.filter(organisation=context["job"].organisation).select_related("category")
                 .order_by("name"))
    r.number_sites(sites)
    sheet = _sheet(context, _("Public spaces"), [
        _("Code"), _("Name"), _("Category"), _("Owner or managing body"), _("Area (m²)"), _("Priority"),
        _("Longitude"), _("Latitude"), _("Boundary (GeoJSON, WGS84)")], [8, 30, 20, 24, 10, 9, 11, 11, 40])
    for s in sites:
        hidden = r.hides("locations")
        _append(sheet, [r.site_codes[s.pk], r.site(s), s.category.label() if s.category else "",
                        r.person(s.owner_name) if s.ownership == "private" else s.owner_name,
                        round(s.area_m2) if s.area_m2 else None, s.priority_score,
                        r.mark(_("location")) if hidden else s.lon, r.mark(_("location")) if hidden else s.lat,
                        r.text("locations", json.dumps(s.boundary) if s.boundary else "", _("boundary"))])


def _assessments(context: dict[str, Any]) -> None:
    r: Redactor = context["redactor"]
    assessments = list(Assessment.objects.filter(organisation=context["job"].organisation)
                       .select_related("site", "site__category", "lead", "signed_off_by")
                       .order_by("site__name", "-date"))
    context["assessments"] = assessments
    sheet = _sheet(context, _("Assessments"), [
        _("Public space"), _("Date"), _("Depth"), _("Status"), _("Team lead"), _("Signed off by"),
        _("Signed off on")], [30, 12, 12, 14, 22, 22, 16])
    for a in assessments:
        _append(sheet, [r.site(a.site), a.date.isoformat(), a.get_depth_display(), a.get_status_display(),
                        r.person(person(a.lead)), r.person(person(a.signed_off_by)),
                        a.signed_off_at.strftime("%Y-%m-%d") if a.signed_off_at else ""])
    sheet = _sheet(context, _("Scenario ratings"), [
        _("Public space"), _("Assessment date"), _("Threat type"), _("Not applicable"), _("Scenario"),
        _("Where on the site"), _("Likelihood"), _("Consequence"), _("Risk level"),
        _("Why the rating differs from the proposal")], [28, 12, 22, 10, 50, 24, 10, 10, 14, 40])
    by_id = {a.pk: a for a in assessments}
    for s in Scenario.objects.filter(assessment__in=assessments).select_related("threat").order_by(
            "assessment__site__name", "-assessment__date", "threat__order"):
        a = by_id[s.assessment_id]
        frozen = matrix_of(a)
        level_name = ""
        if s.likelihood is not None and s.consequence is not None and not s.not_applicable:
            try:
                level = frozen.domain().cell(s.likelihood, s.consequence)
                level_name = frozen.level_names().get(level.id, level.name)
            except ValueError:
                level_name = ""
        _append(sheet, [r.site(a.site), a.date.isoformat(), s.threat.label(), _("yes") if s.not_applicable else "",
                        r.text("narratives", s.narrative, _("scenario narrative")),
                        r.text("locations", s.location, _("location")), s.likelihood, s.consequence, level_name,
                        r.text("narratives", s.override_justification, _("justification"))])


def _measures(context: dict[str, Any]) -> None:
    r: Redactor = context["redactor"]
    sheet = _sheet(context, _("Existing measures"), [
        _("Public space"), _("Assessment date"), _("Description"), _("Natural or emplaced"),
        _("Structural or event-driven"), _("Catalogue entry"), _("Barrier rating"), _("Location (GeoJSON, WGS84)")],
        [28, 12, 50, 18, 20, 30, 18, 40])
    for m in ExistingMeasure.objects.filter(assessment__in=context["assessments"]).select_related(
            "assessment__site__category").order_by("assessment__site__name", "-assessment__date"):
        details = r.hides("measure_details")
        _append(sheet, [r.site(m.assessment.site), m.assessment.date.isoformat(),
                        r.text("measure_details", m.description, _("description")), m.get_nature_display(),
                        m.get_timing_display(), m.catalogue_key,
                        r.text("measure_details", m.barrier_rating, _("barrier rating")),
                        r.mark(_("location")) if m.geometry and (details or r.hides("locations"))
                        else (json.dumps(m.geometry) if m.geometry else "")])


def _plans(context: dict[str, Any]) -> None:
    r: Redactor = context["redactor"]
    plans = list(ActionPlan.objects.filter(organisation=context["job"].organisation)
                 .select_related("site", "site__category", "assessment"))
    sheet = _sheet(context, _("Action plans"), [
        _("Public space"), _("Plan"), _("Status"), _("Plan owner"), _("Assessment date"), _("Next review")],
        [28, 36, 12, 24, 12, 12])
    for p in plans:
        _append(sheet, [r.site(p.site), r.plan_title(p), p.get_status_display(), r.person(p.owner_name),
                        p.assessment.date.isoformat(), p.next_review.isoformat() if p.next_review else ""])
    sheet = _sheet(context, _("Planned measures"), [
        _("Public space"), _("Plan"), _("Measure"), _("Owner"), _("Capital cost (€)"), _("Yearly cost (€)"),
        _("Start"), _("End"), _("Horizon"), _("Status"), _("Progress (%)"), _("Overdue")],
        [28, 30, 36, 22, 12, 12, 12, 12, 18, 12, 10, 9])
    for m in PlannedMeasure.objects.filter(plan__in=plans).select_related("plan__site__category"):
        _append(sheet, [r.site(m.plan.site), r.plan_title(m.plan), m.name, r.person(m.owner), m.capital_eur,
                        m.yearly_eur, m.start.isoformat() if m.start else "", m.end.isoformat() if m.end else "",
                        m.get_horizon_display(), m.get_status_display(), m.progress,
                        _("yes") if m.is_overdue else ""])


def _save(context: dict[str, Any]) -> None:
    out = io.BytesIO()
    context["book"].save(out)
    context["content"] = out.getvalue()


STEPS = [
    Step(gettext_lazy("Public spaces"), _sites),
    Step(gettext_lazy("Assessments and scenario ratings"), _assessments),
    Step(gettext_lazy("Existing measures"), _measures),
    Step(gettext_lazy("Action plans"), _plans),
    Step(gettext_lazy("Writing the workbook"), _save),
]
