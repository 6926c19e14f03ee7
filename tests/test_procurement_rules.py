"""RFI rules on the models and services: who sees what, the deadline, screening, the shortlist,
publishing, drafting from an assessment, and the RFI document.

The data comes from the fast sample builders (tests/evaluation_samples.py): a small criteria tree,
vendor organisations, an RFI open from yesterday for two weeks.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from stoa.accounts.roles import Action
from stoa.assessments.models import Objective, Requirement
from stoa.evaluation.models import Alternative, CriteriaSet, Expert, Score
from stoa.evaluation.sources import criteria_source
from stoa.procurement import document, services
from stoa.procurement.drafting import draft_rfi, vulnerabilities
from stoa.procurement.models import Clarification, Rfi, RfiRequirement, Submission, SubmissionStatus, Visibility
from tests import factories
from tests.assessment_samples import make_assessment
from tests.evaluation_samples import make_evaluation, make_rfi, make_submission, make_vendor, small_criteria

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def assessment(org) -> Any:
    org.classification = "OFFICIAL-SENSITIVE"
    org.save()
    return make_assessment(factories.make_site(org, name="Market Square"))


@pytest.fixture
def vendors() -> dict[str, Any]:
    """Two invited vendors and one that is not invited, each with an administrator."""
    names = {"a": "Barrier Works", "b": "Bollard Co", "c": "Uninvited Ltd"}
    made = {key: make_vendor(name, slug=name.lower().replace(" ", "-")) for key, name in names.items()}
    return {key: {"org": org, "user": user} for key, (org, user) in made.items()}


@pytest.fixture
def rfi(assessment, vendors) -> Rfi:
    evaluation = make_evaluation(assessment)
    rfi = make_rfi(assessment, evaluation=evaluation, invite=[vendors["a"]["org"], vendors["b"]["org"]],
                   criteria=evaluation.criteria)
    RfiRequirement.objects.create(rfi=rfi, text="Mature: in operational use.", criterion="min_trl", limit="8")
    RfiRequirement.objects.create(rfi=rfi, text="Affordable.", priority="desirable", criterion="max_capital_eur",
                                  limit="100000")
    return rfi


def submitted(rfi: Rfi, vendor: Any, **kw: Any) -> Submission:
    return services.submit(make_submission(rfi, vendor, **kw), None)


def visible(model: Any, user: Any) -> set[Any]:
    return set(model.objects.for_user(user, Action.VIEW).values_list("pk", flat=True))


def test_vendors_see_published_rfis_they_are_invited_to_or_public_ones_never_drafts(assessment, rfi, vendors,
                                                                                    outsider):
    draft = make_rfi(assessment, published=False, invite=[vendors["a"]["org"]], title="Draft")
    public = make_rfi(assessment, visibility=Visibility.PUBLIC, title="Public")
    assert visible(Rfi, vendors["a"]["user"]) == {rfi.pk, public.pk}
    assert visible(Rfi, vendors["c"]["user"]) == {public.pk}
    assert draft.pk not in visible(Rfi, vendors["a"]["user"])
    assert Rfi.objects.for_user(vendors["a"]["user"], Action.CHANGE).count() == 0  # vendors only read
    assert visible(Rfi, outsider) == set()  # public means any vendor, not another city


def test_answered_clarifications_reach_every_invited_vendor_unanswered_only_the_asker(rfi, vendors, officer):
    answered = Clarification.objects.create(rfi=rfi, asked_by=vendors["a"]["org"], question="Foundations?")
    services.answer_clarification(answered, "Shallow only: cables under the square.")
    pending = Clarification.objects.create(rfi=rfi, asked_by=vendors["a"]["org"], question="Power supply?")
    assert visible(Clarification, vendors["a"]["user"]) == {answered.pk, pending.pk}
    assert visible(Clarification, vendors["b"]["user"]) == {answered.pk}
    assert visible(Clarification, vendors["c"]["user"]) == set()
    assert visible(Clarification, officer) == {answered.pk, pending.pk}


def test_an_answer_after_the_deadline_is_refused_with_the_reason_and_nothing_changes(assessment, vendors):
    late = make_rfi(assessment, invite=[vendors["a"]["org"]], opens_at=timezone.now() - timedelta(days=20),
                    closes_at=timezone.now() - timedelta(minutes=1))
    answer = make_submission(late, vendors["a"]["org"])
    with pytest.raises(ValidationError) as refused:
        services.submit(answer, vendors["a"]["user"])
    assert "deadline" in refused.value.messages[0] and "no longer accepted" in refused.value.messages[0]
    answer.refresh_from_db()
    assert answer.status == SubmissionStatus.DRAFT and answer.submitted_at is None


def test_a_submitted_answer_becomes_an_alternative_and_only_then_does_the_city_see_it(rfi, vendors, officer):
    answer = make_submission(rfi, vendors["a"]["org"])
    assert answer.pk not in visible(Submission, officer)
    services.submit(answer, vendors["a"]["user"])
    assert answer.pk in visible(Submission, officer)
    assert Alternative.objects.get(submission=answer).evaluation_id == rfi.evaluation_id
    assert answer.pk not in visible(Submission, vendors["b"]["user"])  # never another vendor


def test_screening_flags_a_failed_must_have_and_reports_a_desirable_one(rfi, vendors):
    immature = make_submission(rfi, vendors["a"]["org"], trl=5, capital_eur=150000)
    results = {r.text: ok for r, ok in immature.screening()}
    assert results == {"Mature: in operational use.": False, "Affordable.": False}
    assert [r.text for r in immature.fails_must_haves] == ["Mature: in operational use."]
    assert make_submission(rfi, vendors["b"]["org"], trl=9).fails_must_haves == []


def _score(rfi: Rfi, table: dict[Submission, tuple[int, int, int]]) -> None:
    expert = Expert.objects.create(evaluation=rfi.evaluation, name="A. Expert", conflicts="none")
    for answer, (effect, capital, privacy) in table.items():
        alternative = Alternative.objects.get(submission=answer)
        for criterion, value in (("EFFECT", effect), ("CAPITAL", capital), ("PRIVACY", privacy)):
            Score.objects.create(evaluation=rfi.evaluation, expert=expert, alternative=alternative,
                                 criterion=criterion, value=value)


def test_the_shortlist_takes_the_top_n_ranked_answers_that_pass_every_must_have(rfi, vendors):
    best = submitted(rfi, vendors["a"]["org"], solution="Best")
    immature = submitted(rfi, vendors["a"]["org"], solution="Second but immature", trl=5)
    third = submitted(rfi, vendors["b"]["org"], solution="Third")
    knocked = submitted(rfi, vendors["b"]["org"], solution="Knocked out on privacy")
    with pytest.raises(ValidationError, match="No expert has scored"):
        services.shortlist_answers(rfi)
    _score(rfi, {best: (5, 50000, 4), immature: (4, 50000, 4), third: (3, 50000, 4), knocked: (5, 10000, 1)})
    rfi.evaluation.shortlist_size = 2
    rfi.evaluation.save()
    chosen = services.shortlist_answers(rfi)
    assert [a.submission_id for a in chosen] == [best.pk, third.pk]
    assert set(Alternative.objects.filter(shortlisted=True).values_list("submission_id", flat=True)) == {
        best.pk, third.pk}


def test_the_demonstration_stage_waits_for_a_shortlist(rfi, vendors):
    answer = submitted(rfi, vendors["a"]["org"])
    with pytest.raises(ValidationError, match="Shortlist"):
        services.start_demonstrations(rfi)
    services.set_shortlisted(rfi, answer, True)
    services.start_demonstrations(rfi)
    rfi.evaluation.refresh_from_db()
    assert rfi.evaluation.stage == "demonstration"


def test_publishing_needs_a_requirement_and_a_future_deadline(assessment):
    draft = make_rfi(assessment, published=False)
    with pytest.raises(ValidationError, match="at least one requirement"):
        services.publish(draft)
    RfiRequirement.objects.create(rfi=draft, text="Stops a 7.5 t truck at 48 km/h.")
    draft.closes_at = timezone.now() - timedelta(hours=1)
    with pytest.raises(ValidationError, match="in the past"):
        services.publish(draft)
    draft.closes_at = timezone.now() + timedelta(days=7)
    services.publish(draft)
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_at is not None


def test_a_draft_takes_requirements_threats_and_criteria_but_never_the_scenario_narrative(assessment, org, officer):
    vehicle = assessment.scenarios.get(threat__ref_id="VEHICLE")
    vehicle.narrative = "A van enters through the unguarded north gate."
    vehicle.likelihood, vehicle.consequence = 4, 5
    vehicle.save()
    firearms = assessment.scenarios.get(threat__ref_id="FIREARMS")
    firearms.likelihood, firearms.consequence = 2, 2
    firearms.save()
    objective = Objective.objects.create(assessment=assessment, title="Stop vehicles at the entrances")
    objective.scenarios.add(vehicle)
    Requirement.objects.create(assessment=assessment, objective=objective, text="Stops a 7.5 t truck.",
                               criterion="min_trl", limit="7")
    Requirement.objects.create(assessment=assessment, objective=Objective.objects.create(
        assessment=assessment, title="Other"), text="Not about the chosen vulnerability.")
    found = vulnerabilities(assessment)
    assert [v.scenario.threat.ref_id for v in found[:2]] == ["VEHICLE", "FIREARMS"]  # rated, most severe first
    own = CriteriaSet.objects.create(organisation=org, name="Small", data=small_criteria())
    source = criteria_source(org, f"own:{own.pk}")
    now = timezone.now()
    rfi = draft_rfi(Rfi(assessment=assessment, title="Vehicle barriers", opens_at=now, closes_at=now + timedelta(7)),
                    [vehicle], source, officer)
    assert rfi.threats == ["VEHICLE"]
    assert [(r.text, r.priority, r.criterion, r.limit) for r in rfi.requirements.all()] == [
        ("Stops a 7.5 t truck.", "must", "min_trl", "7")]
    assert "north gate" not in rfi.problem and "Market Square" not in rfi.problem and rfi.problem
    assert rfi.evaluation.scenario == vehicle and rfi.evaluation.criteria == rfi.criteria == small_criteria()


def test_the_rfi_document_carries_requirements_criteria_and_the_classification(rfi):
    text = document.markdown(rfi)
    assert "Mature: in operational use." in text and "Affordable." in text
    assert "### Performance" in text and "**Effect**" in text and "Level 5" in text
    body = document.pdf(rfi)
    assert body.startswith(b"%PDF")
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(body)).pages
    assert all("OFFICIAL-SENSITIVE" in page.extract_text() for page in pages)
