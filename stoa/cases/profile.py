"""Charts of the case pages: a case's risk profile, and the benchmark, as server-side SVG with a table beside."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stoa.cases.benchmark import Benchmark
from stoa.cases.models import CaseStudy
from stoa.core.charts.ranges import Group, Series, range_chart_svg

SCALE = 25  # a 5 × 5 risk matrix; a larger score widens the scale


def _scale(values: list[float]) -> float:
    return max([SCALE, *values])


def profile_chart(case: CaseStudy) -> dict[str, Any]:
    rows = case.profile_rows()
    if not rows:
        return {"svg": "", "rows": []}
    groups = [Group(r["threat_name"], (Series(_("Before"), r["before"], r["before"], r["before"]),
                                      Series(_("After"), r["after"], r["after"], r["after"]))) for r in rows]
    svg = range_chart_svg(groups, _scale([r["before"] for r in rows]),
                          title=_("Risk score (likelihood × consequence) per threat type, before and after"))
    return {"svg": mark_safe(svg), "rows": rows}  # noqa: S308 (built and escaped by the chart)


def benchmark_chart(result: Benchmark) -> str:
    groups = []
    for row in result.rows:
        series = []
        if row.current is not None:
            series.append(Series(_("This place now"), row.current, row.current, row.current))
        if row.before is not None and row.after is not None:
            series.append(Series(_("Cases before"), row.before.low, row.before.median, row.before.high))
            series.append(Series(_("Cases after"), row.after.low, row.after.median, row.after.high))
        note = "" if row.shown else ngettext("%(n)s case: too few to show", "%(n)s cases: too few to show",
                                             row.cases) % {"n": row.cases}
        if series or note:
            groups.append(Group(row.threat.label(), tuple(series), note))
    values = [float(r.current or 0) for r in result.rows] + [r.before.high for r in result.rows if r.before]
    svg = range_chart_svg(groups, _scale(values), title=_(
        "This place's risk score per threat type against the cases of its category (median and range)"))
    return mark_safe(svg)  # noqa: S308 (built and escaped by the chart)
