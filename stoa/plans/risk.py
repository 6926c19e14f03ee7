"""Each plan's stored risk score (``ActionPlan.risk_current`` / ``risk_residual``), always up to date.

The city overview sums the current and residual risk of every plan; computing them means reading
each plan's items, its assessment's scenarios and measures in place, and the catalogue, which is
seconds for a city. So each plan keeps its two figures, and:

* **Emptied on every change of an input** (signals, so every path is covered: pages, API,
  services, cascades): a planned measure saved or removed; a scenario, a measure in place or the
  assessment itself saved or removed (plans of that assessment); a plan saved with another
  assessment; a local catalogue entry saved or removed (the plans of its organisation that use
  its key or the shipped URN it replaces, before or after); a library loaded, upgraded or removed
  (every plan: shipped effects may have changed; the loader saves the ``Library`` row in the same
  transaction as its objects, also when it only refreshes translations with ``bulk_update``).
* **Filled on the next read** (``fill``), for the plans left empty only. Emptying also raises
  ``risk_stamp``; a figure is stored only if the stamp is still the one read before its inputs
  were, so a computation racing an edit never stores a stale figure (it stays empty instead).

Bulk ``QuerySet.update()`` on these inputs bypasses the signals: code doing so calls
``invalidate`` itself.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.signals import post_delete, post_save, pre_save

from stoa.plans.models import ActionPlan

BATCH = 200


def invalidate(plans: QuerySet[ActionPlan]) -> int:
    """Empty the stored risk of PLANS (a queryset of ``ActionPlan``)."""
    return plans.update(risk_current=None, risk_residual=None, risk_stamp=F("risk_stamp") + 1)


def fill(plans: QuerySet[ActionPlan]) -> int:
    """Compute and store the risk of those of PLANS whose figures are empty; returns how many."""
    from stoa.plans.city import residuals  # not at the top: stoa.plans.city imports this module

    stale = list(plans.filter(Q(risk_current__isnull=True) | Q(risk_residual__isnull=True))
                 .order_by().select_related("assessment"))
    for start in range(0, len(stale), BATCH):
        batch = stale[start:start + BATCH]
        found = residuals(batch)
        ActionPlan.objects.filter(
            _any(Q(pk=p.pk, risk_stamp=p.risk_stamp) for p in batch)).update(
            risk_current=Case(*(When(pk=p.pk, then=Value(found[p.pk].current_total)) for p in batch)),
            risk_residual=Case(*(When(pk=p.pk, then=Value(found[p.pk].residual_total)) for p in batch)))
    return len(stale)


def recheck(plans: QuerySet[ActionPlan]) -> int:
    """Compute PLANS' figures again and store those that differ; returns how many did.

    For rows written as they are (a restored backup: raw saves, which the signals leave alone):
    the backup's figures match its rows, but the installation's catalogue may differ from the one
    they were computed with."""
    rows = list(plans.filter(risk_current__isnull=False, risk_residual__isnull=False)  # empty: filled on read
                .order_by().select_related("assessment"))
    changed = 0
    for start in range(0, len(rows), BATCH):
        batch = rows[start:start + BATCH]
        from stoa.plans.city import residuals

        found = residuals(batch)
        for plan in batch:
            figures = (found[plan.pk].current_total, found[plan.pk].residual_total)
            if (plan.risk_current, plan.risk_residual) != figures:
                plans.model._base_manager.using(plans.db).filter(pk=plan.pk).update(
                    risk_current=figures[0], risk_residual=figures[1])
                changed += 1
    return changed


def _any(conditions: Any) -> Q:
    combined = Q(pk__in=[])
    for condition in conditions:
        combined |= condition
    return combined


# --- what empties the figures -------------------------------------------------------------------


# Raw saves (a backup being restored, fixtures) write rows as they were, figures included; the
# restore checks the figures afterwards (``recheck``).


def _plan_item_changed(sender: Any, instance: Any, raw: bool = False, **kw: Any) -> None:
    if not raw:
        invalidate(ActionPlan.objects.filter(pk=instance.plan_id))


def _plan_saved(sender: Any, instance: ActionPlan, created: bool = False, update_fields: Any = None,
                raw: bool = False, **kw: Any) -> None:
    if not raw and not created and (update_fields is None or "assessment" in update_fields):
        invalidate(ActionPlan.objects.filter(pk=instance.pk))


def _assessment_part_changed(sender: Any, instance: Any, raw: bool = False, **kw: Any) -> None:
    if not raw:
        invalidate(ActionPlan.objects.filter(assessment_id=instance.assessment_id))


def _assessment_changed(sender: Any, instance: Any, created: bool = False, raw: bool = False, **kw: Any) -> None:
    if not created and not raw:
        invalidate(ActionPlan.objects.filter(assessment_id=instance.pk))


def _local_keys(measure: Any) -> set[str]:
    return {k for k in (measure.key, measure.based_on) if k}


def _local_before(sender: Any, instance: Any, raw: bool = False, **kw: Any) -> None:
    if raw:
        return
    rows = sender._base_manager.filter(pk=instance.pk) if instance.pk else sender._base_manager.none()
    old = rows.values_list("based_on", flat=True).first()
    instance._risk_old_keys = {old} if old else set()


def _local_changed(sender: Any, instance: Any, raw: bool = False, **kw: Any) -> None:
    if raw:
        return
    keys = _local_keys(instance) | getattr(instance, "_risk_old_keys", set())
    using = ActionPlan.objects.filter(organisation_id=instance.organisation_id).filter(
        Q(plannedmeasures__catalogue_key__in=keys) | Q(assessment__existingmeasures__catalogue_key__in=keys))
    invalidate(ActionPlan.objects.filter(pk__in=using.values("pk")))


def _library_changed(sender: Any, raw: bool = False, **kw: Any) -> None:
    if not raw:
        invalidate(ActionPlan.objects.all())


def connect() -> None:
    from stoa.assessments.models import Assessment, ExistingMeasure, Scenario
    from stoa.catalogue.models import LocalMeasure
    from stoa.library.models import Library
    from stoa.plans.models import PlannedMeasure

    uid = "stoa.plans.risk"
    for signal in (post_save, post_delete):
        signal.connect(_plan_item_changed, sender=PlannedMeasure, dispatch_uid=f"{uid}.item")
        signal.connect(_assessment_part_changed, sender=Scenario, dispatch_uid=f"{uid}.scenario")
        signal.connect(_assessment_part_changed, sender=ExistingMeasure, dispatch_uid=f"{uid}.existing")
        signal.connect(_local_changed, sender=LocalMeasure, dispatch_uid=f"{uid}.local")
        signal.connect(_library_changed, sender=Library, dispatch_uid=f"{uid}.library")
    post_save.connect(_plan_saved, sender=ActionPlan, dispatch_uid=f"{uid}.plan")
    post_save.connect(_assessment_changed, sender=Assessment, dispatch_uid=f"{uid}.assessment")
    pre_save.connect(_local_before, sender=LocalMeasure, dispatch_uid=f"{uid}.local-before")
