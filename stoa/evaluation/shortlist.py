"""Shortlisting for demonstration and moving an evaluation to its next stage.

The shortlist is the top N of the current ranking (knocked-out alternatives never qualify;
``eligible`` can narrow it further, e.g. to RFI answers that pass every must-have). PRoTECT
invited five solutions per city to demonstrate, hence N = 5 by default.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stoa.evaluation.compute import compute, inputs_of
from stoa.evaluation.models import STAGE_ORDER, Alternative, Evaluation, Stage, check_editable


def shortlist_top(evaluation: Evaluation, size: int | None = None,
                  eligible: Callable[[Alternative], bool] | None = None) -> list[Alternative]:
    """Mark the top SIZE (default: the evaluation's shortlist size) ranked alternatives; unmark the rest."""
    check_editable(evaluation)
    size = evaluation.shortlist_size if size is None else size
    ranking = compute(inputs_of(evaluation))["ranking"]
    by_id = {str(a.pk): a for a in evaluation.alternatives.all()}
    chosen = [by_id[i] for i in ranking if i in by_id and (eligible is None or eligible(by_id[i]))][:size]
    with transaction.atomic():
        evaluation.alternatives.update(shortlisted=False)
        Alternative.objects.filter(pk__in=[a.pk for a in chosen]).update(shortlisted=True)
    return chosen


def advance_stage(evaluation: Evaluation, stage: str) -> None:
    """Move to STAGE (only forward); demonstration needs a shortlist."""
    check_editable(evaluation)
    if stage not in Stage.values:
        raise ValidationError(_("Unknown stage."))
    if STAGE_ORDER.index(Stage(stage)) <= STAGE_ORDER.index(Stage(evaluation.stage)):
        raise ValidationError(_("An evaluation only moves forward: it is already at %(stage)s.") % {
            "stage": evaluation.get_stage_display()})
    if not evaluation.alternatives.filter(shortlisted=True).exists():
        raise ValidationError(_("Shortlist the alternatives to demonstrate first."))
    evaluation.stage = stage
    evaluation.save(update_fields=["stage", "updated_at"])
