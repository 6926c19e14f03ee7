"""The ratings Stoa proposes for an assessment's scenarios, from its answers.

The rule itself is the pure domain's (``stoa.core.assessment.rating.propose``); this module only
gathers its inputs from the database: the bank's questions at the assessment's depth, and one
answer per question.

Several assessors answer on their own, so each question may have several answers. The answer
used (for the proposals, the results and the report) is, per question:

1. the lead's settled answer (``SettledAnswer``), when there is one;
2. else the answer every assessor who answered gave (they agree);
3. else, while they disagree and nobody has settled it yet, the most recently saved answer.

Empty answers (cleared) do not count. The merge view (``stoa.assessments.merge``) lists the
questions in case 3, and an assessment cannot be submitted while any is left unsettled.
"""

from __future__ import annotations

from typing import Any

from stoa.assessments.models import Answer, Assessment, Depth, Scenario, SettledAnswer
from stoa.library.models import ReferenceObject


def question_objects(assessment: Assessment, ref_ids: Any = None) -> list[ReferenceObject]:
    """The bank's questions asked at the assessment's depth (quick ones are asked in full depth too);
    with REF_IDS, only those of them."""
    questions = ReferenceObject.objects.filter(kind="question").order_by("order", "ref_id")
    if ref_ids is not None:
        questions = questions.filter(ref_id__in=list(ref_ids))
    if assessment.question_bank_urn:
        questions = questions.filter(library__urn=assessment.question_bank_urn)
    if assessment.depth == Depth.QUICK:
        return [q for q in questions if q.data.get("depth", "full") == "quick"]
    return list(questions)


def answer_key(value: Any) -> str:
    """VALUE in a form where equal answers compare equal (250 and 250.0, lists in any order)."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int | float):
        return repr(float(value))
    if isinstance(value, list):
        return repr(sorted(str(v) for v in value))
    return repr(value)


def used_answer(given: list[Any], settled: Any = None, has_settled: bool = False) -> Any:
    """The answer used for one question (the rule in this module's docstring). GIVEN: the
    assessors' non-empty answers, oldest saved first."""
    if has_settled:
        return settled
    if not given:
        return None
    if len({answer_key(v) for v in given}) == 1:
        return given[0]  # everyone agrees
    return given[-1]  # disagreement not settled yet: the most recent


def current_answers(assessment: Assessment) -> dict[str, Any]:
    """Question ref_id → the answer used, by the rule in this module's docstring."""
    given: dict[str, list[Any]] = {}
    for answer in Answer.objects.filter(assessment=assessment).order_by("updated_at"):
        if answer.value is not None:
            given.setdefault(answer.question, []).append(answer.value)
    settled = {s.question: s.value for s in SettledAnswer.objects.filter(assessment=assessment)
               if s.value is not None}
    answers: dict[str, Any] = {}
    for question in given.keys() | settled.keys():
        value = used_answer(given.get(question, []), settled.get(question), question in settled)
        if value is not None:
            answers[question] = value
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
    """Recompute and store every scenario's proposed rating (after an answer, a measure or an
    engineering analysis changed). Where a scenario has an engineering analysis with a result,
    its rule replaces the answers' proposal on that factor (``stoa.engineering.evidence``)."""
    from stoa.assessments.matrix import matrix_of
    from stoa.engineering.evidence import evidence_for

    questions = question_objects(assessment)
    answers = current_answers(assessment)
    frozen = matrix_of(assessment)
    top_l, top_c = max(frozen.likelihood_values), max(frozen.consequence_values)
    changed: list[Scenario] = []
    # The analyses come with their scenarios (one query for all), so the evidence costs no query per scenario.
    for scenario in assessment.scenarios.select_related("threat", "vehicle_analysis", "blast_analysis"):
        proposal = propose_for(scenario, questions, answers)
        likelihood, consequence = proposal.likelihood, proposal.consequence
        evidence = evidence_for(scenario)
        if evidence.likelihood is not None:
            likelihood = min(evidence.likelihood, top_l)
        if evidence.consequence is not None:
            consequence = min(evidence.consequence, top_c)
        if (scenario.proposed_likelihood, scenario.proposed_consequence) != (likelihood, consequence):
            scenario.proposed_likelihood, scenario.proposed_consequence = likelihood, consequence
            changed.append(scenario)
    # One statement for every changed scenario; like the queryset update before it, it sends no signals
    # and leaves the other fields (and updated_at) as they are.
    Scenario.objects.bulk_update(changed, ["proposed_likelihood", "proposed_consequence"])
