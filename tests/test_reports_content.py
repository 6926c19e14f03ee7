"""What the reports hold: the council PDF (text read back with pypdf, first page drawn with
pypdfium2), its redacted variant, the action plan PDF and the register workbook.

PDF rendering is slow, so one module fixture builds each report once, through the job runner, in a
transaction rolled back at the end; the tests only read the files."""

from __future__ import annotations

import io
from typing import Any

import pypdfium2
import pytest
from django.db import transaction
from django.test import override_settings
from openpyxl import load_workbook
from pypdf import PdfReader

from stoa.reports.models import RedactionPolicy, Sensitive
from stoa.reports.services import request_report
from tests import factories
from tests.report_samples import MARKING, NARRATIVE, PLACE, make_city

# The module fixture below writes through its own rolled-back transaction; the mark makes pytest-django
# create the test database (it only does for a session with database tests).
pytestmark = pytest.mark.django_db


def _job(user: Any, org: Any, **kw: Any) -> dict[str, Any]:
    job = request_report(user, org, **kw)
    assert job.status == "done", job.error
    content = job.file.read()
    job.file.close()
    return {"job": job, "content": content}


@pytest.fixture(scope="module")
def made(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> dict[str, Any]:
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, STOA_REPORTS_INLINE=True), \
            transaction.atomic():
        org = factories.make_org(name="Report City", slug="report-city")
        city = make_city(org)
        viewer = factories.make_user(org, "viewer", username="report-viewer")
        RedactionPolicy.objects.create(organisation=org, sensitive=[
            Sensitive.SITE_NAMES, Sensitive.LOCATIONS, Sensitive.NARRATIVES, Sensitive.PEOPLE])
        out = {
            "city": _job(viewer, org, kind="city_overview"),
            "redacted": _job(viewer, org, kind="city_overview", redacted=True),
            "plan": _job(viewer, org, kind="action_plan", plan=city["plan"]),
            "register": _job(viewer, org, kind="register"),
            "register_redacted": _job(viewer, org, kind="register", redacted=True),
        }
        transaction.set_rollback(True)
    for key in ("city", "redacted", "plan"):
        reader = PdfReader(io.BytesIO(out[key]["content"]))
        out[key]["pages"] = [page.extract_text() for page in reader.pages]
        out[key]["text"] = "\n".join(out[key]["pages"])
    return out


def test_the_council_pdf_carries_the_classification_at_the_top_and_bottom_of_every_page(made):
    pages = made["city"]["pages"]
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert text.count(MARKING) >= 2, f"page {number} lacks the classification"
        assert "REDACTED" not in text


def test_the_council_pdf_names_the_public_spaces_and_the_top_vulnerabilities(made):
    text = made["city"]["text"]
    for name in (PLACE, "Gare Centrale Test", "Quai Nocturne Test"):
        assert name in text
    assert "Top 10 vulnerabilities" in text and "City heat map" in text
    top = text[text.index("Top 10 vulnerabilities"):text.index("The plan")]
    assert top.index("Vehicle") < top.index("Firearms")  # 5 × 5 ranks above 2 × 4
    assert "A van drives into the Saturday crowd" in " ".join(top.split())


def test_the_council_pdf_shows_the_plan_the_budget_and_the_residual_risk(made):
    text = made["city"]["text"]
    flat = " ".join(text.split())
    assert "Retractable bollards on Rue du Nord" in flat and "Marie Dupont" in flat and "40 %" in flat
    assert "123,400" in text and "133,200 €" in text and "7,700 €" in text  # capital 2027, totals
    assert "City total" in text
    residual = flat[flat.index("Residual risk"):]
    assert "53 %" in residual  # the bollards take the vehicle scenario from 25 down


def test_the_redacted_council_pdf_leaves_out_names_and_narratives_and_says_so_on_every_page(made):
    pages, text = made["redacted"]["pages"], made["redacted"]["text"]
    for number, page in enumerate(pages, start=1):
        assert page.count("REDACTED") >= 2, f"page {number} lacks the REDACTED marking"
        assert page.count(MARKING) >= 2
    assert PLACE not in text and "Gare Centrale Test" not in text
    assert "A van drives" not in text and "Marie Dupont" not in text
    assert "P2 (Square)" in text and "[redacted: scenario narrative]" in text
    assert "[redacted: the map of the public spaces]" in text
    assert "123,400" in text  # numbers stay


def test_the_first_page_of_the_council_pdf_draws_to_an_image(made):
    document = pypdfium2.PdfDocument(made["city"]["content"])
    image = document[0].render(scale=1).to_pil()
    assert image.width > 500 and image.height > 800
    darkest, lightest = image.convert("L").getextrema()
    assert lightest - darkest > 150  # ink on paper, not a blank page


def test_the_action_plan_pdf_holds_its_measures_timeline_costs_and_residual_risk(made):
    pages, text = made["plan"]["pages"], " ".join(made["plan"]["text"].split())
    assert all(page.count(MARKING) >= 2 for page in pages)
    for expected in ("Grand-Place Test security plan", "Stewards training", "Timeline", "2027", "2028",
                     "123,400", "Risk score now 33, after the plan 16"):
        assert expected in text


def test_the_register_has_a_sheet_per_record_with_the_marking_in_each_header(made):
    book = load_workbook(io.BytesIO(made["register"]["content"]))
    assert book.sheetnames == ["Public spaces", "Assessments", "Scenario ratings", "Existing measures",
                               "Action plans", "Planned measures"]
    for sheet in book.worksheets:
        assert sheet["A1"].value == MARKING and sheet.oddHeader.center.text == MARKING
    names = [row[1] for row in book["Public spaces"].iter_rows(min_row=5, values_only=True)]
    assert PLACE in names
    planned = [row[2] for row in book["Planned measures"].iter_rows(min_row=5, values_only=True)]
    assert "Stewards training" in planned


def test_the_redacted_register_leaves_out_names_narratives_and_locations(made):
    book = load_workbook(io.BytesIO(made["register_redacted"]["content"]))
    values = [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v]
    joined = "\n".join(values)
    assert PLACE not in joined and NARRATIVE not in joined and "Marie Dupont" not in joined
    assert "coordinates" not in joined
    assert book["Public spaces"]["A1"].value == f"{MARKING} — REDACTED"
