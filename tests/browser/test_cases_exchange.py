"""In the browser: a security officer downloads a case bundle in one installation, an officer of another
organisation in another installation imports it; a changed copy of the file is refused. Screenshots of the
library and the case page land in STOA_SCREENSHOTS. Built on the case samples, not the demo city, to stay fast."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stoa.cases.models import CaseStudy
from tests import factories
from tests.browser.conftest import PageProblems, log_in, screenshot
from tests.case_samples import make_case, make_finished_plan

SENDER = "6b1f4b4e-0000-4000-8000-000000000001"
RECEIVER = "9d2c0a77-0000-4000-8000-000000000002"


@pytest.fixture
def cities(transactional_db: Any, settings: Any) -> dict[str, Any]:
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    sender, receiver = factories.make_org(name="Valmont-sur-Lys"), factories.make_org(name="Port-Aval")
    factories.make_user(sender, "security_officer", username="sender.officer")
    factories.make_user(receiver, "security_officer", username="receiver.officer")
    case = make_case(make_finished_plan(sender), title="Bollards on a market square", distribution="GREEN")
    return {"case": case, "receiver": receiver, "site": case.source_plan.site}


def test_a_case_travels_from_one_installation_to_another(page: Any, cities: dict[str, Any], settings: Any,
                                                         problems: PageProblems, tmp_path: Path) -> None:
    settings.STOA_INSTALLATION_ID = SENDER
    log_in(page, "sender.officer", factories.PASSWORD)
    page.goto("/cases/")
    page.get_by_role("heading", name="Case library").wait_for()
    screenshot(page, "cases-library")
    page.goto(f"/cases/benchmark/{cities['site'].pk}/")
    page.get_by_role("heading", name="Grand-Place against cases of its kind").wait_for()
    screenshot(page, "cases-benchmark")
    page.goto("/cases/")
    page.get_by_role("link", name="Bollards on a market square").click()
    page.get_by_role("heading", name="Risk profile", exact=True).wait_for()
    screenshot(page, "cases-detail")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the case bundle").click()
    assert download.value.suggested_filename == "case-bollards-on-a-market-square.stoa-case.json"
    bundle = tmp_path / download.value.suggested_filename
    download.value.save_as(bundle)
    changed = tmp_path / "changed.stoa-case.json"
    changed.write_bytes(bundle.read_bytes().replace(b'"capital_eur":50000', b'"capital_eur":5000', 1))

    settings.STOA_INSTALLATION_ID = RECEIVER
    page.context.clear_cookies()
    log_in(page, "receiver.officer", factories.PASSWORD)
    page.goto("/cases/import/")
    problems.allow("400")  # the refused upload answers 400
    page.get_by_label("Case bundle").set_input_files(str(changed))
    page.get_by_role("button", name="Import").click()
    page.get_by_text("The checksum does not match").wait_for()
    assert not CaseStudy.objects.filter(organisation=cities["receiver"]).exists()
    page.get_by_label("Case bundle").set_input_files(str(bundle))
    page.get_by_role("button", name="Import").click()
    page.get_by_text("It is read-only.").wait_for()
    imported = CaseStudy.objects.get(organisation=cities["receiver"])
    assert imported.imported_from_installation == SENDER and imported.title == "Bollards on a market square"
    assert page.get_by_role("button", name="Download the case bundle").count() == 0
    screenshot(page, "cases-imported")
