"""The assessment report: the screen page, the PDF (text read back with pypdf, first page drawn with
pypdfium2), the Excel export of the answers (opened with openpyxl), and a PDF renderer that never
reaches the network."""

from __future__ import annotations

import io
import socket

import pypdfium2
import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from stoa.assessments.models import Answer, ExistingMeasure, Scenario, SettledAnswer, TeamMember
from stoa.assessments.proposals import refresh_proposals
from stoa.assessments.report.pdf import BASE_URL, RefusedURL, StaticOnlyFetcher, html_to_pdf
from stoa.library.models import ReferenceObject
from tests import factories
from tests.assessment_samples import make_assessment

pytestmark = pytest.mark.django_db

MARKING = "CONFIDENTIAL CITY"
FORMULA = '=HYPERLINK("http://example.com","click")'


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def assessment(org, site):
    org.classification = MARKING
    org.save()
    factories.make_zone(site, name="Stalls")
    factories.make_access_point(site, name="Rue Nord")
    assessment = make_assessment(site)
    first, second = factories.make_user(org, first_name="Ana", last_name="Lopes"), factories.make_user(org)
    Answer.objects.create(assessment=assessment, question="T01", assessor=first, value="yes")
    Answer.objects.create(assessment=assessment, question="T01", assessor=second, value="no")
    Answer.objects.create(assessment=assessment, question="T03", assessor=first, value=["cctv", "guards"])
    Answer.objects.create(assessment=assessment, question="T04", assessor=second, value=FORMULA + "\x0b")
    SettledAnswer.objects.create(assessment=assessment, question="T01", value="no", note="Seen on site visit")
    refresh_proposals(assessment)
    TeamMember.objects.create(assessment=assessment, name="Ana Lopes", organisation_name="City police",
                              role="Lead assessor")
    ExistingMeasure.objects.create(assessment=assessment, description="Retractable bollards", threats=["VEHICLE"],
                                   geometry={"type": "Point", "coordinates": [4.3505, 50.8501]})
    vehicle = assessment.scenarios.get(threat__ref_id="VEHICLE")
    vehicle.narrative = "A van drives into the crowd from the north street."
    vehicle.geometry = {"type": "Polygon", "coordinates": [[[4.3502, 50.8502], [4.3510, 50.8502],
                                                            [4.3510, 50.8508], [4.3502, 50.8502]]]}
    vehicle.likelihood, vehicle.consequence = 5, 5
    vehicle.override_justification = "The market draws twice the crowd the answers suggest."
    vehicle.save()
    Scenario.objects.filter(assessment=assessment, threat__ref_id="RADIOLOGICAL").update(
        not_applicable=True, not_applicable_reason="No source nearby.")
    return assessment


def threat_names() -> list[str]:
    return [t.label() for t in ReferenceObject.objects.filter(kind="threat_type")]


def get(client, user, name, assessment):
    client.force_login(user)
    return client.get(reverse(f"assessments:{name}", args=[assessment.pk]))


def test_the_pdf_holds_the_site_the_threats_and_the_marking_on_every_page(client, viewer, assessment):
    response = get(client, viewer, "report-pdf", assessment)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 2  # the marking must be repeated, not only printed once
    for number, text in enumerate(pages, start=1):
        assert text.count(MARKING) >= 2, f"page {number} lacks the top and bottom classification"
    text = " ".join(" ".join(pages).split())  # table cells wrap names over several lines
    assert "Market Square" in text
    for name in threat_names():
        assert name in text
    assert "twice the crowd" in text and "Retractable bollards" in text and "Ana Lopes" in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged, for screen readers


def test_the_first_page_of_the_pdf_renders_to_an_image(client, viewer, assessment):
    pdf = pypdfium2.PdfDocument(get(client, viewer, "report-pdf", assessment).content)
    image = pdf[0].render(scale=1).to_pil()
    png = io.BytesIO()
    image.save(png, format="PNG")
    assert png.getvalue().startswith(b"\x89PNG") and image.width > 500 and image.height > 800
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 20  # text, marking and map drawn, not a blank page
    pdf.close()


def test_the_pdf_is_a_private_download_carrying_the_marking(client, viewer, assessment):
    response = get(client, viewer, "report-pdf", assessment)
    name = f"assessment-market-square-{assessment.date:%Y%m%d}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["Cache-Control"] == "private, no-store" and response["X-Classification"] == MARKING


def test_the_screen_report_shows_every_part(client, viewer, assessment):
    response = get(client, viewer, "report", assessment)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(f"</span>{MARKING}</p>") == 2  # top and bottom of the page
    assert '<svg xmlns="http://www.w3.org/2000/svg" id="report-map"' in html and 'role="img"' in html
    assert ">M1<" in html and ">S3<" in html  # the measure and the vehicle scenario are on the map
    for name in threat_names():
        assert name in html
    for expected in ("A van drives into the crowd", "twice the crowd", "No source nearby.", "Retractable bollards",
                     "Ana Lopes", "City police", "Rue Nord", "Stalls",
                     reverse("assessments:report-pdf", args=[assessment.pk]),
                     reverse("assessments:answers-xlsx", args=[assessment.pk])):
        assert expected in html, expected
    context = response.context
    vehicle = next(s for s in context["scenarios"] if s.threat.ref_id == "VEHICLE")
    # T01 settled "no" (likelihood +1 for vehicles): the rationale names it.
    assert [(c["question"], c["answer"]) for c in vehicle.contributions] == [("Question T01", "no")]
    assert vehicle.overridden and context["ranked"][0]["scenario"] == vehicle
    assert {f["id"] for f in context["findings"]}  # the checks ran (e.g. unrated threat types)
    assert 'class="radar-chart"' in html
    exposure = {row["threat"]: (row["value"], row["state"]) for row in context["exposure_rows"]}
    assert exposure[vehicle.threat.label()] == (4, "Very high") and context["exposure_max"] == 4
    assert exposure["Radiological attack"] == (0, "not applicable")
    assert " style=" not in html and "<style" not in html  # the strict CSP holds: the map uses SVG attributes


def test_a_report_with_nothing_on_the_map_says_so(client, viewer, org):
    assessment = make_assessment(factories.make_site(org, name="Quiet Park", boundary=None))
    response = get(client, viewer, "report", assessment)
    assert response.status_code == 200 and response.context["map_svg"] == ""
    assert "Nothing of this assessment is placed on the map yet" in response.content.decode()


def test_a_partner_sees_the_owners_marking(client, assessment, site, other_org):
    other_org.classification = "PARTNER ONLY"
    other_org.save()
    factories.share(site, other_org, "read")
    reader = factories.make_user(other_org, "viewer")
    html = get(client, reader, "report", assessment).content.decode()
    assert MARKING in html and "PARTNER ONLY</p>" not in html
    assert get(client, reader, "report-pdf", assessment)["X-Classification"] == MARKING


def test_the_answers_workbook(client, viewer, assessment):
    response = get(client, viewer, "answers-xlsx", assessment)
    assert response.status_code == 200 and response["X-Classification"] == MARKING
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Answers", "Scenarios", "Existing measures"]
    for sheet in book.worksheets:
        assert sheet["A1"].value == MARKING
        assert sheet.oddHeader.center.text == MARKING and sheet.oddFooter.center.text == MARKING
    answers = book["Answers"]
    heading = [c.value for c in answers[4]]
    assert heading[:3] == ["Section", "Question id", "Question"]
    assert heading[-3:] == ["Settled answer", "Why this answer", "Answer used"]
    assert "Answer of Ana Lopes" in heading
    rows = {row[1]: row for row in answers.iter_rows(min_row=5, values_only=True)}
    assert set(rows) == {"T01", "T02", "T03", "T04"}  # the quick scan's questions
    t01 = rows["T01"]
    assert t01[2] == "Question T01" and sorted(t01[3:5]) == ["No", "Yes"]
    assert t01[-3:] == ("No", "Seen on site visit", "No")  # the settled answer is the one used
    assert rows["T03"][heading.index("Answer of Ana Lopes")] == "Cameras; Guards"
    formula_cell = next(c for c in answers["D"] + answers["E"] if c.value and str(c.value).startswith("="))
    assert formula_cell.value == FORMULA and formula_cell.data_type == "s"  # words, never a formula
    scenarios = list(book["Scenarios"].iter_rows(min_row=5, values_only=True))
    assert len(scenarios) == 10
    vehicle = next(r for r in scenarios if r[0] == "Vehicle as a weapon" or "ehicle" in r[0])
    assert vehicle[9:12] == (5, 5, "Very high") and "twice the crowd" in vehicle[12]
    measures = list(book["Existing measures"].iter_rows(min_row=5, values_only=True))
    assert measures[0][:2] == ("M1", "Retractable bollards") and '"Point"' in measures[0][6]


@pytest.mark.parametrize("url", [
    "https://example.com/evil.css", "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd",
    "data:text/css,body{}", "ftp://example.com/x", BASE_URL + "static/../../etc/passwd",
    BASE_URL + "static/stoa/no-such-file.css", BASE_URL + "media/private.png",
    "https://stoa.invalid.example.com/static/stoa/report-pdf.css"])
def test_the_pdf_fetcher_refuses_everything_but_our_static_files(url):
    with pytest.raises(RefusedURL):
        StaticOnlyFetcher().fetch(url)


def test_the_pdf_fetcher_serves_our_static_files():
    response = StaticOnlyFetcher().fetch(BASE_URL + "static/stoa/report-pdf.css")
    assert b"@page" in response.read() and response.headers.get_content_type() == "text/css"


def test_rendering_a_hostile_page_opens_no_connection(monkeypatch, settings):
    attempts = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: attempts.append(a) or [])
    html = ('<link rel="stylesheet" href="https://example.com/x.css"><img src="http://example.com/a.png">'
            '<img src="file:///etc/hostname"><p style="background: url(https://example.com/b.png)">Hello</p>'
            f'<link rel="stylesheet" href="{settings.STATIC_URL}stoa/report-pdf.css">')
    pdf = html_to_pdf(html)
    assert pdf.startswith(b"%PDF") and attempts == []
    assert "Hello" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
