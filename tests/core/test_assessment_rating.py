"""The proposed rating: examples of each part of the rule, then its properties."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stoa.core.assessment.rating import Contribution, QuestionSpec, propose

BASIS = {"en": "why", "fr": "pourquoi"}


def effect(delta: float, dimension: str = "likelihood", threat: str = "VEHICLE") -> dict[str, Any]:
    return {"threat": threat, "dimension": dimension, "delta": delta, "basis": BASIS}


def yesno(ref_id: str, yes: list[dict[str, Any]], no: list[dict[str, Any]] | None = None,
          depends_on: dict[str, Any] | None = None) -> QuestionSpec:
    data: dict[str, Any] = {"ref_id": ref_id, "type": "yesno", "choices": [
        {"id": "yes", "effects": yes}, {"id": "no", "effects": no or []},
        {"id": "unknown", "effects": [effect(1.0)]}]}  # effects on "unknown" are ignored by rule
    if depends_on:
        data["depends_on"] = depends_on
    return QuestionSpec.from_dict(data)


BOLLARDS = yesno("M01", yes=[effect(-1.0)], no=[effect(0.5)])
CROWD = QuestionSpec.from_dict({"ref_id": "P02", "type": "number", "bands": [
    {"min": 0, "max": 1000, "effects": [effect(-0.5, "consequence", "ALL")]},
    {"min": 1000, "max": 5000, "effects": []},
    {"min": 5000, "max": None, "effects": [effect(1.0, "consequence", "ALL")]}]})
ACCESS = QuestionSpec.from_dict({"ref_id": "P03", "type": "multiple", "choices": [
    {"id": "road", "effects": [effect(0.5)]}, {"id": "tram", "effects": [effect(0.25)]},
    {"id": "foot", "effects": [effect(-0.25, threat="FIREARMS")]}]})
NOTES = QuestionSpec.from_dict({"ref_id": "P04", "type": "text"})


def test_no_answers_gives_the_baseline() -> None:
    proposal = propose([BOLLARDS, CROWD, ACCESS], {}, "VEHICLE")
    assert (proposal.likelihood, proposal.consequence, proposal.contributions) == (3, 3, [])


def test_effects_of_the_scenario_threat_and_all_are_added_with_their_contributions() -> None:
    proposal = propose([BOLLARDS, CROWD, ACCESS], {"M01": "no", "P02": 8000, "P03": ["road", "foot"]},
                       "VEHICLE")
    assert (proposal.likelihood, proposal.consequence) == (4, 4)  # 3 + 0.5 + 0.5; 3 + 1
    assert proposal.raw_likelihood == 4.0
    assert proposal.contributions == [
        Contribution("M01", "no", "likelihood", 0.5, BASIS),
        Contribution("P02", "n ≥ 5000", "consequence", 1.0, BASIS),
        Contribution("P03", "road", "likelihood", 0.5, BASIS),
    ]


def test_other_threats_are_not_moved_by_effects_for_another_threat() -> None:
    proposal = propose([BOLLARDS, ACCESS], {"M01": "no", "P03": ["road", "foot"]}, "FIREARMS")
    assert (proposal.likelihood, proposal.consequence) == (3, 3)  # 3 - 0.25 rounds back to 3
    assert [c.choice_or_band for c in proposal.contributions] == ["foot"]


def test_rounding_is_half_up_and_the_result_is_clamped() -> None:
    half = QuestionSpec.from_dict({"ref_id": "Q1", "type": "single", "choices": [
        {"id": "up", "effects": [effect(0.5)]}, {"id": "down", "effects": [effect(-0.5)]}]})
    assert propose([half], {"Q1": "up"}, "VEHICLE").likelihood == 4  # 3.5 → 4
    assert propose([half], {"Q1": "down"}, "VEHICLE").likelihood == 3  # 2.5 → 3
    assert propose([half], {"Q1": "down"}, "VEHICLE", baseline=(1, 1)).likelihood == 1  # 0.5 → 1
    many = [yesno(f"Y{i}", yes=[effect(1.0)]) for i in range(4)]
    assert propose(many, {f"Y{i}": "yes" for i in range(4)}, "VEHICLE", baseline=(4, 4)).likelihood == 5


def test_unknown_unmatched_and_unscored_answers_add_nothing() -> None:
    answers: dict[str, Any] = {"M01": "unknown", "P02": -3, "P03": ["bus"], "P04": "a long note", "ZZZ": "yes"}
    proposal = propose([BOLLARDS, CROWD, ACCESS, NOTES], answers, "VEHICLE")
    assert (proposal.likelihood, proposal.consequence, proposal.contributions) == (3, 3, [])


@pytest.mark.parametrize("answers", [
    {"M01": ["no"]},  # a list for a yes/no question
    {"P03": "road"},  # a bare string for a multiple-choice question
    {"P02": True}, {"P02": "8000"}, {"P02": float("nan")}, {"P02": float("inf")},
])
def test_answers_of_the_wrong_type_add_nothing(answers: dict[str, Any]) -> None:
    assert propose([BOLLARDS, CROWD, ACCESS], answers, "VEHICLE").contributions == []


def test_a_dependent_question_counts_only_when_its_condition_is_met() -> None:
    event = yesno("E01", yes=[])
    barriers = yesno("E02", yes=[effect(-1.0)], depends_on={"question": "E01", "any_of": ["yes"]})
    staff = yesno("E03", yes=[effect(-1.0)], depends_on={"question": "E02", "any_of": ["yes"]})
    questions = [event, barriers, staff]
    assert propose(questions, {"E01": "yes", "E02": "yes", "E03": "yes"}, "VEHICLE").likelihood == 1
    # E01 answered "no": E02 is ignored, and so is E03 that depends on E02.
    assert propose(questions, {"E01": "no", "E02": "yes", "E03": "yes"}, "VEHICLE").likelihood == 3
    assert propose(questions, {"E02": "yes"}, "VEHICLE").likelihood == 3
    orphan = yesno("E04", yes=[effect(1.0)], depends_on={"question": "NOPE", "any_of": ["yes"]})
    assert propose([orphan], {"E04": "yes", "NOPE": "yes"}, "VEHICLE").likelihood == 3


def test_a_dependency_cycle_never_counts() -> None:
    a = yesno("A", yes=[effect(1.0)], depends_on={"question": "B", "any_of": ["yes"]})
    b = yesno("B", yes=[effect(1.0)], depends_on={"question": "A", "any_of": ["yes"]})
    assert propose([a, b], {"A": "yes", "B": "yes"}, "VEHICLE").likelihood == 3


def test_a_multiple_choice_dependency_is_met_by_any_listed_choice() -> None:
    follow = yesno("P05", yes=[effect(1.0)], depends_on={"question": "P03", "any_of": ["tram", "road"]})
    assert propose([ACCESS, follow], {"P03": ["tram"], "P05": "yes"}, "VEHICLE").raw_likelihood == 4.25


def test_a_baseline_or_scale_that_does_not_fit_is_refused() -> None:
    with pytest.raises(ValueError, match="baseline"):
        propose([], {}, "VEHICLE", baseline=(6, 3))
    with pytest.raises(ValueError, match="empty"):
        propose([], {}, "VEHICLE", scale=(5, 1))


@pytest.mark.parametrize(("data", "message"), [
    ({"type": "yesno"}, "ref_id"),
    ({"ref_id": "Q", "type": "essay"}, "type must be one of"),
    ({"ref_id": "Q", "type": "single"}, "needs choices"),
    ({"ref_id": "Q", "type": "number", "bands": []}, "needs bands"),
    ({"ref_id": "Q", "type": "number", "bands": [{"min": 5, "max": 1}]}, "max must be greater"),
    ({"ref_id": "Q", "type": "single", "choices": [{"id": "a", "effects": [effect(2.0)]}]}, "between -1 and 1"),
    ({"ref_id": "Q", "type": "single", "choices": [{"id": "a", "effects": [
        {"threat": "IED", "dimension": "impact", "delta": 0.5}]}]}, "dimension"),
    ({"ref_id": "Q", "type": "yesno", "choices": [{"id": "yes"}], "depends_on": {"question": "P"}},
     "any_of"),
])
def test_a_question_that_cannot_be_scored_is_refused_with_the_faulty_key(data: dict[str, Any],
                                                                        message: str) -> None:
    with pytest.raises(ValueError, match=message):
        QuestionSpec.from_dict(data)


# --- properties -------------------------------------------------------------------------------

THREATS = ["VEHICLE", "IED", "ALL"]
deltas = st.integers(-4, 4).map(lambda quarter: quarter / 4)  # -1.0 .. 1.0 in quarters
effects = st.lists(st.builds(effect, deltas, st.sampled_from(["likelihood", "consequence"]),
                             st.sampled_from(THREATS)), max_size=3)
scale_value = st.integers(1, 5)


@st.composite
def bank(draw: st.DrawFn) -> tuple[list[QuestionSpec], dict[str, Any]]:
    """Up to six single-choice questions, some depending on earlier ones, and some answers."""
    questions, answers = [], {}
    for index in range(draw(st.integers(0, 6))):
        data: dict[str, Any] = {"ref_id": f"Q{index}", "type": "single",
                                "choices": [{"id": c, "effects": draw(effects)} for c in ("a", "b", "c")]}
        if index and draw(st.booleans()):
            data["depends_on"] = {"question": f"Q{draw(st.integers(0, index - 1))}", "any_of": ["a"]}
        questions.append(QuestionSpec.from_dict(data))
        answer = draw(st.sampled_from(["a", "b", "c", "unknown", "zzz", None]))
        if answer is not None:
            answers[f"Q{index}"] = answer
    return questions, answers


@given(bank(), st.sampled_from(THREATS[:2]), scale_value, scale_value)
def test_the_proposal_is_always_inside_the_scale(drawn: Any, threat: str, lik: int, con: int) -> None:
    questions, answers = drawn
    proposal = propose(questions, answers, threat, baseline=(lik, con))
    assert 1 <= proposal.likelihood <= 5 and 1 <= proposal.consequence <= 5


@given(bank(), st.sampled_from(THREATS[:2]), scale_value, scale_value)
def test_no_answers_always_gives_the_baseline(drawn: Any, threat: str, lik: int, con: int) -> None:
    proposal = propose(drawn[0], {}, threat, baseline=(lik, con))
    assert (proposal.likelihood, proposal.consequence, proposal.contributions) == (lik, con, [])


@given(bank(), st.sampled_from(THREATS[:2]))
def test_unknown_and_unmatched_answers_never_change_the_proposal(drawn: Any, threat: str) -> None:
    questions, answers = drawn
    blanks = {q.ref_id: "unknown" for q in questions if q.ref_id not in answers}
    blanks.update({"NOT-A-QUESTION": "a"})
    assert propose(questions, {**answers, **blanks}, threat) == propose(questions, answers, threat)


@given(bank(), st.sampled_from(THREATS[:2]), st.data())
def test_an_unmet_dependency_is_ignored(drawn: Any, threat: str, data: st.DataObject) -> None:
    questions, answers = drawn
    child = QuestionSpec.from_dict({"ref_id": "CHILD", "type": "single", "depends_on": {
        "question": "PARENT", "any_of": ["a"]}, "choices": [
            {"id": "a", "effects": data.draw(effects)}, {"id": "b", "effects": data.draw(effects)}]})
    parent = QuestionSpec.from_dict({"ref_id": "PARENT", "type": "single",
                                     "choices": [{"id": "a"}, {"id": "b"}]})
    unmet = {**answers, "PARENT": data.draw(st.sampled_from(["b", "unknown"]))}
    with_child = propose([*questions, parent, child], {**unmet, "CHILD": data.draw(st.sampled_from("ab"))},
                         threat)
    assert with_child == propose([*questions, parent, child], unmet, threat)


@given(bank(), st.sampled_from(THREATS[:2]), st.data(), scale_value, scale_value)
def test_a_better_answer_never_raises_the_proposal(drawn: Any, threat: str, data: st.DataObject,
                                                   lik: int, con: int) -> None:
    """Replace an answer by one whose every delta is lower or equal: no rating may go up."""
    questions, answers = drawn
    worse = data.draw(effects)
    better = [{**e, "delta": e["delta"] - data.draw(st.integers(0, 8)) / 4} for e in worse]
    better = [{**e, "delta": max(-1.0, e["delta"])} for e in better]
    target = QuestionSpec.from_dict({"ref_id": "T", "type": "single", "choices": [
        {"id": "worse", "effects": worse}, {"id": "better", "effects": better}]})
    bank_with_target = [*questions, target]
    before = propose(bank_with_target, {**answers, "T": "worse"}, threat, baseline=(lik, con))
    after = propose(bank_with_target, {**answers, "T": "better"}, threat, baseline=(lik, con))
    assert after.likelihood <= before.likelihood
    assert after.consequence <= before.consequence


@given(st.lists(deltas, max_size=8), scale_value)
def test_the_proposal_is_the_rounded_clamped_sum(values: list[float], lik: int) -> None:
    questions = [yesno(f"Y{i}", yes=[effect(d)]) for i, d in enumerate(values)]
    proposal = propose(questions, {f"Y{i}": "yes" for i in range(len(values))}, "VEHICLE",
                       baseline=(lik, 3))
    total = lik + sum(values)  # quarters are exact in binary floating point
    assert proposal.likelihood == max(1, min(5, math.floor(total + 0.5)))
