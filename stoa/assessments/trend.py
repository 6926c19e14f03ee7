"""How a public space's risk moved from one assessment to the next (shown on the PSOI's page).

Columns: every signed-off assessment of the site the user may see, oldest first, plus the latest
one when it is not signed off yet (marked with its status). Rows: the threat types. A cell holds
the risk level of that threat's rating on that assessment's own (frozen) risk matrix, and an arrow
when the level rank rose or fell against the column before. Levels are compared by their rank on
each matrix (1 = least severe), so two assessments on different matrices still compare in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.utils.translation import gettext as _

from stoa.accounts.roles import Action
from stoa.assessments.matrix import matrix_of
from stoa.assessments.models import Assessment, Status
from stoa.assessments.services import threat_types
from stoa.sites.models import Site


@dataclass
class TrendCell:
    text: str  # level name, or "not applicable" / "not rated"
    rank: int | None  # level rank, None when not rated or not applicable
    level_id: str = ""
    change: str = ""  # "up", "down", "same" or "" (no comparison possible)


def trend_assessments(site: Site, user: Any) -> list[Assessment]:
    # The copies stay unread: matrix_of finds each by its fingerprint, reading one only when new.
    visible = list(Assessment.objects.for_user(user, Action.VIEW).filter(site=site).defer("risk_matrix")
                   .order_by("date", "created_at"))
    columns = [a for a in visible if a.status == Status.SIGNED_OFF]
    if visible and visible[-1].status != Status.SIGNED_OFF:
        columns.append(visible[-1])
    return columns


def _cells(assessment: Assessment) -> dict[str, TrendCell]:
    frozen = matrix_of(assessment)
    try:
        matrix = frozen.domain()
    except ValueError:
        matrix = None
    names = frozen.level_names()
    cells = {}
    for scenario in assessment.scenarios.select_related("threat"):
        if scenario.not_applicable:
            cells[scenario.threat.ref_id] = TrendCell(_("not applicable"), None)
            continue
        level = None
        if scenario.rated and matrix is not None:
            try:
                level = matrix.cell(scenario.likelihood, scenario.consequence)
            except ValueError:
                level = None
        cells[scenario.threat.ref_id] = (TrendCell(names.get(level.id, level.name), level.rank, level.id)
                                         if level else TrendCell(_("not rated"), None))
    return cells


def site_trend(site: Site, user: Any) -> dict[str, Any]:
    """Columns and rows of the trend table of SITE as USER may see it ({} when nothing to show)."""
    columns = trend_assessments(site, user)
    if not columns:
        return {}
    per_assessment = [_cells(a) for a in columns]
    rows = []
    for threat in threat_types():
        cells = [c.get(threat.ref_id, TrendCell(_("not rated"), None)) for c in per_assessment]
        for before, cell in pairwise(cells):
            if before.rank is not None and cell.rank is not None:
                cell.change = "up" if cell.rank > before.rank else "down" if cell.rank < before.rank else "same"
        rows.append({"threat": threat, "cells": cells})
    return {"columns": columns, "rows": rows}
