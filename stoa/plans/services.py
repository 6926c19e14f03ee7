"""Filling a plan: items from a what-if option or an evaluation decision, and recording a review.

* **From a what-if option** of the plan's assessment: each catalogue measure becomes an item with
  the middle of the entry's capital and yearly cost bands, the horizon ``stoa.plans.rules.horizon_for``
  proposes, the rated scenarios it acts on, ``source=whatif`` and the option's id.
* **From an evaluation decision**: a frozen evaluation on a scenario of the plan's assessment; its
  chosen alternative becomes one item (a catalogue alternative with the entry's middle costs, an RFI
  answer with the vendor's stated costs), ``source=evaluation`` and the evaluation's id.

A catalogue measure is in a plan at most once: a key already there is refused, with its name.
Everything is written in one transaction; a refusal writes nothing (``PlanRefusal``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from stoa.assessments.models import Scenario
from stoa.catalogue.entries import CatalogueEntry, catalogue_for
from stoa.catalogue.models import WhatIfOption
from stoa.evaluation.models import AlternativeKind, DecisionRecord, EvaluationStatus
from stoa.plans.models import ActionPlan, Horizon, ItemSource, PlannedMeasure
from stoa.plans.rules import horizon_for


class PlanRefusal(Exception):
    """Nothing was added; the message says why."""


@dataclass
class Added:
    items: list[PlannedMeasure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # names already in the plan


def _rated(plan: ActionPlan) -> list[Scenario]:
    return [s for s in plan.assessment.scenarios.select_related("threat")
            if not s.not_applicable and s.likelihood is not None and s.consequence is not None]


def _from_entry(plan: ActionPlan, entry: CatalogueEntry, scenarios: list[Scenario], **kw: Any) -> PlannedMeasure:
    item = PlannedMeasure.objects.create(
        plan=plan, name=entry.name, catalogue_key=entry.key, capital_eur=round(entry.spec.capital_mid),
        yearly_eur=round(entry.spec.yearly_mid), horizon=horizon_for(entry.data), **kw)
    item.scenarios.set([s for s in scenarios if entry.spec.acts_on(s.threat.ref_id)])
    return item


def keys_in(plan: ActionPlan) -> set[str]:
    catalogue = catalogue_for(plan.organisation_id)
    return {catalogue.canonical(k) for k in plan.plannedmeasures.exclude(catalogue_key="")
            .values_list("catalogue_key", flat=True)}


def whatif_options(plan: ActionPlan, user: Any) -> list[WhatIfOption]:
    return list(WhatIfOption.objects.for_user(user).filter(assessment_id=plan.assessment_id))


def decisions(plan: ActionPlan, user: Any) -> list[DecisionRecord]:
    """Decisions of frozen evaluations on the plan's assessment's scenarios, with a chosen solution."""
    return list(DecisionRecord.objects.for_user(user).filter(
        evaluation__assessment_id=plan.assessment_id, evaluation__scenario__assessment_id=plan.assessment_id,
        evaluation__status=EvaluationStatus.FROZEN, chosen__isnull=False)
        .select_related("evaluation__scenario__threat", "chosen__submission"))


def add_from_whatif(plan: ActionPlan, option: WhatIfOption) -> Added:
    """Every measure of OPTION not yet in PLAN becomes an item; PlanRefusal when none is new."""
    if option.assessment_id != plan.assessment_id:
        raise PlanRefusal(_("This what-if option is for another assessment than the plan's."))
    catalogue = catalogue_for(plan.organisation_id)
    present = keys_in(plan)
    scenarios = _rated(plan)
    added = Added()
    with transaction.atomic():
        for key in option.measures or []:
            entry = catalogue.get(key)
            if entry is None:
                continue
            if entry.key in present:
                added.skipped.append(entry.name)
                continue
            present.add(entry.key)
            added.items.append(_from_entry(plan, entry, scenarios, source=ItemSource.WHATIF,
                                           source_ref=str(option.pk)))
    if not added.items:
        raise PlanRefusal(_("Every measure of “%(option)s” is already in the plan: %(names)s.") % {
            "option": option.name, "names": ", ".join(added.skipped) or "—"})
    return added


def add_from_decision(plan: ActionPlan, record: DecisionRecord) -> PlannedMeasure:
    """The chosen solution of RECORD's evaluation becomes one item of PLAN."""
    evaluation = record.evaluation
    if (evaluation.status != EvaluationStatus.FROZEN or evaluation.scenario is None
            or evaluation.scenario.assessment_id != plan.assessment_id):
        raise PlanRefusal(_("Only the decision of a frozen evaluation on one of the plan's scenarios can be added."))
    chosen = record.chosen
    if chosen is None:
        raise PlanRefusal(_("This decision chose no solution."))
    if plan.plannedmeasures.filter(source=ItemSource.EVALUATION, source_ref=str(evaluation.pk)).exists():
        raise PlanRefusal(_("The decision of “%(title)s” is already in the plan.") % {"title": evaluation.title})
    kw: dict[str, Any] = {"source": ItemSource.EVALUATION, "source_ref": str(evaluation.pk),
                          "notes": record.rationale}
    entry = catalogue_for(plan.organisation_id).get(chosen.catalogue_key) if chosen.catalogue_key else None
    with transaction.atomic():
        if chosen.kind == AlternativeKind.CATALOGUE and entry is not None:
            if entry.key in keys_in(plan):
                raise PlanRefusal(_("“%(name)s” is already in the plan.") % {"name": entry.name})
            return _from_entry(plan, entry, _rated(plan), **kw)
        submission = chosen.submission
        item = PlannedMeasure.objects.create(
            plan=plan, name=chosen.name, horizon=Horizon.SHORT,
            capital_eur=int(getattr(submission, "capital_eur", 0) or 0),
            yearly_eur=int(getattr(submission, "yearly_eur", 0) or 0), **kw)
        item.scenarios.set([evaluation.scenario])
        return item


def record_review(plan: ActionPlan, today: datetime.date | None = None) -> None:
    """The plan was reviewed TODAY: the next review is one cycle later."""
    plan.last_reviewed = today or datetime.date.today()
    plan.next_review = plan.due_review()
    plan.save(update_fields=["last_reviewed", "next_review", "updated_at"])
