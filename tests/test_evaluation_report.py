"""An evaluation's documents: the decision record PDF (read back with pypdf) from the stored record, and the
matrix workbook (opened with openpyxl) for a frozen evaluation and for one in progress; need-to-know."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from stoa.evaluation.models import DecisionRecord, Score
from stoa.evaluation.record import freeze
from tests.assessment_samples import make_assessment
from tests.evaluation_samples import make_evaluation, score_panel

pytestmark = pytest.mark.django_db

MARKING = "RESTRICTED CITY"
TABLE = {
    "Ana": {"Bollards": {"EFFECT": 5, "CAPITAL": 90000, "PRIVACY": 5},
            "Planters": {"EFFECT": 3, "PRIVACY": 4},
            "Cameras": {"EFFECT": 2, "CAPITAL": 50000, "PRIVACY": 1}},
    "Ben": {"Bollards": {"EFFECT": 4, "CAPITAL": 100000, "PRIVACY": 4},
            "Planters": {"EFFECT": 3},
            "Cameras": {"EFFECT": 3, "CAPITAL": 40000, "PRIVACY": 2}},
}
RATIONALE = "Bollards stop a truck at every entrance & keep the market open."


@pytest.fixture
def evaluation(org: Any, site: Any) -> Any:
    org.classification = MARKING
    org.save()
    evaluation = make_evaluation(make_assessment(site))
    world = score_panel(evaluation, TABLE)
    Score.objects.filter(expert=world["experts"]["Ana"], alternative=world["alternatives"]["Bollards"],
                         criterion="EFFECT").update(justification='=HYPERLINK("x") crash-tested to PAS 68')
    evaluation.world = world
    return evaluation


def client_for(user: Any) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def frozen(evaluation: Any, user: Any) -> DecisionRecord:
    return freeze(evaluation, user, evaluation.world["alternatives"]["Bollards"], RATIONALE)


def test_the_record_pdf_is_marked_on_every_page_and_tells_the_decision(evaluation: Any, officer: Any,
                                                                      viewer: Any) -> None:
    record = frozen(evaluation, officer)
    response = client_for(viewer).get(reverse("evaluation:record-pdf", args=[evaluation.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Classification"] == MARKING and "private" in response["Cache-Control"]
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert text.count(MARKING) >= 2, f"page {number} lacks the top and bottom classification"
    text = " ".join(" ".join(pages).split())
    assert "Market Square" in text and "Chosen solution Bollards" in text
    assert RATIONALE in text and record.sha256 in text.replace(" ", "")
    for expected in ("Weighted sum", "TOPSIS", "PROMETHEE II", "Cameras is knocked out", "missing", "Tie rule",
                     "Break-even weight", "Rank acceptability", "Ana", "none"):
        assert expected in text, expected


def test_the_pdf_comes_from_the_stored_record_and_only_for_those_who_may_see(evaluation: Any, officer: Any,
                                                                            outsider: Any) -> None:
    url = reverse("evaluation:record-pdf", args=[evaluation.pk])
    assert client_for(officer).get(url).status_code == 404  # not frozen yet: no record
    record = frozen(evaluation, officer)
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).get(reverse("evaluation:matrix-xlsx", args=[evaluation.pk])).status_code == 404
    names = {a["id"]: a["name"] for a in record.inputs["alternatives"]}
    outputs = record.outputs
    outputs["ranking"] = list(reversed(outputs["ranking"]))  # what is stored is what is printed
    DecisionRecord.objects.filter(pk=record.pk).update(outputs=outputs)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(client_for(officer).get(url).content)
                                                                 ).pages).split())
    ranking = text.split("Ranking by Weighted sum")[1].split("Tie rule")[0]
    assert ranking.index(names[outputs["ranking"][0]]) < ranking.index(names[outputs["ranking"][-1]])


def test_the_workbook_of_an_evaluation_in_progress_has_the_scores_the_matrix_weights_and_results(
        evaluation: Any, viewer: Any) -> None:
    response = client_for(viewer).get(reverse("evaluation:matrix-xlsx", args=[evaluation.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Scores RFI", "Aggregated matrix", "Weights", "Results"]
    for sheet in book.worksheets:
        assert sheet["A1"].value == MARKING and MARKING in sheet.oddHeader.center.text
        assert "in progress" in sheet["A2"].value
    scores = list(book.worksheets[0].iter_rows(min_row=5, values_only=True))
    assert len(scores) == 15  # every score typed, one row each
    ana = next(r for r in scores if r[:2] == ("Ana", "Bollards") and r[3] == "EFFECT")
    assert ana[5] == 5 and ana[7] == '=HYPERLINK("x") crash-tested to PAS 68'
    assert book.worksheets[0].cell(row=5 + scores.index(ana), column=8).data_type == "s"  # text, not a formula
    matrix = {r[0]: r for r in book["Aggregated matrix"].iter_rows(min_row=6, max_row=8, values_only=True)}
    assert matrix["Bollards"][1:3] == (4.5, 95000) and matrix["Planters"][2] == "missing"
    assert "Privacy" in matrix["Cameras"][4]  # knocked out by
    weights = {r[1]: r[6] for r in book["Weights"].iter_rows(min_row=5, max_row=7, values_only=True)}
    assert weights == {"EFFECT": 0.5, "CAPITAL": 0.3, "PRIVACY": 0.2}
    results = list(book["Results"].iter_rows(min_row=5, max_row=7, values_only=True))
    assert results[0][0] in ("Bollards", "Planters") and results[0][2] == 1 and results[-1][0] == "Cameras"


def test_the_workbook_of_a_frozen_evaluation_reads_its_record(evaluation: Any, officer: Any) -> None:
    record = frozen(evaluation, officer)
    Score.objects.filter(criterion="CAPITAL").update(value=1)  # behind the record's back: not what was decided
    book = load_workbook(io.BytesIO(client_for(officer).get(
        reverse("evaluation:matrix-xlsx", args=[evaluation.pk])).content))
    assert "frozen record" in book["Results"]["A2"].value
    matrix = {r[0]: r for r in book["Aggregated matrix"].iter_rows(min_row=6, max_row=8, values_only=True)}
    assert matrix["Bollards"][2] == 95000
    tail = {r[0]: r[1] for r in book["Results"].iter_rows(min_row=9, values_only=True) if r[0]}
    assert tail["Chosen solution"] == "Bollards" and tail["SHA-256"] == record.sha256
    assert tail["Reasons for the decision"] == RATIONALE
