"""The ratings Stoa proposes for an assessment's scenarios, from its answers.

The rule itself is the pure domain's (``stoa.core.assessment.rating.propose``); this module only
gathers its inputs from the database: the bank's questions at the assessment's depth, and one
answer per question. While several assessors may answer on their own, the answer used for a
proposal is the most recently saved one for each question.
"""

from __future__ import annotations

from typing import Any

from stoa.assessments.models import Answer, Assessment, Depth, Scenario
from stoa.library.models import ReferenceObject


def question_objects(assessment: Assessment) -> list[ReferenceObject]:
    """The bank's questions asked at the assessment's depth (quick ones are asked in full depth too)."""
    questions = ReferenceObject.objects.filter(kind="question").order_by("order", "ref_id")
    if assessment.question_bank_urn:
        questions = questions.filter(library__urn=assessment.question_bank_urn)
    if assessment.depth == Depth.QUICK:
        return [q for q in questions if q.data.get("depth", "full") == "quick"]
    return list(questions)


def current_answers(assessment: Assessment) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for answer in Answer.objects.filter(assessment=assessment).order_by("updated_at"):
        if answer.value is not None:
            answers[answer.question] = answer.value
    return answers


def propose_for(scenario: Scenario, questions: list[ReferenceObject] | None = None,
                answers: dict[str, Any] | None = None) -> Any:
    """The domain's Proposal for SCENARIO (likelihood, consequence and the contributions)."""
    from stoa.core.assessment.questions import QuestionSpec
    from stoa.core.assessment.rating import propose

    assessment = scenario.assessment
    objects = questions if questions is not None else question_objects(assessment)
    specs = [QuestionSpec.from_dict({**q.data, "ref_id": q.ref_id}) for q in objects]
    given = answers if answers is not None else current_answers(assessment)
    return propose(specs, given, scenario.threat.ref_id)


def refresh_proposals(assessment: Assessment) -> None:
    """Recompute and store every scenario's proposed rating (after an answer changed)."""
    questions = question_objects(assessment)
    answers = current_answers(assessment)
    for scenario in assessment.scenarios.select_related("threat"):
        proposal = propose_for(scenario, questions, answers)
        if (scenario.proposed_likelihood, scenario.proposed_consequence) != (proposal.likelihood,
                                                                             proposal.consequence):
            Scenario.objects.filter(pk=scenario.pk).update(proposed_likelihood=proposal.likelihood,
                                                           proposed_consequence=proposal.consequence)
