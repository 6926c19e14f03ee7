"""Filling and following a plan: from a what-if option, from a decision, dependencies, progress,
overdue items, reviews, residual risk and the city-wide sums."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from stoa.plans.city import city_plan, mean_progress, summarise
from stoa.plans.models import ActionPlan, Horizon, ItemSource, ItemStatus, PlannedMeasure
from stoa.plans.residual import plan_residual
from stoa.plans.rules import check_dependencies, horizon_for, start_warnings
from stoa.plans.services import PlanRefusal, add_from_decision, add_from_whatif, record_review
from tests import factories
from tests.plan_samples import BOLLARDS, GUARDS, make_decision, make_plan_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org: Any) -> dict[str, Any]:
    return make_plan_world(org)


def test_the_horizon_follows_the_slow_end_of_the_time_to_deploy() -> None:
    assert horizon_for({"deploy_days": [30, 365]}) == Horizon.SHORT
    assert horizon_for({"deploy_days": [200, 366]}) == Horizon.MID
    assert horizon_for({"deploy_days": [400, 3 * 365]}) == Horizon.MID
    assert horizon_for({"deploy_days": [400, 3 * 365 + 1]}) == Horizon.LONG
    assert horizon_for({}) == Horizon.SHORT


def test_a_what_if_option_becomes_items_with_mid_costs_horizon_and_scenarios_and_never_twice(world):
    plan = world["plan"]
    added = add_from_whatif(plan, world["option"])
    bollards, guards = sorted(added.items, key=lambda m: m.name)
    assert (bollards.catalogue_key, bollards.capital_eur, bollards.yearly_eur, bollards.horizon) == (
        BOLLARDS, 50000, 1000, Horizon.SHORT)
    assert (guards.catalogue_key, guards.capital_eur, guards.yearly_eur, guards.horizon) == (
        GUARDS, 2000, 30000, Horizon.MID)
    assert [s.threat.ref_id for s in bollards.scenarios.all()] == ["VEHICLE"]
    assert [s.threat.ref_id for s in guards.scenarios.all()] == ["FIREARMS"]
    assert {m.source for m in added.items} == {ItemSource.WHATIF}
    assert {m.source_ref for m in added.items} == {str(world["option"].pk)}
    with pytest.raises(PlanRefusal, match="already in the plan: Test bollards, Test guards"):
        add_from_whatif(plan, world["option"])
    assert plan.plannedmeasures.count() == 3


def test_a_decision_becomes_one_item_and_a_catalogue_key_already_there_is_refused(world):
    plan = world["plan"]
    record = make_decision(world["assessment"])
    item = add_from_decision(plan, record)
    assert (item.source, item.source_ref, item.catalogue_key, item.capital_eur) == (
        ItemSource.EVALUATION, str(record.evaluation_id), BOLLARDS, 50000)
    assert [s.threat.ref_id for s in item.scenarios.all()] == ["VEHICLE"]
    with pytest.raises(PlanRefusal, match="already in the plan"):
        add_from_decision(plan, record)
    added = add_from_whatif(plan, world["option"])
    assert [m.catalogue_key for m in added.items] == [GUARDS] and added.skipped == ["Test bollards"]


def test_a_dependency_cycle_is_refused_with_its_path_and_other_plans_items_too(world, org):
    plan = world["plan"]
    a = world["item"]
    b = PlannedMeasure.objects.create(plan=plan, name="Bollards")
    b.depends_on.set([a])
    with pytest.raises(ValidationError) as refused:
        check_dependencies(a, [b])
    assert "Signage → Bollards → Signage" in str(refused.value)
    with pytest.raises(ValidationError, match="cannot depend on itself"):
        check_dependencies(a, [a])
    other = make_plan_world(org, "Station")["item"]
    with pytest.raises(ValidationError, match="in another plan"):
        check_dependencies(a, [other])
    check_dependencies(b, [a])  # the stored edge, kept: fine


def test_starting_before_a_dependency_ends_is_a_warning_and_ending_before_starting_an_error(world):
    a = world["item"]
    b = PlannedMeasure.objects.create(plan=world["plan"], name="Bollards", start=datetime.date(2026, 3, 1),
                                      end=datetime.date(2026, 9, 1))
    b.depends_on.set([a])
    assert start_warnings(b) == ["“Bollards” starts on 2026-03-01, before “Signage”, which it depends on, "
                                 "ends (2026-06-30)."]
    b.end = datetime.date(2026, 1, 1)
    with pytest.raises(ValidationError, match="is before the start"):
        b.full_clean(exclude=["organisation"])


def test_progress_costs_overdue_and_the_residual_risk_of_the_city(world, officer, org):
    plan = world["plan"]
    PlannedMeasure.objects.create(plan=plan, name="Cancelled", status=ItemStatus.CANCELLED, progress=0,
                                  capital_eur=999)
    PlannedMeasure.objects.create(plan=plan, name="Done", status=ItemStatus.DONE, progress=100, capital_eur=10,
                                  start=datetime.date(2027, 2, 1), yearly_eur=5)
    PlannedMeasure.objects.filter(pk=world["item"].pk).update(end=datetime.date.today() - datetime.timedelta(days=1))
    city = city_plan(officer, org)
    summary = summarise([ActionPlan.objects.get(pk=plan.pk)]).plans[0]
    assert summary.progress == 75  # (50 + 100) / 2, the cancelled item left out
    assert summary.capital_eur == 10 and [m.name for _plan, m in city.overdue] == ["Signage"]
    row: Any = city.plans.get()  # the same figures, as SQL annotations
    assert (mean_progress(row.mean_progress), row.capital, row.n_items, row.n_overdue) == (75, 10, 2, 1)
    assert (city.capital_eur, city.yearly_eur, city.overdue_count, city.plan_count) == (10, 5, 1, 1)
    assert [(y.year, y.capital_eur, y.yearly_eur) for y in city.by_year] == [(2026, 0, 0), (2027, 10, 5)]
    before = city.current_total
    assert before == 4 * 5 + 3 * 4 and city.residual_total == before  # nothing from the catalogue yet
    add_from_whatif(plan, world["option"])
    after = plan_residual(plan)
    assert after.residual_total < before
    assert plan_residual(plan, done_only=True).residual_total == before
    assert city_plan(officer, org).residual_total == after.residual_total
    assert city_plan(factories.make_user(factories.make_org(slug="x"), "admin"), org).plan_count == 0


def test_recording_a_review_sets_today_and_the_next_one_a_cycle_later(world):
    plan = world["plan"]
    plan.review_every_months = 6
    record_review(plan, today=datetime.date(2026, 8, 31))
    plan.refresh_from_db()
    assert (plan.last_reviewed, plan.next_review) == (datetime.date(2026, 8, 31), datetime.date(2027, 2, 28))
