"""Browser: from the demo city, an officer runs the budget optimisation for a budget, puts its choice
into the action plans, sees the road map move, and makes the council PDF: its text is read and its
first page rendered to PNG. (Building a plan from a saved what-if option: test_plans_pages; the case
exchange between two organisations: test_cases_exchange.)"""

from __future__ import annotations

import io
from typing import Any

import pypdfium2
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from stoa.plans.models import OptimisationRun, PlannedMeasure
from tests.browser.conftest import PageProblems, screenshot
from tests.browser.test_access import axe_violations

pytestmark = pytest.mark.browser


def test_an_officer_optimises_the_budget_and_makes_the_council_pdf(officer_page: Any, problems: PageProblems,
                                                                   tmp_path: Any) -> None:
    page = officer_page
    page.goto("/plans/")
    page.get_by_role("link", name="Budget optimisation across the public spaces").click()
    page.get_by_label("Name of the run").fill("Budget 2027")
    page.get_by_label("Capital budget (€)").fill("150000")
    page.get_by_role("button", name="Optimise").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Budget 2027")
    run = OptimisationRun.objects.get(name="Budget 2027")
    best, greedy = run.result["optimal"], run.result["greedy"]
    assert best["optimal"] and best["capital_eur"] <= 150000
    assert best["risk_removed"] >= greedy["risk_removed"] - 1e-9
    expect(page.locator("#risk-after")).to_have_text(f"{best['risk_after']:.1f}")
    expect(page.locator("figure svg[role=img]")).to_be_visible()
    # One what-if option of the Grand-Place is chosen, the other is its alternative and says so.
    expect(page.locator("#candidates")).to_contain_text("excluded by alternative")
    assert axe_violations(page) == []
    screenshot(page, "optimisation")
    page.get_by_role("button", name="Add the chosen measures to the action plans").click()
    expect(page.locator(".alert-success, [role=status], .messages")).to_contain_text("added to the action plans")
    assert PlannedMeasure.objects.filter(source="optimiser", source_ref=str(run.pk)).exists()

    page.goto("/plans/roadmap/")
    row = page.locator("#roadmap tbody tr", has_text="Grand-Place")
    expect(row.locator("td").nth(5)).to_contain_text("started")  # a draft plan now: step 6 started
    assert axe_violations(page) == []

    page.goto("/reports/")
    screenshot(page, "reports-page")
    page.locator("#start-city_overview").locator("xpath=..").get_by_role("button").click()
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the report (PDF)").click()
    path = tmp_path / "council.pdf"
    download_info.value.save_as(path)
    data = path.read_bytes()
    reader = PdfReader(io.BytesIO(data))
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) >= 2
    assert all("DEMO - FICTIONAL DATA" in text for text in pages)  # the classification on every page
    text = "\n".join(pages)
    for expected in ("Grand-Place", "Quai des Tanneurs", "Gare de Valmont-sur-Lys"):
        assert expected in text
    first = pypdfium2.PdfDocument(data)[0].render(scale=1).to_pil()
    png = tmp_path / "council-page-1.png"
    first.save(png)
    assert first.width > 500 and first.height > 700 and png.stat().st_size > 10_000
