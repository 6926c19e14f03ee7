"""Browser: an officer searches the catalogue and compares two measures, runs the gap analysis of the
re-assessed Grand-Place, ticks the best proposals into a what-if option and sees the residual risk fall
on the heat map; the option then appears beside a second one. axe-core checks each page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from stoa.assessments.models import Assessment
from stoa.catalogue.models import WhatIfOption
from tests.browser.conftest import PageProblems, screenshot
from tests.browser.test_access import axe_violations

pytestmark = pytest.mark.browser


def test_an_officer_goes_from_gaps_to_a_what_if_option(officer_page: Any, problems: PageProblems) -> None:
    page = officer_page
    found: dict[str, list[str]] = {}

    # Browse: search folds accents, a facet narrows the list, two measures are compared.
    page.goto("/catalogue/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Measures catalogue")
    page.get_by_role("searchbox", name="Search").fill("bollards")
    page.wait_for_url("**q=bollards**")  # the search ran (HTMX pushes it into the address)
    expect(page.locator("#catalogue-table tbody tr").first).to_contain_text("bollards")
    expect(page.locator("#catalogue-table")).to_contain_text("Rated fixed bollards")
    page.get_by_role("checkbox", name="Compare Rated fixed bollards").check()
    page.get_by_role("checkbox", name="Compare Automatic rising rated bollards at controlled access points").check()
    found["catalogue"] = axe_violations(page)
    page.get_by_role("button", name="Compare the ticked measures").click()
    expect(page.locator("#compare-table")).to_contain_text("Rated fixed bollards")
    found["compare"] = axe_violations(page)

    # Gap analysis of the re-assessment: every high scenario has proposals with reasons.
    second = Assessment.objects.filter(site__name__startswith="Grand-Place").order_by("date").last()
    assert second is not None
    page.goto(f"/catalogue/assessment/{second.pk}/gaps/")
    sections = page.locator("section.gap-scenario")
    expect(sections.first).to_be_visible()
    count = sections.count()
    assert count >= 5
    for i in range(count):
        expect(sections.nth(i).locator(".gap-proposals > li").first).to_be_visible()
        expect(sections.nth(i).locator(".gap-why").first).to_contain_text("Acts in:")
    found["gaps"] = axe_violations(page)
    screenshot(page, "catalogue-gaps")
    for i in range(count):  # the best proposal of every scenario
        sections.nth(i).locator(".gap-proposals input[type=checkbox]").first.check()
    page.get_by_role("button", name="Make a what-if option of the ticked measures").click()

    # The option form arrives with the ticks; save it and look at the residual risk.
    expect(page.get_by_role("heading", level=1)).to_have_text("New what-if option")
    page.get_by_label("name of the option").fill("Best per euro")
    page.get_by_role("button", name="Save and show the residual risk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What-if: Best per euro")
    option = WhatIfOption.objects.get(name="Best per euro")
    assert option.measures
    expect(page.locator("#whatif-table")).to_contain_text("↓")
    summary = page.locator("#whatif-summary")
    expect(summary).to_contain_text("Scenarios moved to a lower risk level")
    assert int(summary.locator("dd").last.inner_text()) >= 1
    found["whatif"] = axe_violations(page)
    screenshot(page, "catalogue-whatif")

    # A second, cheaper option, compared with the first.
    page.goto(f"/catalogue/assessment/{second.pk}/whatif/new/")
    page.get_by_label("name of the option").fill("Awareness only")
    page.get_by_label("Counter-terrorism awareness training for site staff").check()
    page.get_by_role("button", name="Save and show the residual risk").click()
    page.goto(f"/catalogue/assessment/{second.pk}/whatif/")
    table = page.locator("#options-table")
    expect(table).to_contain_text("Best per euro")
    expect(table).to_contain_text("Awareness only")
    found["options"] = axe_violations(page)
    failing = {name: v for name, v in found.items() if v}
    assert not failing, failing
