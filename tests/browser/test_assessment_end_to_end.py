"""Browser, end to end: a new security officer assesses a demo PSOI in full depth with a colleague,
settles the answer they disagree on, overrides one proposal with a justification, submits; an
administrator signs off; the PDF report carries the result, and its first page is rendered to PNG."""

from __future__ import annotations

import io
import re
from typing import Any

import pypdfium2
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from pypdf import PdfReader

from stoa.accounts.models import Membership, Organisation
from stoa.assessments.models import Answer, Assessment, SettledAnswer, Status
from stoa.sites.models import Site
from tests.browser.conftest import PASSWORD, SCREENSHOTS, PageProblems, log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def newcomer(demo: Any) -> Any:
    """Someone who joined the city's security team today: no assessment of their own yet."""
    user = get_user_model().objects.create_user(username="nina.new", password=PASSWORD, first_name="Nina",
                                                last_name="Nouveau")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug="valmont-sur-lys"),
                              role="security_officer")
    return user


def answer(page: Any, question: str, choice: str) -> None:
    page.locator(f"#q-{question}-{choice}").check()
    expect(page.locator(f"#q-{question}")).to_contain_text("Saved.")


def test_a_new_officer_completes_an_assessment_that_is_signed_off_and_reported(
        page: Any, browser: Any, newcomer: Any, problems: PageProblems, base_url: str) -> None:
    site = Site.objects.get(name="Parc des Berges")
    log_in(page, "nina.new")

    # Create a full assessment of the park.
    page.goto(f"/assessments/site/{site.pk}/new/")
    page.get_by_label("depth").select_option("full")
    page.get_by_role("button", name="Create the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Parc des Berges")
    assessment = Assessment.objects.get(site=site)
    assert assessment.depth == "full" and assessment.lead == newcomer

    # Step 1: the profile. A dependent question appears once its parent is answered.
    page.goto(f"/assessments/{assessment.pk}/questions/PROFILE/")
    expect(page.locator("#q-P06")).to_be_hidden()
    answer(page, "P05", "yes")
    expect(page.locator("#q-P06")).to_be_visible()
    answer(page, "P03", "busy")
    answer(page, "P09", "local")

    # A colleague answers the crowd question on her own tablet, differently.
    colleague = browser.new_context(base_url=base_url, viewport={"width": 820, "height": 1180})
    tablet = colleague.new_page()
    problems.watch(tablet)
    log_in(tablet, "valmont.assessor")
    tablet.goto(f"/assessments/{assessment.pk}/questions/PROFILE/")
    answer(tablet, "P03", "packed")
    colleague.close()
    assert set(Answer.objects.filter(assessment=assessment, question="P03").values_list("value", flat=True)) == {
        "busy", "packed"}

    # The lead compares and settles.
    page.goto(f"/assessments/{assessment.pk}/merge/")
    disagreement = page.locator("#m-P03")
    expect(disagreement).to_contain_text("P03")
    disagreement.locator("#m-P03-packed").check()
    disagreement.get_by_label("Why this answer (optional)").fill("Packed on concert evenings at the bandstand.")
    disagreement.get_by_role("button", name="Settle this answer").click()
    expect(page.locator("body")).to_contain_text("Packed on concert evenings")
    assert SettledAnswer.objects.get(assessment=assessment, question="P03").value == "packed"

    # Step 3: chemical attack does not apply here, with the reason.
    chemical = assessment.scenarios.get(threat__ref_id="CHEMICAL")
    page.goto(f"/assessments/{assessment.pk}/scenarios/")
    card = page.locator(f"#s-{chemical.pk}")
    card.get_by_label("not applicable to this site").check()
    card.get_by_label("why it does not apply").fill("Open parkland: no enclosed space where people gather.")
    card.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.locator(f"#s-{chemical.pk}")).to_contain_text("Saved.")

    # Step 4: override the vehicle proposal; first without a reason (refused), then with one.
    vehicle = assessment.scenarios.get(threat__ref_id="VEHICLE")
    vehicle.refresh_from_db()
    chosen = 1 if vehicle.proposed_likelihood != 1 else 2
    page.goto(f"/assessments/{assessment.pk}/ratings/")
    card = page.locator(f"#s-{vehicle.pk}")
    card.get_by_label("likelihood", exact=True).select_option(str(chosen))
    card.get_by_label("consequence", exact=True).select_option(str(vehicle.proposed_consequence))
    card.get_by_role("button", name=re.compile("^Save this rating")).click()
    expect(page.locator(f"#s-{vehicle.pk}")).to_contain_text("say why.")
    vehicle.refresh_from_db()
    assert not vehicle.rated
    card = page.locator(f"#s-{vehicle.pk}")
    card.get_by_label("why the rating differs from the proposal").fill(
        "The park gates are closed to vehicles every night and the only road entrance has a height barrier.")
    card.get_by_role("button", name=re.compile("^Save this rating")).click()
    expect(page.locator(f"#s-{vehicle.pk}")).to_contain_text("Saved.")
    page.get_by_role("button", name="Use Stoa’s proposal for every threat type not yet rated").click()
    expect(page.locator("body")).to_contain_text("Rated at Stoa's proposal")
    vehicle.refresh_from_db()
    assert vehicle.overridden and vehicle.likelihood == chosen

    # Results, then submit for sign-off.
    page.goto(f"/assessments/{assessment.pk}/results/")
    expect(page.locator("body")).to_contain_text("Vehicle")
    screenshot(page, "e2e-results")
    page.goto(f"/assessments/{assessment.pk}/")
    page.get_by_role("button", name="Submit for sign-off").click()
    expect(page.locator("#workflow")).to_contain_text("Submitted")

    # An administrator (four eyes) signs off; the assessment is then frozen.
    approver = browser.new_context(base_url=base_url)
    desk = approver.new_page()
    problems.watch(desk)
    log_in(desk, "valmont.admin")
    desk.goto(f"/assessments/{assessment.pk}/")
    desk.get_by_role("button", name="Sign off").click()
    expect(desk.locator("#workflow")).to_contain_text("Signed off")
    approver.close()
    assessment.refresh_from_db()
    assert assessment.status == Status.SIGNED_OFF and assessment.signed_off_by.username == "valmont.admin"

    # The report: on screen with its marking, and the PDF.
    page.goto(f"/assessments/{assessment.pk}/report/")
    expect(page.locator("body")).to_contain_text("DEMO - FICTIONAL DATA")
    response = page.request.get(f"/assessments/{assessment.pk}/report.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    (SCREENSHOTS / "e2e-report.txt").write_text(text, encoding="utf-8")
    for expected in ("Parc des Berges", "Vehicle", "Signed off", "Nina", "The park gates are closed",
                     "Open parkland"):
        assert expected in text, expected
    assert all("DEMO - FICTIONAL DATA" in p.extract_text() for p in reader.pages)
    document = pypdfium2.PdfDocument(pdf)
    image = document[0].render(scale=1.5).to_pil()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    image.save(SCREENSHOTS / "e2e-report-page1.png")
    (SCREENSHOTS / "e2e-report.txt").write_text(text, encoding="utf-8")
    assert image.width > 800 and len(set(image.convert("L").getdata())) > 10  # drawn, not blank
