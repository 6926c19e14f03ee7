"""Browser check of the threat-engineering pages on the demo city: blast rings on the map with the
people inside each, and the crowd page's what-if on a closed exit."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_blast_rings_and_crowd_egress_on_a_demo_space(officer_page: Any) -> None:
    from stoa.assessments.models import Scenario

    scenario = Scenario.objects.filter(threat__ref_id="PBIED", assessment__status="draft").select_related(
        "assessment__site").first()
    assert scenario is not None, "the demo city has a draft assessment with a PBIED scenario"
    page = officer_page
    page.goto(f"/engineering/scenario/{scenario.pk}/blast/")
    category = page.get_by_label("Threat category")
    category.select_option(index=1)
    page.get_by_role("button", name="Save and compute").click()
    rings = page.locator("#rings tbody tr")
    expect(rings.first).to_be_visible()
    assert rings.count() >= 2
    expect(page.locator("#blast-map .leaflet-overlay-pane path").first).to_be_attached()
    assert page.locator("#blast-map .leaflet-overlay-pane path").count() >= rings.count()
    expect(page.locator("#blast-legend")).to_contain_text("m")
    screenshot(page, "engineering-blast")

    page.goto(f"/engineering/site/{scenario.assessment.site.pk}/crowd/")
    expect(page.locator("table.crowd-zones tbody tr").first).to_be_visible()
    before = page.locator("main").inner_text()
    closers = page.locator("input[type=checkbox][name^=closed-]")
    if closers.count() >= 2:
        closers.first.check()
        page.get_by_role("button", name="Recompute").click()
        expect(page.get_by_role("link", name="Back to the site as recorded")).to_be_visible()
        assert page.locator("main").inner_text() != before
    screenshot(page, "engineering-crowd")
