"""What the engineering analyses say about a scenario's rating, for its proposed likelihood and consequence.

Two documented rules, each replacing the answers' proposal on one factor when its analysis has
a result:

* a **blast analysis** with people counted proposes the consequence from the people inside the
  mandatory evacuation ring (``stoa.core.exposure.proposed_consequence``);
* a **vehicle run-up analysis** that has been run proposes the likelihood from the fastest
  impact speed no existing barrier stops (``stoa.core.hvm.coverage.proposed_likelihood``).

Values are kept within the assessment's risk-matrix scale. ``stoa.assessments.proposals`` asks
this module for every scenario when it refreshes the proposals.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist

from stoa.assessments.models import Scenario
from stoa.engineering.models import BlastAnalysis, VehicleAnalysis


@dataclass(frozen=True)
class Evidence:
    likelihood: int | None = None
    consequence: int | None = None


def _analysis(scenario: Scenario, name: str) -> VehicleAnalysis | BlastAnalysis | None:
    """SCENARIO's analysis NAME (a one-to-one); no query when the caller loaded it with
    ``select_related`` (``refresh_proposals`` does, for every scenario at once)."""
    try:
        return getattr(scenario, name)  # type: ignore[no-any-return]
    except ObjectDoesNotExist:
        return None


def evidence_for(scenario: Scenario) -> Evidence:
    from stoa.engineering.analysis import compute_blast
    from stoa.engineering.vehicle import VehicleAnalysisError, outcome_of

    likelihood = consequence = None
    vehicle = _analysis(scenario, "vehicle_analysis")
    if isinstance(vehicle, VehicleAnalysis):
        try:
            outcome = outcome_of(vehicle)
        except VehicleAnalysisError:
            outcome = None
        if outcome is not None:
            likelihood = outcome.proposed_likelihood
    blast = _analysis(scenario, "blast_analysis")
    if isinstance(blast, BlastAnalysis):
        consequence = compute_blast(blast).proposed_consequence
    return Evidence(likelihood, consequence)
