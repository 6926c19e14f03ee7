"""The RFI document vendors read: as Markdown (plain text, easy to paste or archive) and as a PDF.

Both come from one context (``document_context``): title and reference, the problem, threat types
and attack phases, must-have and desirable requirements, the evaluation criteria by group with what
each level of their scale means, the timetable, how to answer, the answer form's fields and the
clarification rules. It says nothing the RFI does not: never the assessment, its scenarios or the
site's weaknesses. The PDF is drawn like the assessment report (WeasyPrint, no network access,
the organisation's classification at the top and bottom of every page).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Min
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from stoa.assessments.report.pdf import html_to_pdf
from stoa.evaluation.criteria import CriteriaTree, Criterion
from stoa.procurement.forms import SubmissionForm, reference_choices
from stoa.procurement.models import Rfi, RfiRequirement


@dataclass(frozen=True)
class CriterionText:
    """One criterion as vendors read it."""

    name: str
    description: str
    direction: str
    scale: str
    levels: list[tuple[int, str]]
    knockout: str
    stages: str


def _when(value: Any) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


def requirement_condition(requirement: RfiRequirement) -> str:
    """The measurable condition of REQUIREMENT in words, or ''."""
    if not requirement.criterion:
        return ""
    return f"{requirement.get_criterion_display()}: {requirement.limit}".strip().rstrip(":")


def _criterion_text(criterion: Criterion) -> CriterionText:
    stage_names = {"rfi": _("information supplied"), "demonstration": _("demonstration"),
                   "tabletop": _("table-top session")}
    if criterion.ordinal:
        scale = _("scored 1 to 5")
        levels = [(level, text) for level, text in criterion.anchors if text]
        direction = (_("a higher score is better") if criterion.direction == "benefit"
                     else _("a lower score is better"))
    else:
        data = criterion.scale
        scale = _("measured in %(unit)s, from %(worst)s (worst) to %(best)s (best)") % {
            "unit": criterion.unit, "worst": f"{data.get('worst', '')}", "best": f"{data.get('best', '')}"}
        levels = []
        direction = (_("less is better") if float(data.get("best", 0)) < float(data.get("worst", 0))
                     else _("more is better"))
    low, high = criterion.knockout
    knockout = ""
    if low is not None:
        knockout = _("an answer below %(limit)s is not ranked") % {"limit": f"{low:g}"}
    elif high is not None:
        knockout = _("an answer above %(limit)s is not ranked") % {"limit": f"{high:g}"}
    stages = ", ".join(stage_names.get(s, s) for s in criterion.stages)
    return CriterionText(criterion.name, criterion.description, direction, scale, levels, knockout, stages)


def criteria_groups(criteria: dict[str, Any]) -> list[tuple[str, list[CriterionText]]]:
    """The criteria of an RFI by group, as vendors read them."""
    return [(name, [_criterion_text(c) for c in items]) for _id, name, items in CriteriaTree(criteria).groups]


def answer_fields() -> list[tuple[str, str]]:
    """The answer form's fields: label and help text, in the form's order."""
    form = SubmissionForm()
    return [(capfirst(str(field.label)), str(field.help_text or "")) for field in form.fields.values()]


def document_context(rfi: Rfi) -> dict[str, Any]:
    threat_names = dict(reference_choices("threat_type"))
    requirements = list(rfi.requirements.all())
    for requirement in requirements:
        requirement.condition = requirement_condition(requirement)  # type: ignore[attr-defined]
    demos = rfi.demonstrations.aggregate(first=Min("starts_at"), last=Max("starts_at"))
    return {
        "rfi": rfi, "organisation": rfi.organisation, "classification": rfi.organisation.classification,
        "threats": [threat_names.get(t, t) for t in rfi.threats or []],
        "phases": [label for _id, label in reference_choices("attack_phase")],
        "must": [r for r in requirements if r.is_must], "desirable": [r for r in requirements if not r.is_must],
        "groups": criteria_groups(rfi.criteria),
        "opens": _when(rfi.opens_at), "closes": _when(rfi.closes_at),
        "demo_first": _when(demos["first"]), "demo_last": _when(demos["last"]),
        "fields": answer_fields(), "generated_at": timezone.localtime(),
    }


def _lines(text: str, indent: str = "") -> str:
    return "\n".join(f"{indent}{line}".rstrip() for line in text.strip().splitlines())


def markdown(rfi: Rfi) -> str:
    """The RFI document as Markdown."""
    c = document_context(rfi)
    out = [f"# {rfi.title}", ""]
    if rfi.reference:
        out += [f"{_('Reference')}: {rfi.reference}  ", ""]
    out += [f"{_('Published by')}: {c['organisation'].name}  ", f"{_('Classification')}: {c['classification']}", ""]
    out += [f"## {_('The problem')}", "", _lines(rfi.problem), ""]
    out += [f"## {_('Threat types and attack phases')}", "", f"{_('Threat types to address')}:", ""]
    out += [f"- {t}" for t in c["threats"]] + ["", _("Attack phases a solution may act in (say which in your "
                                                    "answer):"), ""]
    out += [f"- {p}" for p in c["phases"]] + [""]
    out += [f"## {_('Requirements')}", ""]
    for heading, items, note in ((_("Must have"), c["must"], _("An answer that does not meet a must-have with a "
                                                               "measurable condition is screened out.")),
                                 (_("Desirable"), c["desirable"], _("Meeting these counts in the answer's favour."))):
        out += [f"### {heading}", "", note, ""]
        out += [f"{n}. {_lines(r.text, '   ').strip()}" + (f" ({r.condition})" if r.condition else "")
                for n, r in enumerate(items, start=1)] or [f"- {_('None.')}"]
        out += [""]
    out += [f"## {_('Evaluation criteria')}", "", _("Answers are scored by a panel of experts on these criteria, "
                                                    "grouped as below."), ""]
    for group, criteria in c["groups"]:
        out += [f"### {group}", ""]
        for criterion in criteria:
            out += [f"- **{criterion.name}**: {criterion.description} ({criterion.scale}; {criterion.direction})"]
            out += [f"  - {level}: {text}" for level, text in criterion.levels]
            if criterion.knockout:
                out += [f"  - {_('Knock-out')}: {criterion.knockout}"]
        out += [""]
    out += [f"## {_('Timetable')}", "", f"- {_('Open for answers from')}: {c['opens']}",
            f"- {_('Deadline')}: {c['closes']}",
            f"- {_('Demonstrations')}: " + (f"{c['demo_first']} – {c['demo_last']}" if c["demo_first"] else
                                           _("for the shortlisted answers, dates announced after the shortlist")),
            ""]
    out += [f"## {_('How to answer')}", "", how_to_answer(), ""]
    out += [f"## {_('The answer form')}", ""]
    out += [f"- **{label}**" + (f": {help_text}" if help_text else "") for label, help_text in c["fields"]] + [""]
    out += [f"## {_('Clarifications')}", "", clarification_rules(), ""]
    if rfi.contact:
        out += [f"{_('Contact')}: {rfi.contact}", ""]
    return "\n".join(out)


def how_to_answer() -> str:
    return _("Answer in Stoa's vendor portal: open this request, choose “Answer”, fill in the form and attach your "
             "evidence (PDF, PNG or JPEG), save it as a draft, then submit it before the deadline. An answer after "
             "the deadline is refused, and a submitted answer can no longer be changed. Send one answer per "
             "solution.")


def clarification_rules() -> str:
    return _("Ask questions through the portal while the request is open. Every answered question is shown, with "
             "its answer, to every vendor who may see this request, without saying who asked; your unanswered "
             "questions are seen only by you and the city.")


def pdf(rfi: Rfi) -> bytes:
    """The RFI document as a PDF, with the classification on every page."""
    context = document_context(rfi) | {"how_to_answer": how_to_answer(), "clarification_rules": clarification_rules()}
    return html_to_pdf(render_to_string("procurement/document_pdf.html", context))
