"""The exposure of an assessment per threat type, as rows for a table and as a radar chart.

The rule (risk level rank, 0 when unrated or not applicable) is the pure domain's
(``stoa.core.assessment.exposure``); the drawing is ``stoa.core.charts.radar``. The results page and
the report both call ``exposure_rows`` and ``exposure_radar`` so they always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from stoa.assessments.matrix import matrix_of
from stoa.assessments.models import Assessment, Scenario
from stoa.core.assessment.exposure import NOT_APPLICABLE, UNRATED, exposure_scale, exposures
from stoa.core.assessment.ranking import ScenarioRisk
from stoa.core.charts.radar import radar_svg
from stoa.library.models import ReferenceObject


def short_label(threat: ReferenceObject) -> str:
    """The threat type's short name in the active language (``data.short_name``), else its name."""
    from django.utils import translation

    names = (threat.data or {}).get("short_name") or {}
    lang = (translation.get_language() or "en").split("-")[0]
    return str(names.get(lang) or names.get("en") or threat.label()) if isinstance(names, dict) else threat.label()


def exposure_rows(assessment: Assessment, scenarios: Sequence[Scenario] | None = None) -> list[dict[str, Any]]:
    """One row per scenario in threat order: threat, short label, exposure value, maximum, level name, status text."""
    frozen = matrix_of(assessment)
    matrix = frozen.domain()
    names = frozen.level_names()
    if scenarios is None:
        scenarios = list(assessment.scenarios.select_related("threat"))
    maximum = exposure_scale(matrix)
    rows = []
    for scenario, exposure in zip(scenarios, exposures(
            [ScenarioRisk(s.threat.ref_id, s.threat.order, s.likelihood, s.consequence, s.not_applicable)
             for s in scenarios], matrix), strict=True):
        if exposure.status == NOT_APPLICABLE:
            text = _("not applicable")
        elif exposure.status == UNRATED:
            text = _("not rated yet")
        else:
            text = names.get(exposure.level.id, exposure.level.name)  # type: ignore[union-attr]
        rows.append({"threat": scenario.threat, "short": short_label(scenario.threat), "value": exposure.value,
                     "maximum": maximum, "status": exposure.status, "text": text,
                     "level_id": exposure.level.id if exposure.level else ""})
    return rows


def exposure_radar(assessment: Assessment, rows: list[dict[str, Any]] | None = None, width: int = 360) -> str:
    """The radar chart SVG of the assessment's exposure per threat type ("" with fewer than three)."""
    rows = exposure_rows(assessment) if rows is None else rows
    if len(rows) < 3:
        return ""
    return radar_svg([(r["short"], r["value"]) for r in rows], rows[0]["maximum"], width=width,
                     title=_("Exposure per threat type, %(site)s, %(date)s") % {
                         "site": assessment.site.name, "date": assessment.date.isoformat()})
