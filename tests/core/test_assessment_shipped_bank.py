"""The shipped question bank (read straight from its YAML file) can be scored by the rating rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from stoa.core.assessment.rating import QuestionSpec, propose

SHIPPED = Path(__file__).resolve().parents[2] / "stoa" / "library" / "content" / "question-bank.yaml"
THREATS = ["FIREARMS", "SHARP_OBJECT", "VEHICLE", "IED", "PBIED", "UAVIED", "VBIED", "CHEMICAL",
           "BIOLOGICAL", "RADIOLOGICAL"]


def shipped_questions() -> list[QuestionSpec]:
    library = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    return [QuestionSpec.from_dict(obj) for obj in library["objects"] if obj["kind"] == "question"]


QUESTIONS = shipped_questions()


def test_every_shipped_question_is_read_and_dependencies_name_questions_of_the_bank() -> None:
    assert len(QUESTIONS) >= 100
    refs = {question.ref_id for question in QUESTIONS}
    assert all(q.depends_on.question in refs for q in QUESTIONS if q.depends_on)


def test_answering_unknown_everywhere_gives_the_baseline_for_every_threat() -> None:
    answers = {q.ref_id: "unknown" for q in QUESTIONS if q.type == "yesno"}
    for threat in THREATS:
        assert propose(QUESTIONS, answers, threat).contributions == []


def _answer(question: QuestionSpec, draw: st.DrawFn) -> Any:
    if question.type in ("single", "yesno"):
        return draw(st.sampled_from([c.id for c in question.choices]))
    if question.type == "multiple":
        return draw(st.lists(st.sampled_from([c.id for c in question.choices]), unique=True))
    if question.type == "number":
        return draw(st.integers(0, 100_000))
    return "field note"


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, Any]:
    return {q.ref_id: _answer(q, draw) for q in QUESTIONS if draw(st.booleans())}


@settings(max_examples=50, deadline=None)
@given(answer_sets(), st.sampled_from(THREATS))
def test_any_answers_to_the_shipped_bank_give_a_proposal_on_the_scale(answers: dict[str, Any],
                                                                      threat: str) -> None:
    proposal = propose(QUESTIONS, answers, threat)
    assert 1 <= proposal.likelihood <= 5 and 1 <= proposal.consequence <= 5
    assert all(c.question in answers for c in proposal.contributions)
    assert all(c.basis.get("en") and c.basis.get("fr") for c in proposal.contributions)  # explainable
