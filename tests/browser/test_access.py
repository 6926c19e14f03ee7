"""Browser: the French switch, keyboard use, and an axe-core accessibility smoke check of the main pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import expect

from stoa.sites.models import Site
from tests.browser.conftest import AXE, PageProblems, log_in, screenshot

pytestmark = pytest.mark.browser


def french(text: str) -> str:
    with translation.override("fr"):
        return translation.gettext(text)


def test_switch_to_french(officer_page: Any) -> None:
    page = officer_page
    page.goto("/sites/")
    strings = ["Public spaces of interest", "Import or export", "Log out", "Colour the map by"]
    translated = {text: french(text) for text in strings}
    untranslated = [text for text, fr in translated.items() if fr == text]
    assert untranslated == [], f"no French translation for {untranslated} (compile the catalogues: make messages)"

    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated["Public spaces of interest"])
    expect(page.get_by_role("link", name=translated["Import or export"])).to_be_visible()
    expect(page.get_by_role("button", name=translated["Log out"])).to_be_visible()
    expect(page.locator("#colour-mode legend")).to_have_text(translated["Colour the map by"])
    screenshot(page, "sites-map-french")
    page.goto("/")  # the choice sticks for the next pages
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def focused(page: Any) -> dict[str, Any]:
    return page.evaluate("""() => {
        const el = document.activeElement, style = getComputedStyle(el), box = el.getBoundingClientRect();
        return {text: (el.innerText || el.value || "").trim(), tag: el.tagName, id: el.id,
                visible: box.width > 1 && box.height > 1,
                ring: style.outlineStyle !== "none" || style.boxShadow !== "none"};
    }""")


def test_keyboard_reaches_the_skip_link_and_the_navigation(officer_page: Any) -> None:
    page = officer_page
    page.goto("/sites/")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["text"] == "Skip to main content" and first["visible"] and first["ring"], first
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"

    page.goto("/")
    seen = []
    for _ in range(8):
        page.keyboard.press("Tab")
        state = focused(page)
        seen.append(state["text"])
        if state["text"] == "1. Public spaces":
            assert state["visible"] and state["ring"], state
            break
    else:
        pytest.fail(f"the main navigation was not reached with Tab; focus went through {seen}")
    screenshot(page, "keyboard-focus")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/sites/$"))  # followed by keyboard alone


def axe_violations(page: Any) -> list[str]:
    """Serious and critical axe-core findings on the current page, one line each."""
    page.evaluate(AXE.read_text(encoding="utf-8"))  # run through DevTools, so the page's CSP does not apply
    results = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ["violations"]});
        return r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => `${v.id} (${v.impact}): ${v.help} -> ` +
                      v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
    }""")
    return list(results)


def test_main_pages_have_no_serious_accessibility_problems(page: Any, demo: Any, problems: PageProblems) -> None:
    assert AXE.exists(), f"{AXE} is missing: run npm ci (make test does)"
    found: dict[str, list[str]] = {}
    page.goto("/accounts/login/")
    found["login"] = axe_violations(page)
    log_in(page, "valmont.officer")
    grand_place = Site.objects.get(name="Grand-Place")
    for name, path in [("home", "/"), ("sites", "/sites/"), ("site detail", f"/sites/{grand_place.pk}/"),
                       ("new site", "/sites/new/"), ("import", "/sites/import/"), ("libraries", "/library/")]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        found[name] = axe_violations(page)
        screenshot(page, f"axe-{name.replace(' ', '-')}")
    failing = {name: v for name, v in found.items() if v}
    assert not failing, "axe-core found serious or critical problems:\n" + "\n".join(
        f"{name}: {line}" for name, lines in failing.items() for line in lines)


def test_assessment_pages_have_no_serious_accessibility_problems(page: Any, demo: Any,
                                                                  problems: PageProblems) -> None:
    from stoa.assessments.models import Assessment

    log_in(page, "valmont.officer")
    draft = Assessment.objects.get(site__name="Quai des Tanneurs")
    signed = Assessment.objects.filter(site__name="Grand-Place").order_by("date").first()
    assert draft is not None and signed is not None
    pages = [("assessments", "/assessments/"), ("city heat map", "/assessments/city/")]
    pages += [(f"draft {step}", f"/assessments/{draft.pk}/{step}") for step in (
        "", "questions/PROFILE/", "merge/", "measures/", "scenarios/", "ratings/", "objectives/", "field/")]
    pages += [(f"signed {step}", f"/assessments/{signed.pk}/{step}") for step in ("", "results/", "report/")]
    found: dict[str, list[str]] = {}
    for name, path in pages:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        found[name] = axe_violations(page)
    failing = {name: v for name, v in found.items() if v}
    assert not failing, "axe-core found serious or critical problems:\n" + "\n".join(
        f"{name}: {line}" for name, lines in failing.items() for line in lines)
