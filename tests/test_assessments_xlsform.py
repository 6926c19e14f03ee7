"""The XLSForm of an assessment: the three sheets, types, relevance, both languages, hidden ids."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from stoa.assessments.field.xlsform import ASSESSMENT_FIELD, SITE_FIELD, build_xlsform
from stoa.assessments.models import Depth
from stoa.assessments.services import create_assessment
from stoa.library.loader import load_shipped
from stoa.library.models import ReferenceObject
from tests.assessment_samples import make_assessment

pytestmark = pytest.mark.django_db


def sheets(data: bytes) -> dict[str, list[dict[str, Any]]]:
    book = load_workbook(io.BytesIO(data))
    out = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        out[sheet.title] = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    return out


def by_name(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in rows if row["name"]}


def test_a_quick_scan_form_has_the_quick_questions_typed_and_labelled(site):
    assessment = make_assessment(site)
    form = sheets(build_xlsform(assessment))
    assert set(form) == {"survey", "choices", "settings"}
    survey = by_name(form["survey"])
    assert survey["T01"]["type"] == "select_one c_t01"
    assert survey["T02"]["type"] == "integer" and survey["T02"]["constraint"] == ". >= 0"
    assert survey["T03"]["type"] == "select_multiple c_t03"
    assert survey["T04"]["type"] == "text"
    assert "T05" not in survey  # a full-depth question
    assert survey["T01"]["label::English (en)"] == "Question T01"
    assert survey["T01"]["hint::English (en)"] == "Look around." and survey["T01"]["hint::French (fr)"] == "Regardez."
    choices = [(c["list_name"], c["name"], c["label::French (fr)"]) for c in form["choices"]]
    assert ("c_t01", "unknown", "Je ne sais pas") in choices and ("c_t03", "guards", "Gardes") in choices
    settings = form["settings"][0]
    assert settings["form_id"] == f"stoa_{assessment.pk.hex}" and settings["default_language"] == "English (en)"


def test_hidden_fields_carry_the_assessment_and_the_site(site):
    assessment = make_assessment(site)
    survey = by_name(sheets(build_xlsform(assessment))["survey"])
    assert survey[ASSESSMENT_FIELD]["type"] == "calculate"
    assert survey[ASSESSMENT_FIELD]["calculation"] == f"'{assessment.pk}'"
    assert survey[SITE_FIELD]["calculation"] == f"'{site.pk}'"


def test_depends_on_becomes_relevant_and_groups_follow_sections(site):
    assessment = make_assessment(site, depth=Depth.FULL)
    t05 = ReferenceObject.objects.get(kind="question", ref_id="T05")
    t05.data = {**t05.data, "depends_on": {"question": "T01", "any_of": ["no", "unknown"]}}
    t05.save()
    rows = sheets(build_xlsform(assessment))["survey"]
    survey = by_name(rows)
    assert survey["T05"]["relevant"] == "selected(${T01}, 'no') or selected(${T01}, 'unknown')"
    assert survey["T01"]["relevant"] is None
    types = [r["type"] for r in rows]
    assert types.count("begin_group") == types.count("end_group") == 1
    assert survey["PROFILE"]["label::English (en)"] == "Site profile"


def test_a_dependency_on_a_question_not_in_the_form_is_dropped(site):
    assessment = make_assessment(site)  # quick: T05 is not in the form
    t04 = ReferenceObject.objects.get(kind="question", ref_id="T04")
    t04.data = {**t04.data, "depends_on": {"question": "T05", "any_of": ["high"]}}
    t04.save()
    assert by_name(sheets(build_xlsform(assessment))["survey"])["T04"]["relevant"] is None


def test_the_shipped_bank_makes_a_consistent_full_form(site):
    load_shipped()
    assessment = create_assessment(site, depth=Depth.FULL)
    form = sheets(build_xlsform(assessment))
    rows = form["survey"]
    names = [r["name"] for r in rows if r["name"]]
    assert len(names) == len(set(names))
    questions = [r for r in rows if r["type"] not in ("calculate", "note", "begin_group", "end_group")]
    assert len(questions) == ReferenceObject.objects.filter(kind="question").count() >= 100
    lists = {c["list_name"] for c in form["choices"]}
    seen: set[str] = set()
    depth = 0
    for row in rows:
        depth += {"begin_group": 1, "end_group": -1}.get(row["type"], 0)
        assert 0 <= depth <= 1
        if row["type"].startswith("select_"):
            assert row["type"].split()[1] in lists
        for ref in re.findall(r"\$\{(\w+)\}", row["relevant"] or ""):
            assert ref in seen, (row["name"], ref)  # refers to an earlier question
        if row["type"] not in ("calculate", "end_group"):
            assert row["label::English (en)"] and row["label::French (fr)"], row["name"]
        seen.add(row["name"])
    assert depth == 0
    assert {r["type"] for r in questions} >= {"integer", "text", "image"}
    for choice in form["choices"]:
        assert choice["label::English (en)"] and choice["label::French (fr)"]


def test_the_page_offers_the_download(client, site, officer):
    assessment = make_assessment(site)
    client.force_login(officer)
    page = client.get(reverse("assessments:field", args=[assessment.pk]))
    assert reverse("assessments:xlsform", args=[assessment.pk]) in page.content.decode()
    response = client.get(reverse("assessments:xlsform", args=[assessment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert "T01" in by_name(sheets(response.content)["survey"])


def test_the_api_serves_the_same_form(site, viewer, outsider):
    assessment = make_assessment(site)
    client = APIClient()
    client.force_authenticate(viewer)
    response = client.get(f"/api/v1/assessments/{assessment.pk}/xlsform/")
    assert response.status_code == 200
    assert by_name(sheets(response.content)["survey"])[ASSESSMENT_FIELD]["calculation"] == f"'{assessment.pk}'"
    client.force_authenticate(outsider)
    assert client.get(f"/api/v1/assessments/{assessment.pk}/xlsform/").status_code == 404
