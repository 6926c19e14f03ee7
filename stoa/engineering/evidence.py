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

from stoa.assessments.models import Scenario
from stoa.engineering.models import BlastAnalysis, VehicleAnalysis


@dataclass(frozen=True)
class Evidence:
    likelihood: int | None = None
    consequence: int | None = None


def evidence_for(scenario: Scenario) -> Evidence:
    from stoa.engineering.analysis import compute_blast
    from stoa.engineering.vehicle import VehicleAnalysisError, outcome_of

    likelihood = consequence = None
    vehicle = VehicleAnalysis.objects.filter(scenario=scenario).first()
    if vehicle is not None:
        try:
            outcome = outcome_of(vehicle)
        except VehicleAnalysisError:
            outcome = None
        if outcome is not None:
            likelihood = outcome.proposed_likelihood
    blast = BlastAnalysis.objects.filter(scenario=scenario).first()
    if blast is not None:
        consequence = compute_blast(blast).proposed_consequence
    return Evidence(likelihood, consequence)
