"""Stoa's documented default rule for proposing a scenario's likelihood and consequence.

The EU VAT asks the team to rate each threat scenario, but its scoring rule is not public
(research notes, protect-methodology.md §7.3 "VA probability/consequence scale" and §7.5 U1, U3).
Stoa therefore proposes a rating with this simple, explainable rule; the team may always override
it with a written justification:

1. Start at the baseline, by default the middle of the 1–5 scale: likelihood 3, consequence 3.
2. Take every question that applies. A question with ``depends_on`` applies only when the question
   it depends on applies and was answered with one of ``any_of``; otherwise its answer is ignored.
3. For each applicable answer, find the chosen choice (single, yes/no), each chosen choice once
   (multiple) or the band holding the number (number). Text and photo answers are evidence only.
   An unanswered question, the choice ``unknown``, and a value that matches no choice or band add
   nothing: not knowing neither raises nor lowers a rating.
4. Add the delta of every effect of those choices and bands whose threat is the scenario's threat
   or ``ALL``, to the dimension it names. A positive delta means more exposed.
5. Round each sum half up (2.5 → 3, 3.49 → 3) and clamp it to the scale (0.5 → 1, 6.5 → 5).

Because the sums only add deltas, an answer whose deltas are all lower or equal never gives a
higher proposal. Sums are exact (decimal), so the rounding never depends on float noise.
Each effect used is returned as a ``Contribution`` so a page can show which answers pushed the
rating up or down.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from stoa.core.assessment.questions import (
    UNKNOWN_CHOICE,
    AnswerValue,
    EffectSpec,
    QuestionSpec,
)

__all__ = ["AnswerValue", "Contribution", "Proposal", "QuestionSpec", "propose"]

DEFAULT_BASELINE = (3, 3)
DEFAULT_SCALE = (1, 5)


@dataclass(frozen=True)
class Contribution:
    question: str  # question ref_id
    choice_or_band: str  # choice id, or the band as "1000 ≤ n < 5000" / "n ≥ 5000"
    dimension: str  # likelihood or consequence
    delta: float
    basis: Mapping[str, str]  # short why, by language code


@dataclass(frozen=True)
class Proposal:
    likelihood: int
    consequence: int
    contributions: list[Contribution] = field(default_factory=list)
    # The sums before rounding and clamping, for an explanation such as "3 + 1.5 = 4.5 → 5".
    raw_likelihood: float = 0.0
    raw_consequence: float = 0.0


def propose(questions: Sequence[QuestionSpec], answers: Mapping[str, AnswerValue], threat: str,
            baseline: tuple[int, int] = DEFAULT_BASELINE,
            scale: tuple[int, int] = DEFAULT_SCALE) -> Proposal:
    """Proposed (likelihood, consequence) for THREAT from ANSWERS (question ref_id → value)."""
    low, high = scale
    if low > high:
        raise ValueError(f"the scale {scale} is empty")
    if not all(low <= value <= high for value in baseline):
        raise ValueError(f"the baseline {baseline} is outside the scale {low}–{high}")
    by_ref = {question.ref_id: question for question in questions}
    sums = {"likelihood": Decimal(baseline[0]), "consequence": Decimal(baseline[1])}
    contributions = []
    for question in questions:
        if not _applies(question, by_ref, answers, set()):
            continue
        for label, effect in _chosen_effects(question, answers.get(question.ref_id)):
            if effect.applies_to(threat):
                sums[effect.dimension] += Decimal(str(effect.delta))
                contributions.append(Contribution(question.ref_id, label, effect.dimension,
                                                  effect.delta, effect.basis))
    return Proposal(_round_clamp(sums["likelihood"], scale), _round_clamp(sums["consequence"], scale),
                    contributions, float(sums["likelihood"]), float(sums["consequence"]))


def _round_clamp(value: Decimal, scale: tuple[int, int]) -> int:
    rounded = int((value + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR))  # half up: 2.5 → 3
    return max(scale[0], min(scale[1], rounded))


def _selected(value: AnswerValue) -> set[str]:
    """The choice ids an answer selects: one for single/yes-no, several for multiple."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, list | tuple):
        return {item for item in value if isinstance(item, str)}
    return set()


def _applies(question: QuestionSpec, by_ref: Mapping[str, QuestionSpec],
             answers: Mapping[str, AnswerValue], seen: set[str]) -> bool:
    """True unless a depends_on condition, or one further up the chain, is unmet."""
    condition = question.depends_on
    if condition is None:
        return True
    parent = by_ref.get(condition.question)
    if parent is None or question.ref_id in seen:  # unknown parent or a cycle: never met
        return False
    if not _applies(parent, by_ref, answers, seen | {question.ref_id}):
        return False
    return bool(_selected(answers.get(parent.ref_id)) & condition.any_of)


def _chosen_effects(question: QuestionSpec, value: AnswerValue) -> list[tuple[str, EffectSpec]]:
    if value is None:
        return []
    if question.type in ("single", "yesno", "multiple"):
        if question.type == "multiple" and isinstance(value, str):
            return []  # a multiple-choice answer is a list; a bare string is not a valid answer
        if question.type != "multiple" and not isinstance(value, str):
            return []
        selected = _selected(value) - {UNKNOWN_CHOICE}
        return [(c.id, e) for c in question.choices if c.id in selected for e in c.effects]
    if question.type == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return []
        band = question.band(float(value))
        return [(band.label, e) for e in band.effects] if band else []
    return []  # text and photo answers are evidence, not scored
