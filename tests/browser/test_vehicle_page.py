"""Browser walk of the vehicle run-up on the demo city: run the analysis of the Quai des Tanneurs'
vehicle-ramming scenario, see the approach paths coloured by speed, the numbered perimeter points,
the legend and the ratings table, and the scenario's proposed likelihood change; then the blast
page of its vehicle-bomb scenario with the rings, the people inside and the proposed consequence.
Keyboard reach and axe-core on the vehicle and street network pages. One demo load for all."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from stoa.engineering.vehicle_views import SPEED_COLOURS
from tests.browser.conftest import SCREENSHOTS, screenshot
from tests.browser.test_access import axe_violations, focused

pytestmark = pytest.mark.browser

PATHS = "#vehicle-map .leaflet-overlay-pane path"


def stroke_colours(page: Any) -> list[str]:
    return list(page.eval_on_selector_all(PATHS, "els => els.map(e => (e.getAttribute('stroke') || '').toLowerCase())"))


def tab_to(page: Any, element_id: str, presses: int = 80) -> dict[str, Any]:
    """Press Tab from the top of the page until the element with ELEMENT_ID has the focus."""
    page.locator("body").focus()
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        state = focused(page)
        seen.append(state["id"] or state["text"][:20])
        if state["id"] == element_id:
            return state
    pytest.fail(f"#{element_id} was not reached with Tab; focus went through {seen}")


def test_vehicle_run_up_and_blast_on_the_quai_des_tanneurs(officer_page: Any) -> None:
    from stoa.assessments.models import Scenario

    drafts = Scenario.objects.filter(assessment__site__name="Quai des Tanneurs", assessment__status="draft")
    vehicle = drafts.get(threat__ref_id="VEHICLE")
    bomb = drafts.filter(threat__ref_id__in=["VBIED", "IED"]).order_by("-threat__ref_id").first()
    assert bomb is not None, "the Quai des Tanneurs draft has a vehicle-bomb or IED scenario"
    likelihood_before = vehicle.proposed_likelihood
    page = officer_page

    # --- the vehicle run-up with the default form
    page.goto(f"/engineering/scenario/{vehicle.pk}/vehicle/")
    run = page.get_by_role("button", name="Save and run the analysis")
    expect(run).to_be_visible()
    state = tab_to(page, "id_network")  # the form is reachable by keyboard
    assert state["visible"] and state["ring"], state
    run.click()
    expect(page.locator(".alert-success")).to_contain_text("Vehicle run-up computed")

    expect(page.locator(PATHS).first).to_be_attached()
    colours = stroke_colours(page)
    assert colours and set(colours) <= {c.lower() for c in SPEED_COLOURS} | {"#333333", "#5c6b7a", "#000000"}, colours
    speed_strokes = [c for c in colours if c in {s.lower() for s in SPEED_COLOURS}]
    assert speed_strokes, f"no path in a speed band colour: {colours}"
    labels = page.locator("#vehicle-map .leaflet-tooltip-pane .ring-label")
    assert labels.count() >= 2
    assert [t.strip() for t in labels.all_inner_texts()][:2] == ["1", "2"]
    legend = page.locator("#vehicle-legend")
    for band in ("0–16 km/h", "16–32 km/h", "32–48 km/h", "48–64 km/h", "64 km/h or more"):
        expect(legend).to_contain_text(band)

    rows = page.locator("#approaches tbody tr")
    assert rows.count() >= 2
    table = page.locator("#approaches tbody").inner_text()
    assert re.search(r"\b\d{2,3}\b", table), table  # an impact speed in km/h
    assert re.search(r"V/\d+\[N\d[A-Z]?\]/\d+/90", table), table  # a rating notation such as V/30000[N3F]/56/90
    expect(page.locator("#approaches thead")).to_contain_text("km/h")

    shown = page.locator("#proposed-likelihood").inner_text().strip()
    assert shown in {"1", "2", "3", "4", "5"}, shown
    vehicle.refresh_from_db()
    assert vehicle.proposed_likelihood == int(shown)
    assert vehicle.proposed_likelihood != likelihood_before, (likelihood_before, vehicle.proposed_likelihood)

    # --- one vehicle class only: the paths are redrawn
    select = page.get_by_label("Approach paths shown")
    state = tab_to(page, "vehicle-class")
    assert state["visible"] and state["ring"], state
    worst_count = page.locator(PATHS).count()
    classes = [v for v in select.locator("option").evaluate_all("os => os.map(o => o.value)") if v]
    assert len(classes) >= 2
    strokes = {}
    for value in classes:
        page.eval_on_selector_all(PATHS, "els => els.forEach(e => e.setAttribute('data-old', '1'))")
        select.select_option(value)
        expect(page.locator(PATHS).first).to_be_attached()
        assert page.locator(PATHS + "[data-old]").count() < page.locator(PATHS).count(), "the paths were not redrawn"
        strokes[value] = stroke_colours(page)
    assert len({tuple(s) for s in strokes.values()}) > 1, strokes  # the classes reach different speeds
    select.select_option("")
    assert page.locator(PATHS).count() == worst_count

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path="/tmp/vehicle-page.png", full_page=True)
    screenshot(page, "engineering-vehicle")
    page.wait_for_load_state("networkidle")
    found = {"vehicle": axe_violations(page)}
    page.goto("/engineering/networks/")
    expect(page.locator("#networks tbody")).to_contain_text("Valmont-sur-Lys town centre")
    state = tab_to(page, "id_file")
    assert state["visible"], state
    found["networks"] = axe_violations(page)
    screenshot(page, "engineering-networks")
    failing = {name: v for name, v in found.items() if v}
    assert not failing, "axe-core found serious or critical problems:\n" + "\n".join(
        f"{name}: {line}" for name, lines in failing.items() for line in lines)

    # --- the blast page of the bomb scenario
    consequence_before = bomb.proposed_consequence
    page.goto(f"/engineering/scenario/{bomb.pk}/blast/")
    page.get_by_label("Threat category").select_option("SUV_VAN" if bomb.threat.ref_id == "VBIED" else "BRIEFCASE")
    page.get_by_role("button", name="Save and compute").click()
    expect(page.locator(".alert-success")).to_contain_text("Blast analysis saved")
    rings = page.locator("#rings tbody tr")
    expect(rings.first).to_be_visible()
    assert rings.count() >= 2
    circles = page.locator("#blast-map .leaflet-overlay-pane path")
    assert circles.count() >= rings.count()
    people = [cells[-1].strip() for cells in (r.locator("td").all_inner_texts() for r in rings.all())]
    assert any(re.fullmatch(r"[\d,]+", p) for p in people), people
    shown = page.locator("#proposed-consequence").inner_text().strip()
    assert shown in {"1", "2", "3", "4", "5"}, shown
    bomb.refresh_from_db()
    assert bomb.proposed_consequence == int(shown)
    assert bomb.proposed_consequence != consequence_before, (consequence_before, bomb.proposed_consequence)
    screenshot(page, "engineering-blast-vbied")
