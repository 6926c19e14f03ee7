"""Browser: with more assessments than one select should hold, the RFI and evaluation lists ask for
the public space's name first; the whole choice works from the keyboard and passes axe-core."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from stoa.assessments import picker
from stoa.assessments.models import Assessment
from tests.browser.conftest import PageProblems, log_in
from tests.browser.test_access import axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("path", "label", "button", "heading"), [
    ("/rfi/", "Draft a request from the assessment", "Draft a request", "New request for information"),
    ("/evaluation/", "Start an evaluation for the assessment of", "Start", None),
])
def test_an_assessment_is_found_by_its_public_space_from_the_keyboard(
        page: Any, demo: Any, problems: PageProblems, monkeypatch: Any, path: str, label: str, button: str,
        heading: str | None) -> None:
    monkeypatch.setattr(picker, "LIMIT", 1)  # the demo city has only a few assessments
    assessment = Assessment.objects.filter(site__name="Grand-Place").order_by("-date").first()
    assert assessment is not None
    log_in(page, "valmont.officer")
    page.goto(path)
    expect(page.get_by_role("combobox", name=label)).to_have_count(0)  # no select of every assessment
    search = page.get_by_role("search", name=label).get_by_label("Public space")
    expect(search).to_have_accessible_description(re.compile("list its assessments"))
    search.focus()
    page.keyboard.type("grand")
    page.keyboard.press("Enter")
    choice = page.get_by_role("combobox", name=label)
    expect(choice).to_be_focused()
    expect(choice.locator("option").first).to_have_attribute("value", str(assessment.pk))
    assert axe_violations(page) == []
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name=button, exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"assessment={assessment.pk}"))
    if heading:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
