"""The risk score each plan stores (``stoa.plans.risk``): the city totals are their SQL sums, every
kind of input change empties them, the next read fills them again, and they are never stale."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from stoa.assessments.models import ExistingMeasure, Scenario
from stoa.catalogue.models import LocalMeasure
from stoa.plans.city import city_plan, summarise
from stoa.plans.models import ActionPlan, ItemStatus, PlannedMeasure
from stoa.plans.residual import plan_residual
from stoa.plans.risk import fill, invalidate, recheck
from tests import factories
from tests.catalogue_samples import measure_data
from tests.plan_samples import BOLLARDS, make_plan_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org: Any) -> dict[str, Any]:
    return make_plan_world(org)


def _stored(plan: ActionPlan) -> Any:  # (current, residual), each None when emptied
    return tuple(ActionPlan.objects.filter(pk=plan.pk).values_list("risk_current", "risk_residual").get())


def _fresh(plan: ActionPlan) -> tuple[float, float]:
    """The figures computed from scratch, as the plan's page does."""
    found = plan_residual(ActionPlan.objects.get(pk=plan.pk))
    return found.current_total, found.residual_total


def _filled(plan: ActionPlan) -> Any:
    fill(ActionPlan.objects.filter(pk=plan.pk))
    return _stored(plan)


def _check_emptied_then_right(plan: ActionPlan) -> None:
    assert _stored(plan) == (None, None)
    assert _filled(plan) == _fresh(plan)


def test_the_city_totals_are_the_sums_of_the_stored_figures_and_equal_the_python_ones(world, officer, org):
    second = make_plan_world(org, "Station Forecourt")
    PlannedMeasure.objects.create(plan=second["plan"], name="Bollards", catalogue_key=BOLLARDS, capital_eur=7,
                                  horizon="mid", start=datetime.date(2028, 3, 1), yearly_eur=3)
    city = city_plan(officer, org)
    plans = list(ActionPlan.objects.filter(organisation=org))
    python = summarise(plans)
    assert city.current_total == pytest.approx(python.current_total)
    assert city.residual_total == pytest.approx(python.residual_total) and city.residual_total < city.current_total
    assert (city.capital_eur, city.yearly_eur) == (python.capital_eur, python.yearly_eur)
    assert city.by_horizon == python.by_horizon
    assert [(y.year, y.capital_eur, y.yearly_eur, y.items) for y in city.by_year] == [
        (y.year, y.capital_eur, y.yearly_eur, y.items) for y in python.by_year]
    assert city.overdue_count == len(python.overdue) and city.reviews_count == len(python.reviews) == 2
    for plan in plans:
        assert _stored(plan) == _fresh(plan)


def test_another_organisations_plans_are_never_counted(world, officer, org, other_org):
    make_plan_world(other_org, "Elsewhere")
    city = city_plan(officer, org)
    assert city.plan_count == 1 and city.current_total == _fresh(world["plan"])[0]
    assert [p.pk for p in city.plans] == [world["plan"].pk]
    assert city_plan(officer, other_org).plan_count == 0  # not visible to this user


def test_adding_changing_and_removing_an_item_empties_the_figures(world):
    plan = world["plan"]
    before = _filled(plan)
    item = PlannedMeasure.objects.create(plan=plan, name="Bollards", catalogue_key=BOLLARDS)
    _check_emptied_then_right(plan)
    assert _stored(plan)[1] < before[1]
    item.status = ItemStatus.CANCELLED
    item.save()
    _check_emptied_then_right(plan)
    assert _stored(plan) == before
    item.delete()
    _check_emptied_then_right(plan)


def test_a_new_rating_or_a_removed_scenario_empties_the_figures(world):
    plan = world["plan"]
    _filled(plan)
    scenario = Scenario.objects.filter(assessment=world["assessment"], likelihood__isnull=False)[0]
    scenario.likelihood = 1
    scenario.save()
    _check_emptied_then_right(plan)
    Scenario.objects.filter(pk=scenario.pk).get().delete()
    _check_emptied_then_right(plan)


def test_a_measure_in_place_empties_the_figures(world):
    plan = world["plan"]
    PlannedMeasure.objects.create(plan=plan, name="Bollards", catalogue_key=BOLLARDS)
    lowered = _filled(plan)
    existing = ExistingMeasure.objects.create(assessment=world["assessment"], description="Bollards in place",
                                              catalogue_key=BOLLARDS)
    _check_emptied_then_right(plan)
    assert _stored(plan)[1] > lowered[1]  # already present: the planned bollards lower nothing more
    existing.delete()
    _check_emptied_then_right(plan)


def test_a_local_catalogue_entry_replacing_a_used_measure_empties_the_figures(world, org):
    plan = world["plan"]
    PlannedMeasure.objects.create(plan=plan, name="Bollards", catalogue_key=BOLLARDS)
    shipped = _filled(plan)
    untouched = make_plan_world(org, "Quiet Park")["plan"]
    _filled(untouched)
    local = LocalMeasure.objects.create(
        organisation=org, name="Our bollards", description="Stronger.", based_on=BOLLARDS,
        data=measure_data(effects=[{"threat": "VEHICLE", "likelihood": 0.9, "consequence": 0.9,
                                    "basis": {"en": "Ours.", "fr": "Les nôtres."}}]))
    _check_emptied_then_right(plan)
    assert _stored(plan)[1] < shipped[1]
    assert _stored(untouched) != (None, None)  # it uses no bollards: left as it is
    local.based_on = ""
    local.save()  # the old URN it replaced counts too
    _check_emptied_then_right(plan)
    assert _stored(plan) == shipped
    local.delete()
    _check_emptied_then_right(plan)


def test_loading_a_library_empties_every_plans_figures(world, other_org):
    elsewhere = make_plan_world(other_org, "Elsewhere")["plan"]
    _filled(world["plan"]), _filled(elsewhere)
    factories.test_library().save()
    assert _stored(world["plan"]) == _stored(elsewhere) == (None, None)


def test_another_assessment_for_the_plan_empties_its_figures_but_a_review_does_not(world):
    plan = world["plan"]
    _filled(plan)
    plan.notes = "Reviewed with the police."
    plan.save(update_fields=["notes", "updated_at"])
    assert _stored(plan) != (None, None)
    plan.save()  # a full save (the form) may have changed the assessment
    _check_emptied_then_right(plan)


def test_a_plan_loaded_before_a_change_never_writes_back_the_old_figures(world):
    plan = world["plan"]
    _filled(plan)
    stale = ActionPlan.objects.get(pk=plan.pk)
    PlannedMeasure.objects.create(plan=plan, name="Bollards", catalogue_key=BOLLARDS)
    stale.title = "Renamed"
    stale.save(update_fields=["title"])  # neither this nor the form's full save writes the figures
    assert _stored(plan) == (None, None)
    assert _filled(plan) == _fresh(plan)


def test_a_figure_computed_from_inputs_read_before_a_change_is_not_stored(world, monkeypatch):
    plan = world["plan"]
    from stoa.plans import city

    real = city.residuals

    def racing(plans: list[ActionPlan]) -> Any:
        found = real(plans)  # the inputs are read, then someone changes one
        PlannedMeasure.objects.create(plan=plan, name="Bollards", catalogue_key=BOLLARDS)
        return found

    monkeypatch.setattr(city, "residuals", racing)
    fill(ActionPlan.objects.filter(pk=plan.pk))
    assert _stored(plan) == (None, None)
    monkeypatch.setattr(city, "residuals", real)
    assert _filled(plan) == _fresh(plan)


def test_invalidate_raises_the_stamp(world):
    plan = world["plan"]
    stamp = ActionPlan.objects.get(pk=plan.pk).risk_stamp
    invalidate(ActionPlan.objects.filter(pk=plan.pk))
    assert ActionPlan.objects.get(pk=plan.pk).risk_stamp == stamp + 1


def test_the_overview_shows_a_page_of_plans_with_the_totals_of_every_plan(client, officer, org, world):
    for n in range(50):
        site = factories.make_site(org, name=f"Space {n:02d}")
        ActionPlan.objects.create(site=site, assessment=world["assessment"], title=f"Plan {n:02d}",
                                  next_review=datetime.date(2027, 1, 1) + datetime.timedelta(days=n))
    client.force_login(officer)
    first = client.get(reverse("plans:overview")).text
    assert first.count('href="/plans/') >= 50 and "Page 1 of 2" in first and "Space 49" not in first.split(
        'id="budget-years"')[0]
    assert "The soonest 10 of 51 reviews." in first
    second = client.get(reverse("plans:overview"), {"page": 2}).text
    assert "Page 2 of 2" in second and "Space 49" in second and "Space 00</th>" not in second
    city = city_plan(officer, org)
    total = f"{city.current_total:.1f} → {city.residual_total:.1f}"
    assert city.plan_count == 51 and total in first and total in second


def test_recheck_corrects_restored_figures_that_no_longer_match_and_leaves_the_rest(world, org):
    plan, other = world["plan"], make_plan_world(org, "Quiet Park")["plan"]
    right = _filled(plan)
    _filled(other)
    ActionPlan.objects.filter(pk=plan.pk).update(risk_residual=0.5)  # as a backup of another catalogue could give
    assert recheck(ActionPlan.objects.filter(organisation=org)) == 1
    assert _stored(plan) == right and _stored(other) == _fresh(other)


def test_the_road_map_shows_a_page_of_public_spaces(client, officer, org):
    for n in range(51):
        factories.make_site(org, name=f"Space {n:02d}")
    client.force_login(officer)
    first = client.get(reverse("plans:roadmap"))
    assert [r.site.name for r in first.context["roads"]] == [f"Space {n:02d}" for n in range(50)]
    assert "Page 1 of 2" in first.text
    second = client.get(reverse("plans:roadmap"), {"page": 2})
    assert [r.site.name for r in second.context["roads"]] == ["Space 50"] and "Page 2 of 2" in second.text


def test_the_command_fills_every_empty_plan(world, org):
    from django.core.management import call_command

    other = make_plan_world(org, "Quiet Park")["plan"]
    call_command("fill_plan_risks")
    assert _stored(world["plan"]) == _fresh(world["plan"]) and _stored(other) == _fresh(other)


def test_the_overview_timeline_shows_the_dependencies_of_the_items_on_the_page(client, officer, world):
    later = PlannedMeasure.objects.create(plan=world["plan"], name="Bollards", start=datetime.date(2026, 7, 1),
                                          end=datetime.date(2026, 9, 1))
    later.depends_on.set([world["item"]])
    client.force_login(officer)
    page = client.get(reverse("plans:overview"))
    rows = {r.label: r for r in page.context["timeline"].rows}
    assert list(rows["Bollards"].depends_on) == ["Signage"] and not rows["Signage"].depends_on
    assert "Timeline of the measures of the plans on this page" in page.text


def test_a_catalogue_read_for_some_keys_answers_for_them_as_the_whole_one(world, org):
    from stoa.catalogue.entries import catalogue_for
    from tests.plan_samples import GUARDS

    local = LocalMeasure.objects.create(organisation=org, name="Our bollards", description="Ours.", based_on=BOLLARDS,
                                        data=measure_data())
    whole, some = catalogue_for(org), catalogue_for(org, [BOLLARDS, local.key])
    for key in (BOLLARDS, local.key):
        assert some.get(key).key == whole.get(key).key == local.key  # type: ignore[union-attr]
    assert whole.get(GUARDS) is not None and some.get(GUARDS) is None  # not asked for: not read
