"""The demo city's assessments: two finished PSOIs (one re-assessed) and one in progress, made through
the same rules as users' work (answers checked, ratings on the matrix, four-eyes sign-off)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from stoa.assessments.models import Assessment, SettledAnswer, Status
from stoa.assessments.views.results import results_context
from stoa.demo.assessments import DemoAssessmentError, load_assessments
from stoa.demo.loader import load_demo
from stoa.library.loader import load_shipped

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_shipped()
    return load_demo(password="demo-pass-1234", today=datetime.date(2026, 11, 22))


def _by_site(name: str) -> list[Assessment]:
    return list(Assessment.objects.filter(site__name__startswith=name).order_by("date"))


def test_two_finished_one_reassessed_and_one_in_progress(demo):
    assert demo.assessment_count == 4
    first, second = _by_site("Grand-Place")
    assert (first.status, second.status) == (Status.SIGNED_OFF, Status.SIGNED_OFF)
    assert second.previous == first and first.date < second.date
    assert [a.status for a in _by_site("Gare")] == [Status.SIGNED_OFF]
    assert [a.status for a in _by_site("Quai")] == [Status.DRAFT]
    for assessment in (first, second, *_by_site("Gare")):
        assert assessment.signed_off_by is not None and assessment.signed_off_by != assessment.submitted_by
        assert all(s.rated or s.not_applicable for s in assessment.scenarios.all())


def test_the_bollards_lower_the_vehicle_risk_at_the_re_assessment(demo):
    first, second = _by_site("Grand-Place")
    before = first.scenarios.get(threat__ref_id="VEHICLE")
    after = second.scenarios.get(threat__ref_id="VEHICLE")
    assert before.overridden and before.override_justification
    assert after.overridden and after.override_justification
    assert after.likelihood * after.consequence < before.likelihood * before.consequence


def test_signed_off_demo_assessments_carry_no_unjustified_override(demo):
    for assessment in Assessment.objects.filter(status=Status.SIGNED_OFF):
        ids = {f["id"] for f in results_context(assessment)["findings"]}
        assert "C-OVERRIDE-NO-JUSTIFICATION" not in ids and "C-THREAT-UNRATED" not in ids


def test_the_lead_settled_where_assessors_disagreed(demo):
    first = _by_site("Grand-Place")[0]
    assert set(SettledAnswer.objects.filter(assessment=first).values_list("question", flat=True)) == {"P02", "P03"}


def test_a_wrong_answer_in_the_file_names_the_entry(demo, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: stoa-demo-assessments\nversion: 1\nassessments:\n- key: x\n  site: grand-place\n"
                   "  days_ago: 1\n  lead: valmont.officer\n  answers:\n    valmont.officer:\n      P03: huge\n",
                   encoding="utf-8")
    from stoa.sites.models import Site

    site = Site.objects.get(name="Grand-Place")
    with pytest.raises(DemoAssessmentError, match=r"assessment x, valmont.officer, P03: Choose one of"):
        load_assessments({"grand-place": site}, datetime.date(2026, 11, 22), path=bad)
