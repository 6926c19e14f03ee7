"""A plan's items as the timeline chart (``stoa.core.charts.gantt``), in the active language.

Items without both a start and an end cannot be drawn; they are listed as not scheduled.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from stoa.core.charts.gantt import GanttItem, GanttRow, GanttWords, gantt_svg, gantt_table
from stoa.plans.models import ActionPlan, PlannedMeasure


@dataclass
class Timeline:
    svg: str = ""
    rows: list[GanttRow] = field(default_factory=list)
    unscheduled: list[PlannedMeasure] = field(default_factory=list)


def timeline(items: list[tuple[ActionPlan, PlannedMeasure]], title: str, *, grouped: bool = False,
             today: datetime.date | None = None, depends: dict[Any, list[Any]] | None = None) -> Timeline:
    """DEPENDS (item id → ids it depends on) may be given for many items, read in one query."""
    drawn = [(p, m) for p, m in items if m.start and m.end and m.end >= m.start]
    keys = {m.pk for _p, m in drawn}
    result = Timeline(unscheduled=[m for _p, m in items if m.pk not in keys])
    if not drawn:
        return result
    bars = [GanttItem(key=str(m.pk), label=m.name, start=m.start, end=m.end, progress=m.progress,  # type: ignore[arg-type]
                      overdue=m.is_overdue, state=str(m.get_status_display()),
                      depends_on=tuple(str(d) for d in (depends.get(m.pk, []) if depends is not None
                                                        else [d.pk for d in m.depends_on.all()]) if d in keys),
                      group=p.site.name if grouped else "") for p, m in drawn]
    # xgettext reads "% d" in the next string as a printf directive; it is a str.format template.
    # xgettext:no-python-format
    done = _("{percent}% done")
    words = GanttWords(today=_("Today"), overdue=_("overdue"), done=done,
                       from_to=_("{start} to {end}"), depends_on=_("after {names}"))
    kw: dict[str, Any] = {"today": today or datetime.date.today(), "title": title, "words": words}
    result.svg, result.rows = gantt_svg(bars, **kw), gantt_table(bars)
    return result
