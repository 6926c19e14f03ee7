"""The decision record for the council, as a PDF drawn from the stored ``DecisionRecord``.

Nothing is recomputed: the inputs, outputs (results of the three methods, break-even weights,
rank acceptability), versions and SHA-256 are the ones frozen, so the PDF shows what was decided
even after a library or Stoa upgrade. Only the site and the vulnerability's wording are read from
the live rows (a frozen evaluation's assessment can no longer change). The owner's classification
is printed at the top and bottom of every page, and the renderer is the assessment report's
(``StaticOnlyFetcher``: Stoa's static files only, never the network).
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from stoa.assessments.report.context import person
from stoa.assessments.report.pdf import html_to_pdf
from stoa.evaluation.models import DecisionRecord, Expert
from stoa.evaluation.report.tables import stage_label, tables_of


def _versions(versions: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for key, value in versions.items():
        if isinstance(value, dict):
            rows.append((key, ", ".join(f"{k} {v}" for k, v in value.items())))
        else:
            rows.append((key, "—" if value is None else str(value)))
    return rows


def record_context(record: DecisionRecord) -> dict[str, Any]:
    evaluation = record.evaluation
    inputs, outputs = record.inputs, record.outputs
    experts = [{**e, "declares_conflict": Expert(conflicts=str(e.get("conflicts") or "")).has_conflict}
               for e in inputs.get("experts") or []]
    chosen = next((a["name"] for a in inputs.get("alternatives") or [] if record.chosen_id
                   and a["id"] == str(record.chosen_id)), record.chosen.name if record.chosen else "")
    return {
        "record": record, "evaluation": evaluation, "assessment": evaluation.assessment,
        "site": evaluation.assessment.site, "scenario": evaluation.scenario,
        "organisation": evaluation.organisation, "classification": evaluation.organisation.classification,
        "title": inputs["evaluation"].get("title") or evaluation.title,
        "stages": [stage_label(s) for s in inputs["evaluation"].get("stages") or []],
        "experts": experts, "chosen": chosen, "frozen_by": person(record.frozen_by),
        "frozen_at": timezone.localtime(record.created_at), "versions": _versions(record.versions or {}),
        "t": tables_of(inputs, outputs), "generated_at": timezone.localtime(timezone.now()),
    }


def record_pdf(record: DecisionRecord) -> bytes:
    return html_to_pdf(render_to_string("evaluation/report/record_pdf.html", record_context(record)))
