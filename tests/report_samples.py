"""Test data for the report tests: a small city with two rated public spaces, a third never assessed,
a plan with dated and costed measures (one with a catalogue effect), and the figures to look for."""

from __future__ import annotations

import datetime
from typing import Any

from stoa.accounts.models import Organisation
from stoa.plans.models import ActionPlan, ItemStatus, PlannedMeasure
from tests import factories
from tests.assessment_samples import make_assessment
from tests.catalogue_samples import make_measure

MARKING = "CONFIDENTIAL COUNCIL"
NARRATIVE = "A van drives into the Saturday crowd from Rue du Nord."
PLACE = "Grand-Place Test"


def make_city(org: Organisation) -> dict[str, Any]:
    org.classification = MARKING
    org.save()
    grand = factories.make_site(org, name=PLACE)
    station = factories.make_site(org, name="Gare Centrale Test", boundary={
        "type": "Polygon", "coordinates": [[[4.3600, 50.8450], [4.3615, 50.8450], [4.3615, 50.8460],
                                            [4.3600, 50.8460], [4.3600, 50.8450]]]})
    factories.make_site(org, name="Quai Nocturne Test")
    first = make_assessment(grand)
    vehicle = first.scenarios.get(threat__ref_id="VEHICLE")
    vehicle.narrative, vehicle.likelihood, vehicle.consequence = NARRATIVE, 5, 5
    vehicle.save()
    first.scenarios.filter(threat__ref_id="FIREARMS").update(likelihood=2, consequence=4)
    second = make_assessment(station)
    second.scenarios.filter(threat__ref_id="VEHICLE").update(likelihood=3, consequence=3, narrative="Taxi rank run.")
    measure = make_measure(with_reference=False)
    plan = ActionPlan.objects.create(site=grand, assessment=first, title="Grand-Place Test security plan",
                                     owner_name="Direction Espace Public", status="adopted")
    PlannedMeasure.objects.create(plan=plan, name="Retractable bollards on Rue du Nord",
                                  catalogue_key=measure.urn, owner="Marie Dupont", capital_eur=123_400,
                                  yearly_eur=5_600, start=datetime.date(2027, 3, 1), end=datetime.date(2027, 9, 30),
                                  status=ItemStatus.IN_PROGRESS, progress=40)
    PlannedMeasure.objects.create(plan=plan, name="Stewards training", owner="Police liaison office",
                                  capital_eur=9_800, yearly_eur=2_100, start=datetime.date(2028, 1, 15),
                                  end=datetime.date(2028, 6, 30))
    return {"sites": [grand, station], "plan": plan, "assessments": [first, second]}
