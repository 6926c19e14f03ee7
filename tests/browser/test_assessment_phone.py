"""Browser, phone size (390×844): the question pages, the ratings page and the field use page fit the
screen (no sideways scrolling of the page) and their controls are large enough to tap.

Tap targets: WCAG 2.2 (2.5.8) asks for at least 24×24 CSS pixels; we check every visible control
(inputs with their labels, buttons, links in the step navigation) against that, and that answering
by tapping a choice's label still saves the answer.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from stoa.assessments.models import Answer, Assessment
from stoa.assessments.services import create_assessment
from stoa.sites.models import Site
from tests.browser.conftest import PageProblems, log_in, screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
MIN_TAP = 24

# The page's width against the screen's, and every control smaller than MIN_TAP (a radio or
# checkbox counts together with its label, which taps it too).
MEASURE = """(minTap) => {
  const small = [];
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'
      && !el.closest('.visually-hidden, [hidden]');
  };
  const box = (el) => { const r = el.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom}; };
  const union = (a, b) => ({l: Math.min(a.l, b.l), t: Math.min(a.t, b.t),
                            r: Math.max(a.r, b.r), b: Math.max(a.b, b.b)});
  const controls = 'main input, main select, main textarea, main button, main nav a, main .btn';
  for (const el of document.querySelectorAll(controls)) {
    if (!visible(el) || el.type === 'hidden') continue;
    let area = box(el);
    if (el.type === 'radio' || el.type === 'checkbox') {
      const label = el.id && document.querySelector(`label[for="${el.id}"]`);
      if (label) area = union(area, box(label));
    }
    const w = area.r - area.l, h = area.b - area.t;
    const name = el.id || el.name || el.textContent.trim().slice(0, 30);
    if (w < minTap || h < minTap) small.push(`${el.tagName.toLowerCase()} ${name} ${Math.round(w)}x${Math.round(h)}`);
  }
  return {page: document.documentElement.scrollWidth, screen: window.innerWidth, small};
}"""


def check_fits(page: Any, name: str) -> None:
    found = page.evaluate(MEASURE, MIN_TAP)
    screenshot(page, f"phone-{name}")
    assert found["page"] <= found["screen"], f"{name}: {found['page']}px wide on a {found['screen']}px screen"
    assert found["small"] == [], f"{name}: controls too small to tap: {found['small']}"


@pytest.fixture
def phone_assessment(page: Any, demo: Any, problems: PageProblems) -> tuple[Any, Assessment]:
    page.set_default_timeout(60_000)  # a loaded test machine is slow; a real failure still fails
    page.set_viewport_size(PHONE)
    log_in(page, "valmont.officer")
    site = Site.objects.filter(organisation__slug="valmont-sur-lys").order_by("name").first()
    user = get_user_model().objects.get(username="valmont.officer")
    return page, create_assessment(site, user=user, depth="full")


def test_question_pages_fit_a_phone_and_answer_by_tapping(phone_assessment: tuple[Any, Assessment]) -> None:
    page, assessment = phone_assessment
    sections = ["PROFILE", "MEASURES", "ORGANISATION", "SCENARIO"]
    for section in sections:
        page.goto(f"/assessments/{assessment.pk}/questions/{section}/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_fits(page, f"questions-{section.lower()}")
    page.goto(f"/assessments/{assessment.pk}/questions/PROFILE/")
    question = page.locator("#q-P05")
    question.get_by_text("Yes", exact=True).click()  # the label: the part a thumb hits
    expect(page.locator("#q-P05")).to_contain_text("Saved.")
    assert Answer.objects.get(assessment=assessment, question="P05").value == "yes"


def test_ratings_and_field_pages_fit_a_phone(phone_assessment: tuple[Any, Assessment]) -> None:
    page, assessment = phone_assessment
    Answer.objects.create(assessment=assessment, question="P05", value="yes",
                          assessor=get_user_model().objects.get(username="valmont.officer"))
    from stoa.assessments.proposals import refresh_proposals

    refresh_proposals(assessment)  # so the rating cards show their tables of contributions
    page.goto(f"/assessments/{assessment.pk}/ratings/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("likelihood and consequence")
    check_fits(page, "ratings")
    page.goto(f"/assessments/{assessment.pk}/field/")
    expect(page.get_by_role("link", name="Download the XLSForm (.xlsx)")).to_be_visible()
    check_fits(page, "field")
