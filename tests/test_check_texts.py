"""The consistency findings speak every offered language, with the checks' own placeholders."""

from __future__ import annotations

import string

import pytest
from django.conf import settings
from django.utils import translation

from stoa.assessments.check_texts import MESSAGES, finding_message
from stoa.assessments.views.results import results_context
from stoa.core.assessment.checks import CHECKS
from tests.assessment_samples import make_assessment

LANGUAGES = [code for code, _ in settings.LANGUAGES]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_check_has_a_message_with_the_same_english_and_placeholders():
    assert set(MESSAGES) == {check.id for check in CHECKS}
    with translation.override("en"):
        for check in CHECKS:
            assert str(MESSAGES[check.id]) == check.message_en
    for lang in LANGUAGES:
        with translation.override(lang):
            for check in CHECKS:
                assert _fields(str(MESSAGES[check.id])) == _fields(check.message_en), (lang, check.id)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_the_results_page_findings_are_in_the_readers_language(site, lang):
    assessment = make_assessment(site)  # nothing rated yet: every threat type is unrated
    with translation.override("en"):
        english = {f["message"] for f in results_context(assessment)["findings"]}
    with translation.override(lang):
        findings = results_context(assessment)["findings"]
    assert any(f["id"] == "C-THREAT-UNRATED" for f in findings)
    assert all(f["message"] and f["message"] not in english for f in findings), (lang, findings)


def test_a_check_without_a_message_falls_back_to_its_english():
    from stoa.core.assessment.checks import Finding

    finding = Finding("C-SOMETHING-NEW", "warning", None, "Plain English.", "Français.")
    assert finding_message(finding) == "Plain English."
