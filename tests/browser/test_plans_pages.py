"""Browser: from the demo city, an officer starts the Grand-Place's action plan, fills it from a saved
what-if option, schedules the measures and sees the plan page and the city-wide plan, with their
timelines and progress bars. axe-core checks both pages; screenshots go to STOA_SCREENSHOTS."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from stoa.assessments.models import Assessment
from stoa.catalogue.gaps import gap_analysis
from stoa.catalogue.models import WhatIfOption
from stoa.plans.models import ActionPlan, ItemStatus
from tests.browser.conftest import PageProblems, screenshot
from tests.browser.test_access import axe_violations

pytestmark = pytest.mark.browser


def test_an_officer_builds_a_plan_from_a_what_if_option(officer_page: Any, problems: PageProblems) -> None:
    page = officer_page
    second = Assessment.objects.filter(site__name="Grand-Place").order_by("date").last()
    assert second is not None
    keys = list(dict.fromkeys(g.proposals[0].entry.key for g in gap_analysis(second).gaps))[:4]
    WhatIfOption.objects.create(assessment=second, name="Best per euro", measures=keys)

    page.goto("/plans/")
    expect(page.get_by_role("heading", level=1)).to_have_text("City-wide action plan")
    page.get_by_role("link", name="Start an action plan").click()
    page.get_by_label("Public space").select_option(label="Grand-Place")
    page.get_by_role("button", name="Choose its assessment").click()
    page.get_by_label("assessment").select_option(str(second.pk))
    page.get_by_role("button", name="Start the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Action plan for Grand-Place")
    page.get_by_role("link", name="Add from a what-if option").click()
    page.get_by_label("what-if option").select_option(label="Best per euro")  # the demo has two options of its own
    page.get_by_role("button", name="Add to the plan").click()
    expect(page.locator("#plan-items tbody tr")).to_have_count(len(keys))

    plan = ActionPlan.objects.get(site__name="Grand-Place")
    items = list(plan.plannedmeasures.order_by("name"))
    today = datetime.date.today()
    for n, item in enumerate(items):  # a schedule: the first one late, the others after it
        item.start = today - datetime.timedelta(days=200 - 120 * n)
        item.end = item.start + datetime.timedelta(days=180)
        item.progress = [30, 10, 0, 0][n % 4]
        item.status = ItemStatus.IN_PROGRESS if item.progress else ItemStatus.PLANNED
        item.save()
    items[1].depends_on.set([items[0]])
    page.reload()
    expect(page.locator("svg.gantt-chart")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Progress of the plan")).to_contain_text("%")
    expect(page.locator("#residual-table")).to_contain_text("↓")
    assert axe_violations(page) == []
    screenshot(page, "plan-page")

    page.get_by_role("link", name="city-wide plan").click()
    expect(page.locator("#city-plans")).to_contain_text("Grand-Place")
    expect(page.locator("#overdue-items")).to_contain_text("Overdue")
    assert axe_violations(page) == []
    screenshot(page, "city-plan")
