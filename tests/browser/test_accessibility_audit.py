"""Browser: axe-core on the main pages of every step not audited elsewhere, a keyboard-only walk
of the assessment form, and risk levels that are never carried by colour alone.

The inventory, assessment, catalogue, plan, optimiser and vehicle pages are audited by their own
walks (test_access, test_catalogue_walk, test_plans_pages, test_optimiser_and_council_pdf,
test_vehicle_page); this file covers evaluation, RFI, reports, cases, audit, members, account security and
the remaining plan pages, with one object of each made for the demo city.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from stoa.accounts.models import Organisation
from tests.browser.conftest import PageProblems, log_in
from tests.browser.test_access import axe_violations, focused

pytestmark = pytest.mark.browser


def audit(page: Any, pages: list[tuple[str, str]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, path in pages:
        response = page.goto(path)
        status = response.status if response is not None else None
        assert status == 200, f"{name} ({path}) answered {status}"
        page.wait_for_load_state("networkidle")
        found[name] = axe_violations(page)
    return {name: lines for name, lines in found.items() if lines}


def report(failing: dict[str, list[str]]) -> str:
    return "axe-core found serious or critical problems:\n" + "\n".join(
        f"{name}: {line}" for name, lines in failing.items() for line in lines)


def test_every_other_main_page_passes_axe(page: Any, demo: Any, problems: PageProblems) -> None:
    from stoa.assessments.models import Assessment
    from tests.case_samples import make_case, make_finished_plan
    from tests.evaluation_samples import make_evaluation, make_rfi

    city = Organisation.objects.get(slug="valmont-sur-lys")
    signed = Assessment.objects.filter(site__name="Grand-Place").order_by("date").last()
    evaluation = make_evaluation(signed)
    rfi = make_rfi(signed, evaluation=evaluation)
    plan = make_finished_plan(city, site_name="Parc des Tilleuls")
    case = make_case(plan)

    log_in(page, "valmont.officer")
    failing = audit(page, [
        ("evaluations", "/evaluation/"), ("new evaluation", "/evaluation/new/"),
        ("criteria sets", "/evaluation/criteria-sets/"),
        ("evaluation results", f"/evaluation/{evaluation.pk}/"),
        ("evaluation criteria", f"/evaluation/{evaluation.pk}/criteria/"),
        ("evaluation weights", f"/evaluation/{evaluation.pk}/weights/"),
        ("evaluation alternatives", f"/evaluation/{evaluation.pk}/alternatives/"),
        ("evaluation panel", f"/evaluation/{evaluation.pk}/panel/"),
        ("evaluation scores", f"/evaluation/{evaluation.pk}/scores/"),
        ("sensitivity", f"/evaluation/{evaluation.pk}/sensitivity/"),
        ("RFIs", "/rfi/"), ("new RFI", "/rfi/new/"), ("RFI", f"/rfi/{rfi.pk}/"),
        ("plans", "/plans/"), ("new plan", "/plans/new/"), ("plan", f"/plans/{plan.pk}/"),
        ("road map", "/plans/roadmap/"), ("optimiser", "/plans/optimise/"),
        ("reports", "/reports/"),
        ("case library", "/cases/"), ("case", f"/cases/{case.pk}/"), ("case import", "/cases/import/"),
        ("account security", "/accounts/security/"), ("two-factor set-up", "/accounts/security/two-factor/"),
        ("API tokens", "/accounts/tokens/"),
    ])
    assert not failing, report(failing)

    page.context.clear_cookies()
    log_in(page, "valmont.admin")
    failing = audit(page, [("members", "/accounts/members/"), ("audit trail", "/audit/"),
                           ("redaction settings", "/reports/settings/")])
    assert not failing, report(failing)

    page.context.clear_cookies()
    failing = audit(page, [("password reset", "/accounts/password-reset/")])
    assert not failing, report(failing)


def test_the_assessment_form_is_answered_by_keyboard_alone(page: Any, demo: Any, problems: PageProblems) -> None:
    from stoa.assessments.models import Answer, Assessment

    draft = Assessment.objects.get(site__name="Quai des Tanneurs", status="draft")
    log_in(page, "valmont.assessor")
    page.goto(f"/assessments/{draft.pk}/questions/PROFILE/")
    page.wait_for_load_state("networkidle")
    radio = page.locator("#main input[type=radio]").first
    question_box = radio.locator("xpath=ancestor::div[starts-with(@id, 'q-')][1]")
    box_id = question_box.get_attribute("id")
    assert box_id
    ref_id = box_id.removeprefix("q-")
    before = set(Answer.objects.filter(assessment=draft, question=ref_id).values_list("value", flat=True))

    page.locator("body").focus()
    seen = []
    for _ in range(120):  # from the top of the page, Tab until a choice of the first question has the focus
        page.keyboard.press("Tab")
        state = focused(page)
        seen.append(state["id"] or state["text"][:20])
        if state["id"].startswith(f"q-{ref_id}-"):
            break
    else:
        pytest.fail(f"no choice of question {ref_id} was reached with Tab; focus went through {seen}")
    assert state["visible"] and state["ring"], state  # the focus can be seen
    start = state["id"]
    page.keyboard.press("ArrowRight")  # move to the next choice: this answers the question
    expect(page.locator(f"#q-{ref_id} [role=status]")).not_to_be_empty()
    after = focused(page)
    assert after["id"].startswith(f"q-{ref_id}-") and after["id"] != start, (
        f"the focus should stay on the chosen answer after saving, not move to {after}")
    values = set(Answer.objects.filter(assessment=draft, question=ref_id).values_list("value", flat=True))
    assert values and values != before, "the keyboard answer was not saved"

    page.keyboard.press("Tab")  # and the walk goes on to the next question, not back to the top
    assert not focused(page)["id"].startswith(f"q-{ref_id}-") or focused(page)["id"] != after["id"]
    assert focused(page)["tag"] in {"INPUT", "TEXTAREA", "SELECT", "BUTTON", "A"}


def test_risk_levels_are_written_in_every_heat_map_cell(page: Any, demo: Any, problems: PageProblems) -> None:
    from stoa.assessments.models import Assessment

    signed = Assessment.objects.filter(site__name="Grand-Place").order_by("date").last()
    log_in(page, "valmont.officer")
    for path in (f"/assessments/{signed.pk}/results/", "/assessments/city/"):
        page.goto(path)
        cells = page.locator("table.heat-map td[class*='risk-']")
        assert cells.count() >= 9, path
        texts = cells.evaluate_all("tds => tds.map(td => td.innerText.trim())")
        assert all(texts), f"{path}: a coloured cell without text: {texts}"
