"""Gap analysis and what-if on the demo city: every serious scenario gets reasoned proposals, measures in
place are not proposed again, must-have requirements rule measures out, and an option lowers the risk."""

from __future__ import annotations

import pytest

from stoa.assessments.models import Assessment
from stoa.catalogue.gaps import gap_analysis
from stoa.catalogue.models import LocalMeasure, WhatIfOption
from stoa.catalogue.whatif import evaluate
from tests.test_demo_assessments import demo  # noqa: F401  (the demo city, as the demo tests load it)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_every_scenario_rated_high_in_every_demo_assessment_gets_reasoned_proposals():
    checked = 0
    for assessment in Assessment.objects.all():
        report = gap_analysis(assessment)
        assert report.level_id == "high"
        rated_high = {s.pk for s in assessment.scenarios.select_related("threat") if s.rated and not s.not_applicable
                      and s.likelihood * s.consequence >= 10}
        assert {g.scenario.pk for g in report.gaps} == rated_high
        for gap in report.gaps:
            assert gap.proposals, gap.scenario
            for proposal in gap.proposals:
                assert proposal.entry.spec.acts_on(gap.scenario.threat.ref_id)
                assert proposal.basis and proposal.phases
                rec = proposal.recommendation
                assert rec.likelihood <= gap.scenario.likelihood and rec.consequence <= gap.scenario.consequence
            ratios = [p.recommendation.per_euro for p in gap.proposals]
            assert ratios == sorted(ratios, reverse=True)
            checked += 1
    assert checked >= 10  # the demo has that many scenarios rated high or above


def test_measures_in_place_are_not_proposed_again():
    station = Assessment.objects.get(site__name__startswith="Gare")
    report = gap_analysis(station)
    assert [e.key for e in report.present] == ["urn:stoa:measure:psim-control-room"]
    proposed = {p.entry.key for g in report.gaps for p in g.proposals}
    assert "urn:stoa:measure:psim-control-room" not in proposed


def test_a_must_have_requirement_rules_measures_out_and_says_which():
    first = Assessment.objects.filter(site__name__startswith="Grand-Place").order_by("date").first()
    report = gap_analysis(first)
    vehicle = next(g for g in report.gaps if g.scenario.threat.ref_id == "VEHICLE")
    excluded = {entry.key: reqs for entry, reqs in vehicle.excluded}
    assert "urn:stoa:measure:anpr-vehicle-approaches" in excluded
    assert all(r.criterion == "no_personal_data" for r in excluded["urn:stoa:measure:anpr-vehicle-approaches"])
    assert not any(p.entry.data.get("gdpr") for p in vehicle.proposals)
    # the desirable requirement on looks is reported, not applied
    assert any(p.desirable_unmet for g in report.gaps for p in g.proposals)


def test_a_lower_level_widens_the_analysis_and_objectives_can_narrow_it():
    station = Assessment.objects.get(site__name__startswith="Gare")
    assert len(gap_analysis(station, level_id="medium").gaps) >= len(gap_analysis(station).gaps)
    first = Assessment.objects.filter(site__name__startswith="Grand-Place").order_by("date").first()
    narrowed = gap_analysis(first, only_objectives=True)
    assert narrowed.gaps and all(g.objectives for g in narrowed.gaps)


def test_a_what_if_option_lowers_the_residual_risk_and_adds_the_costs():
    second = Assessment.objects.filter(site__name__startswith="Grand-Place").order_by("date").last()
    report = gap_analysis(second)
    keys = list(dict.fromkeys(g.proposals[0].entry.key for g in report.gaps))
    option = WhatIfOption(assessment=second, name="Best per euro", measures=keys)
    option.full_clean(exclude=["organisation"])
    option.save()
    outcome = evaluate(second, option.measures)
    assert outcome.residual_total < outcome.current_total
    assert outcome.lowered_count >= 1
    for o in outcome.scenarios:
        if o.residual is not None:
            assert o.residual.likelihood <= o.scenario.likelihood
            assert o.residual.consequence <= o.scenario.consequence
    assert outcome.capital_eur[0] == sum(e.spec.capital_eur[0] for e in outcome.chosen)


def test_an_unknown_key_or_a_repeated_measure_is_refused():
    second = Assessment.objects.filter(site__name__startswith="Grand-Place").order_by("date").last()
    from django.core.exceptions import ValidationError

    for measures in (["urn:stoa:measure:teleporter"], ["urn:stoa:measure:cctv-live-monitoring"] * 2):
        with pytest.raises(ValidationError):
            WhatIfOption(assessment=second, name="Bad", measures=measures).full_clean(exclude=["organisation"])


def test_a_citys_own_numbers_change_its_gap_analysis():
    station = Assessment.objects.get(site__name__startswith="Gare")
    before = gap_analysis(station)
    top = before.gaps[0].proposals[0].entry
    data = dict(top.data)
    data["effects"] = [{"threat": "BIOLOGICAL", "likelihood": 0.1, "basis": {"en": "ours", "fr": "nôtre"}}]
    LocalMeasure.objects.create(organisation=station.organisation, name=top.name, description="ours",
                                based_on=top.key, data=data)
    after = gap_analysis(station)
    assert top.key not in {p.entry.key for p in after.gaps[0].proposals}
