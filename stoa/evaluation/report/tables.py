"""An evaluation's inputs and outputs as the rows its documents print.

``outputs`` hold the alternatives × criteria cells flattened row by row (``compute.compute``), in
the order of ``outputs["alternatives"]`` and ``outputs["criteria"]``; this module puts names on
them, and turns weights, knock-outs, the three methods, the ranking and the sensitivity results
into rows. Every number is kept as a number (the workbook writes it as such); the templates
format them.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from stoa.core import mcda
from stoa.core.charts.acceptability import AcceptabilityRow, acceptability_svg, acceptability_table, weights_svg
from stoa.evaluation.compute import METHOD_IDS
from stoa.evaluation.criteria import CriteriaTree, Criterion
from stoa.evaluation.models import Method, Stage, WeightMethod


@dataclass
class Cell:
    raw: float | None
    value: float | None
    spread: float | None
    count: int
    missing: bool


@dataclass
class CriterionRow:
    criterion: Criterion
    weight: float
    break_even: float | None
    scale: str
    knockout: str

    @property
    def weight_percent(self) -> float:
        return round(100 * self.weight, 1)

    @property
    def break_even_percent(self) -> float | None:
        return None if self.break_even is None else round(100 * float(self.break_even), 1)

    @property
    def direction(self) -> str:
        return _("higher is better") if self.criterion.direction == "benefit" else _("lower is better")


@dataclass
class MatrixRow:
    id: str
    name: str
    cells: list[Cell]
    knocked_out_by: list[str]


@dataclass
class MethodResult:
    score: float | None
    rank: int | None


@dataclass
class ResultRow:
    id: str
    name: str
    results: list[MethodResult]
    knocked_out_by: list[str]
    rank: int | None = None


@dataclass
class Tables:
    tree: CriteriaTree
    names: dict[str, str]
    criteria: list[CriterionRow]
    matrix: list[MatrixRow]
    agreement: list[tuple[Criterion, float | None]]
    methods: list[tuple[str, str]]
    results: list[ResultRow]
    ranking: list[ResultRow]
    method: str
    method_label: str
    tie_rule: str
    weighting: dict[str, Any] | None
    acceptability: list[AcceptabilityRow] = field(default_factory=list)
    acceptability_svg: str = ""
    weights_svg: str = ""

    @property
    def knocked_out(self) -> list[MatrixRow]:
        return [row for row in self.matrix if row.knocked_out_by]

    @property
    def by_criterion(self) -> list[tuple[CriterionRow, float | None, list[Cell]]]:
        """The matrix turned round (a row per criterion, a column per alternative), for a printed page."""
        agreement = dict((c.id, w) for c, w in self.agreement)
        return [(row, agreement.get(row.criterion.id), [m.cells[j] for m in self.matrix])
                for j, row in enumerate(self.criteria)]


def knockout_text(criterion: Criterion) -> str:
    low, high = criterion.knockout
    parts = []
    if low is not None:
        parts.append(_("out below %(value)s") % {"value": f"{low:g}"})
    if high is not None:
        parts.append(_("out above %(value)s") % {"value": f"{high:g}"})
    return "; ".join(parts)


def scale_text(criterion: Criterion) -> str:
    if criterion.ordinal:
        return _("levels 1–5, described")
    scale = criterion.scale
    return _("%(unit)s: %(worst)s scores 1, %(best)s scores 5") % {
        "unit": criterion.unit, "worst": f"{float(scale['worst']):g}", "best": f"{float(scale['best']):g}"}


def stage_label(stage: str) -> str:
    try:
        return str(Stage(stage).label)
    except ValueError:
        return stage


def weighting_rows(weighting: dict[str, Any] | None) -> dict[str, Any] | None:
    """The provenance of the weights: method, who, when, note, and the AHP consistency ratio."""
    if not weighting:
        return None
    try:
        method = str(WeightMethod(str(weighting.get("method"))).label)
    except ValueError:
        method = str(weighting.get("method") or "")
    when = str(weighting.get("created_at") or "")
    with contextlib.suppress(ValueError):
        when = timezone.localtime(datetime.fromisoformat(when)).strftime("%Y-%m-%d %H:%M") if when else ""
    ratio = weighting.get("consistency_ratio")
    return {"method": method, "by": weighting.get("created_by") or "", "when": when,
            "note": weighting.get("note") or "", "consistency_ratio": ratio,
            "inconsistent": ratio is not None and float(ratio) > mcda.AHP_CONSISTENCY_LIMIT,
            "limit": mcda.AHP_CONSISTENCY_LIMIT}


def _charts(tables: Tables, outputs: dict[str, Any]) -> None:
    groups = [(name, [(c.name, row.weight) for row in tables.criteria for c in [row.criterion] if c.group_id == gid])
              for gid, name, _members in tables.tree.groups]
    try:
        tables.weights_svg = weights_svg(groups, title=_("Weight of each criterion, by group"))
    except ValueError:
        tables.weights_svg = ""
    accept = outputs.get("acceptability") or {}
    ids, matrix = accept.get("alternatives") or [], accept.get("matrix") or []
    names = [tables.names.get(i, i) for i in ids]
    try:
        tables.acceptability = acceptability_table(names, matrix)
        tables.acceptability_svg = acceptability_svg(
            names, matrix, title=_("Rank acceptability: how often each solution takes each rank when the weights "
                                   "vary around the agreed ones"), rank_label=_("Rank {rank}"))
    except ValueError:  # no ranked alternative, or no weight to vary
        tables.acceptability, tables.acceptability_svg = [], ""


def tables_of(inputs: dict[str, Any], outputs: dict[str, Any], charts: bool = True) -> Tables:
    tree = CriteriaTree(inputs["criteria"])
    names = {str(a["id"]): str(a["name"]) for a in inputs["alternatives"]}
    criteria_ids, alternative_ids = list(outputs["criteria"]), list(outputs["alternatives"])
    weights = dict(zip(criteria_ids, outputs["weights"], strict=True))
    break_even = outputs.get("break_even") or {}
    criteria = [CriterionRow(tree.by_id[cid], float(weights.get(cid) or 0.0), break_even.get(cid),
                             scale_text(tree.by_id[cid]), knockout_text(tree.by_id[cid]))
                for cid in criteria_ids]
    knocked = {aid: [tree.by_id[c].name if c in tree.by_id else c for c in cids]
               for aid, cids in (outputs.get("knocked_out") or {}).items()}
    width = len(criteria_ids)
    matrix = []
    for i, aid in enumerate(alternative_ids):
        cells = [Cell(outputs["raw"][i * width + j], outputs["values"][i * width + j],
                      outputs["spread"][i * width + j], int(outputs["count"][i * width + j]),
                      bool(outputs["missing"][i * width + j])) for j in range(width)]
        matrix.append(MatrixRow(aid, names.get(aid, aid), cells, knocked.get(aid, [])))
    methods = [(m, str(Method(m).label)) for m in METHOD_IDS]
    results = []
    for aid in alternative_ids:
        per_method = []
        for m in METHOD_IDS:
            found = outputs["methods"][m]
            if aid in found["alternatives"]:
                k = found["alternatives"].index(aid)
                per_method.append(MethodResult(found["scores"][k], found["ranks"][k]))
            else:
                per_method.append(MethodResult(None, None))
        results.append(ResultRow(aid, names.get(aid, aid), per_method, knocked.get(aid, [])))
    method = str(outputs.get("method") or inputs["evaluation"]["method"])
    chosen = METHOD_IDS.index(method) if method in METHOD_IDS else 0
    by_id = {row.id: row for row in results}
    ranking = []
    for aid in outputs.get("ranking") or []:
        row = by_id[aid]
        row.rank = row.results[chosen].rank
        ranking.append(row)
    agreement = [(tree.by_id[cid], (outputs.get("agreement") or {}).get(cid)) for cid in criteria_ids]
    tables = Tables(tree, names, criteria, matrix, agreement, methods, results, ranking, method,
                    dict(methods).get(method, method), str(outputs.get("tie_rule") or mcda.TIE_RULE),
                    weighting_rows(inputs.get("weighting")))
    if charts:
        _charts(tables, outputs)
    return tables
