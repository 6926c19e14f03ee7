"""Browser, end to end: the city asks the market and decides.

The security officer drafts a request for information from the Grand-Place assessment (its rated
vehicle scenario, the quick TEF criteria), invites the two demo vendors and publishes it. Each
vendor answers in their own browser; the second one is refused the city's assessment and the first
vendor's answer. A panel of two experts (the officer, and the police liaison in their own browser)
scores both answers; the ranking and its sensitivity appear, a weight slider re-ranks through HTMX;
the officer freezes the decision, the record computes again identically, and the council's PDF
carries the site, the chosen solution, the reasons and the classification on every page."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from stoa.assessments.models import Assessment
from stoa.evaluation.models import DecisionRecord, Score
from stoa.procurement.models import Rfi, Submission, SubmissionStatus
from tests.browser.conftest import SCREENSHOTS, PageProblems, log_in, screenshot

pytestmark = pytest.mark.browser

LYSBAR = "Lysbar Systems (fictional vendor)"
NORDGARDE = "Nordgarde Protection (fictional vendor)"
BOLLARDS = "Lysbar RB-48 rising bollards"
BLOCKS = "Nordgarde ModuBlock barrier line"
FIRST = f"{BOLLARDS} ({LYSBAR})"  # the alternatives' names: solution (vendor)
SECOND = f"{BLOCKS} ({NORDGARDE})"
RATIONALE = "Rated bollards stop a van at Rue du Beffroi all year, which the cheaper block line does not."

# The quick TEF set: criterion name, its points, and each expert's level for the two answers
# (bollards, blocks). The bollards win on effect, the blocks on cost: cost alone at 80 % reverses them.
CRITERIA = {
    "Effect against the targeted threat": (40, {"officer": (5, 3), "liaison": (5, 3)}),
    "Maturity and availability": (10, {"officer": (4, 5), "liaison": (4, 5)}),
    "Footprint and installation": (10, {"officer": (3, 4), "liaison": (3, 4)}),
    "Cost over 10 years": (20, {"officer": (4, 2), "liaison": (4, 2)}),
    "Legal and ethical fit": (5, {"officer": (4, 4), "liaison": (4, 4)}),
    "Privacy and data protection (GDPR)": (5, {"officer": (5, 5), "liaison": (5, 5)}),
    "Impact on normal use": (5, {"officer": (4, 3), "liaison": (4, 4)}),
    "The place and its people": (5, {"officer": (3, 3), "liaison": (4, 3)}),
}


def field(scope: Any, label: str) -> Any:
    """The form field labelled LABEL, with or without the required-field asterisk after it."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def answer_the_rfi(page: Any, title: str, solution: str, description: str, trl: str, capital: str,
                   yearly: str, vehicle: str) -> str:
    """As a vendor: find the RFI on the portal, fill the structured answer, submit it; its URL."""
    page.goto("/rfi/")
    offered = page.get_by_role("table", name="Requests your organisation may answer")
    expect(offered).to_contain_text(title)
    expect(offered).to_contain_text("not answered")
    offered.get_by_role("link", name=title).click()
    page.get_by_role("link", name="Answer", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Answer the request")
    field(page, "Solution").fill(solution)
    field(page, "What it is and how it works").fill(description)
    page.get_by_role("group", name="threat types addressed").get_by_label(vehicle).check()
    page.get_by_label("maturity (TRL 1–9)").fill(trl)
    page.get_by_label("performance evidence").fill("Crash-tested to IWA 14-1, 7.5 t at 48 km/h.")
    page.get_by_label("days to deploy").fill("30")
    page.get_by_label("capital cost (EUR)").fill(capital)
    page.get_by_label("running cost per year (EUR)").fill(yearly)
    page.get_by_label("impact on the look of the place").select_option("low")
    page.get_by_label("compliance statement").fill("No personal data; CE marked; no change to access for "
                                                   "wheelchairs.")
    page.get_by_label("can be demonstrated on site").check()
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(solution)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Submitted")
    expect(page.locator("body")).to_contain_text("Submitted: the city evaluates this answer.")
    return page.url


def score_sheet(page: Any, who: str, first: bool) -> None:
    """Fill the open score sheet with WHO's levels for the bollards (FIRST) or the blocks, and save."""
    for criterion, (_points, levels) in CRITERIA.items():
        page.get_by_label(criterion, exact=True).select_option(str(levels[who][0 if first else 1]))
    if first:
        effect = page.get_by_role("group", name=re.compile(r"· Effect against the targeted threat$"))
        effect.get_by_label("Justification").fill(f"{who}: rated bollards, certified against a 7.5 t van.")
    page.get_by_role("button", name="Save and go to the next alternative").click()


def test_a_city_runs_an_rfi_scores_the_answers_and_freezes_the_decision(
        page: Any, browser: Any, demo: Any, problems: PageProblems, base_url: str) -> None:
    assessment = Assessment.objects.get(site__name="Grand-Place", previous__isnull=True)
    vehicle = assessment.scenarios.select_related("threat").get(threat__ref_id="VEHICLE")
    assert vehicle.rated
    vehicle_label = vehicle.threat.label()

    # 1. The officer drafts the RFI from the assessment, for its vehicle scenario, with the quick criteria.
    log_in(page, "valmont.officer")
    page.goto("/rfi/")
    page.get_by_label("Draft a request from the assessment").select_option(str(assessment.pk))
    page.get_by_role("button", name="Draft a request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New request for information")
    title = "Hostile vehicle mitigation for a market square"
    field(page, "Title").fill(title)
    vulnerabilities = page.get_by_role("group", name="vulnerabilities the solutions should address")
    for box in vulnerabilities.get_by_role("checkbox").all():
        box.uncheck()
    vulnerabilities.get_by_role("checkbox", name=re.compile(f"^{re.escape(vehicle_label)} — risk")).check()
    deadline = timezone.localtime() + timedelta(days=14)
    page.get_by_label("deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("evaluation criteria").select_option(label="TEF quick screening")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    rfi = Rfi.objects.get(title=title)
    assert rfi.evaluation is not None and rfi.evaluation.criteria_source == "urn:stoa:criteria-set:tef-quick"
    assert rfi.evaluation.scenario_id == vehicle.pk
    requirements = page.get_by_role("region", name="Requirements")
    expect(requirements).to_contain_text("7.5 t vehicle at 48 km/h")

    invited = page.get_by_role("region", name="Invited vendors")
    for vendor in (LYSBAR, NORDGARDE):
        invited.get_by_label("vendor organisation").select_option(label=vendor)
        invited.get_by_role("button", name="Invite").click()
        expect(page.get_by_role("region", name="Invited vendors").get_by_role("listitem")
               .filter(has_text=vendor)).to_be_visible()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator("body")).to_contain_text("Published. Vendors who may see it can read it")
    rfi_url = page.url

    # 2. Each vendor answers in their own browser, with a different solution.
    lysbar = browser.new_context(base_url=base_url)
    vendor1 = lysbar.new_page()
    problems.watch(vendor1)
    log_in(vendor1, "lysbar.sales")
    first_answer = answer_the_rfi(vendor1, title, BOLLARDS, "Hydraulic rising bollards, crash rated, raised "
                                  "outside market hours.", "9", "180000", "9000", vehicle_label)
    lysbar.close()

    nordgarde = browser.new_context(base_url=base_url)
    vendor2 = nordgarde.new_page()
    problems.watch(vendor2)
    log_in(vendor2, "nordgarde.sales")
    answer_the_rfi(vendor2, title, BLOCKS, "Interlocking steel-and-concrete blocks placed by a small crane, "
                   "moved for events.", "8", "45000", "2500", vehicle_label)
    vendor2.goto("/rfi/")
    expect(vendor2.get_by_role("table", name="Requests your organisation may answer")).to_contain_text(
        "1 submitted")

    # The second vendor is refused the city's assessment and the other vendor's answer. A separate
    # page for these probes, so that only their refusals may appear on its console.
    probes = PageProblems()
    probes.allow("status of 404")
    probes.allow("status of 403")
    probe = nordgarde.new_page()
    probes.watch(probe)
    for url in (f"/assessments/{assessment.pk}/", f"/evaluation/{rfi.evaluation_id}/", first_answer):
        response = probe.goto(url)
        assert response is not None and response.status in (403, 404), (url, response and response.status)
        expect(probe.locator("body")).not_to_contain_text(BOLLARDS)
        expect(probe.locator("body")).not_to_contain_text("hired van")
    probe.close()
    nordgarde.close()
    assert probes.items == [], probes.items
    assert Submission.objects.filter(rfi=rfi, status=SubmissionStatus.SUBMITTED).count() == 2

    # 3. The officer sees both answers, then opens the evaluation: both are alternatives.
    page.goto(rfi_url)
    answers = page.get_by_role("table", name=re.compile("^Submitted answers"))
    expect(answers).to_contain_text(BOLLARDS)
    expect(answers).to_contain_text(BLOCKS)
    expect(answers).to_contain_text("Passes every must-have")
    page.get_by_role("link", name="The evaluation").click()
    evaluation = rfi.evaluation
    expect(page).to_have_url(re.compile(f"/evaluation/{evaluation.pk}/$"))
    steps = page.get_by_role("navigation", name="Evaluation steps")
    steps.get_by_role("link", name="3. Alternatives").click()
    candidates = page.get_by_role("table", name="Candidate solutions")
    expect(candidates).to_contain_text(FIRST)
    expect(candidates).to_contain_text(SECOND)

    # The panel: the officer and the police liaison, each linked to their account, no conflicts.
    steps.get_by_role("link", name="4. Panel").click()
    for name, username, affiliation in (("Hugo Deramaux", "valmont.officer", "Ville de Valmont-sur-Lys, security"),
                                        ("Marc Lefrancq", "valmont.liaison", "Police liaison")):
        field(page, "Name").fill(name)
        page.get_by_label("Stoa user").select_option(label=username)
        page.get_by_label("organisation and role").fill(affiliation)
        page.get_by_label("declared conflicts of interest").fill("none")
        page.get_by_role("button", name="Add to the panel").click()
        expect(page.locator("body")).to_contain_text(f"{name} joined the panel.")
    panel = page.get_by_role("table", name="Experts on the panel")
    expect(panel.get_by_role("row")).to_have_count(3)
    expect(panel).not_to_contain_text("conflict declared")

    # Weights by direct points.
    steps.get_by_role("link", name="2. Weights").click()
    direct = page.get_by_role("region", name="Direct points")
    for criterion, (points, _levels) in CRITERIA.items():
        direct.get_by_label(criterion, exact=True).fill(str(points))
    direct.get_by_label("How the weights were agreed").fill("Agreed at the security committee.")
    direct.get_by_role("button", name="Use these points").click()
    expect(page.locator("body")).to_contain_text("New weights saved")
    expect(page.get_by_role("table", name="Weight of each criterion")).to_contain_text("40 %")

    # The officer scores both answers on every criterion, through their own seat.
    steps.get_by_role("link", name="5. Scores").click()
    page.get_by_role("link", name=f"score {FIRST} as Hugo Deramaux").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Scores for {FIRST}")
    score_sheet(page, "officer", first=True)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Scores for {SECOND}")
    score_sheet(page, "officer", first=False)
    expect(page.locator("body")).to_contain_text("16 of 32 scores entered.")

    # The police liaison scores their own seat in their own browser, and only theirs.
    police = browser.new_context(base_url=base_url)
    liaison = police.new_page()
    problems.watch(liaison)
    log_in(liaison, "valmont.liaison")
    liaison.goto(f"/evaluation/{evaluation.pk}/scores/")
    expect(liaison.get_by_role("link", name=re.compile("as Hugo Deramaux"))).to_have_count(0)
    liaison.get_by_role("link", name=f"score {FIRST} as Marc Lefrancq").click()
    score_sheet(liaison, "liaison", first=True)
    expect(liaison.get_by_role("heading", level=1)).to_have_text(f"Scores for {SECOND}")
    score_sheet(liaison, "liaison", first=False)
    expect(liaison.locator("body")).to_contain_text("32 of 32 scores entered.")
    police.close()
    assert Score.objects.filter(evaluation=evaluation).count() == 32
    assert Score.objects.filter(evaluation=evaluation, expert__user__username="valmont.liaison",
                                entered_by__username="valmont.liaison").count() == 16
    assert set(Score.objects.filter(evaluation=evaluation).exclude(justification="")
               .values_list("expert__name", flat=True)) == {"Hugo Deramaux", "Marc Lefrancq"}

    # 4. The ranking: the bollards first, the blocks second.
    page.goto(f"/evaluation/{evaluation.pk}/")
    ranking = page.get_by_role("table", name=re.compile("^Ranking by Weighted sum"))
    rows = ranking.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(FIRST)
    expect(rows.nth(0).locator("td").first).to_have_text("1")
    expect(rows.nth(1)).to_contain_text(SECOND)
    expect(rows.nth(1).locator("td").first).to_have_text("2")
    expect(page.get_by_role("table", name="Panel score per alternative and criterion")).to_contain_text("n=2")

    # Sensitivity: the rank acceptability chart, the break-even table, and a slider that re-ranks.
    page.get_by_role("navigation", name="Evaluation steps").get_by_role("link", name="7. Sensitivity").click()
    expect(page.get_by_role("img", name=re.compile("^Probability of each rank when the weights vary"))).to_be_visible()
    break_even = page.get_by_role("table", name="Break-even weight per criterion")
    expect(break_even.get_by_role("row", name=re.compile("^Cost over 10 years"))).to_contain_text("%")
    expect(break_even).not_to_contain_text("nan")
    result = page.locator("#rerank-result")
    expect(result.get_by_role("table", name=re.compile("^Ranking by"))).to_be_visible()
    screenshot(page, "evaluation-sensitivity")
    page.get_by_role("slider", name=re.compile(r"· Cost over 10 years \(now 20 %\)")).fill("80")
    reranked = result.get_by_role("table", name="Ranking with the moved weight")
    expect(result).to_contain_text("With Cost over 10 years at 80 %")
    expect(reranked.locator("tbody tr").nth(0)).to_contain_text(SECOND)
    expect(reranked.locator("tbody tr").nth(0)).to_contain_text("up 1 place")
    expect(reranked.locator("tbody tr").nth(1)).to_contain_text(FIRST)

    # 5. The decision: the first-ranked, with the reasons; the record repeats; the council's PDF.
    page.get_by_role("navigation", name="Evaluation steps").get_by_role("link", name="8. Decision").click()
    chosen = page.get_by_role("group", name="Chosen solution")
    expect(chosen.get_by_role("radio", name=re.compile(f"^{re.escape(FIRST)} first in the ranking"))).to_be_checked()
    chosen.get_by_role("radio", name=re.compile(f"^{re.escape(FIRST)}")).check()
    page.get_by_label("Reasons for the decision").fill(RATIONALE)
    page.get_by_role("button", name="Freeze the evaluation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("decision record")
    expect(page.locator("#chosen")).to_have_text(FIRST)
    expect(page.locator("body")).to_contain_text(RATIONALE)
    record = DecisionRecord.objects.get(evaluation=evaluation)
    assert record.chosen is not None and record.chosen.name == FIRST
    page.get_by_role("link", name="Compute it again and compare").click()
    expect(page.get_by_role("status").filter(has_text="Computed again")).to_contain_text(
        "the results are identical and the checksum matches")
    screenshot(page, "evaluation-record")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF for the council").click()
    download = download_info.value
    assert download.suggested_filename.startswith("decision-record-grand-place")
    pdf = Path(download.path()).read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    pages = [p.extract_text() for p in reader.pages]
    text = " ".join(" ".join(pages).split())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "evaluation-record.txt").write_text(text, encoding="utf-8")
    for expected in ("Grand-Place", BOLLARDS, RATIONALE):
        assert expected in text, expected
    assert all("DEMO - FICTIONAL DATA" in p for p in pages)
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=1.5).to_pil()
    image.save(SCREENSHOTS / "evaluation-record-page1.png")
    assert image.width > 800 and len(image.convert("L").getcolors(256) or []) > 10  # drawn, not blank
