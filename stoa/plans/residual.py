"""The residual risk a plan leaves: its measures' catalogue effects on the assessment's scenarios.

The same rule as the what-if options (``stoa.catalogue.whatif.evaluate``: overlapping measures
combine as 1 − Π(1 − eᵢ) per factor, on top of the team's current rating). A planned measure
counts unless it is cancelled, and only through its catalogue entry: one typed in without an
entry has no known effect and is listed as such. ``done_only`` gives the risk left today, with
the measures already done.
"""

from __future__ import annotations

from dataclasses import dataclass

from stoa.assessments.models import Scenario
from stoa.catalogue.entries import Catalogue
from stoa.catalogue.whatif import Outcome, evaluate
from stoa.plans.models import ActionPlan, ItemStatus, PlannedMeasure


@dataclass
class PlanResidual:
    outcome: Outcome
    without_effect: list[PlannedMeasure]  # counted measures with no catalogue entry

    @property
    def current_total(self) -> float:
        return self.outcome.current_total

    @property
    def residual_total(self) -> float:
        return self.outcome.residual_total

    @property
    def removed_share(self) -> float:
        """The part of the current risk score the plan removes (0 when nothing is rated)."""
        return 1 - self.residual_total / self.current_total if self.current_total else 0.0


def plan_residual(plan: ActionPlan, *, done_only: bool = False, catalogue: Catalogue | None = None,
                  scenarios: list[Scenario] | None = None, present: set[str] | None = None) -> PlanResidual:
    """PLAN's residual risk. CATALOGUE, SCENARIOS and PRESENT (as for ``evaluate``) may be given when
    many plans are summed up, so they are read once for all of them."""
    items = [m for m in plan.plannedmeasures.all() if m.status != ItemStatus.CANCELLED
             and (not done_only or m.status == ItemStatus.DONE)]
    keys = list(dict.fromkeys(m.catalogue_key for m in items if m.catalogue_key))
    outcome = evaluate(plan.assessment, keys, catalogue, scenarios=scenarios, present=present)
    return PlanResidual(outcome, [m for m in items if not m.catalogue_key])
