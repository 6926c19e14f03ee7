"""The rules of a plan's items that pages and API share: horizon, dependencies, date warnings.

* **Horizon from the time to deploy**: the upper end of a catalogue entry's ``deploy_days`` band
  (the slower case). Up to one year → short term (in place within the first 1–3 years), up to
  three years → mid term (3–5 years), longer → long term (5–10 years). An entry without a time
  to deploy is short term. The horizon stays editable: the rule only proposes it.
* **Dependencies** must be items of the same plan, never the item itself, and never form a cycle;
  a cycle is refused with the path that closes it ("A → B → A").
* **Dates**: an end before the start is refused (``PlannedMeasure.clean``); a start before the end
  of an item it depends on is allowed but warned about, because plans slip and the officer decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stoa.plans.models import Horizon, PlannedMeasure

SHORT_MAX_DAYS = 365
MID_MAX_DAYS = 3 * 365


def horizon_for(data: dict[str, Any]) -> str:
    """The horizon a catalogue entry's data proposes, from the slow end of its ``deploy_days``."""
    days = data.get("deploy_days") or []
    slowest = max((int(d) for d in days), default=0) if isinstance(days, list | tuple) else int(days or 0)
    if slowest <= SHORT_MAX_DAYS:
        return Horizon.SHORT
    return Horizon.MID if slowest <= MID_MAX_DAYS else Horizon.LONG


def dependency_cycle(item: PlannedMeasure, depends_on: Iterable[PlannedMeasure]) -> list[PlannedMeasure] | None:
    """The path ITEM → … → ITEM that DEPENDS_ON would close, or None. Other items' stored
    dependencies are read once for the whole plan."""
    if item.pk is None:
        return None  # a new item is needed by nothing yet, so it cannot close a cycle
    edges: dict[Any, list[Any]] = {}
    through = PlannedMeasure.depends_on.through.objects.filter(from_plannedmeasure__plan_id=item.plan_id)
    for source, target in through.values_list("from_plannedmeasure_id", "to_plannedmeasure_id"):
        edges.setdefault(source, []).append(target)
    edges[item.pk] = [d.pk for d in depends_on]
    names = dict(PlannedMeasure.objects.filter(plan_id=item.plan_id).values_list("pk", "name"))
    stack: list[tuple[Any, list[Any]]] = [(d, [item.pk, d]) for d in edges[item.pk]]
    seen: set[Any] = set()
    while stack:
        node, path = stack.pop()
        if node == item.pk:
            by_pk = {m.pk: m for m in PlannedMeasure.objects.filter(pk__in=path)}
            return [by_pk.get(pk) or PlannedMeasure(name=names.get(pk, "?")) for pk in path]
        if node in seen:
            continue
        seen.add(node)
        stack.extend((nxt, [*path, nxt]) for nxt in edges.get(node, []))
    return None


def check_dependencies(item: PlannedMeasure, depends_on: Iterable[PlannedMeasure]) -> None:
    """ValidationError on ``depends_on`` unless every dependency is another item of ITEM's plan and
    no cycle forms."""
    depends_on = list(depends_on)
    errors = []
    for other in depends_on:
        if other.plan_id != item.plan_id:
            errors.append(_("“%(name)s” is in another plan: an item can only depend on items of its own plan.")
                          % {"name": other.name})
        elif item.pk is not None and other.pk == item.pk:
            errors.append(_("An item cannot depend on itself."))
    if not errors:
        cycle = dependency_cycle(item, depends_on)
        if cycle:
            errors.append(_("These dependencies would go round in a circle: %(path)s.") % {
                "path": " → ".join(m.name for m in cycle)})
    if errors:
        raise ValidationError({"depends_on": errors})


def start_warnings(item: PlannedMeasure) -> list[str]:
    """Warnings (not errors) about ITEM's dates: it starts before an item it depends on ends."""
    if item.pk is None or item.start is None:
        return []
    return [_("“%(item)s” starts on %(start)s, before “%(dep)s”, which it depends on, ends (%(end)s).") % {
        "item": item.name, "start": item.start.isoformat(), "dep": dep.name, "end": dep.end.isoformat()}
        for dep in item.depends_on.all() if dep.end is not None and item.start < dep.end]
