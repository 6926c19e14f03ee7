"""Checks on a question bank that span several objects of one library file.

A question must sit in a section defined in the same file, and a question that depends on an
earlier answer must name a question asked before it (a lower ``order``), one of that question's
choice ids, and must not be a quick-scan question hanging on a full-assessment one (it would
never be asked in a quick scan). Ordering by ``order`` rather than by position in the file is
what the assessment pages use, so "earlier" means the same thing here and on screen.

These run on the raw parsed YAML, like ``schema.cross_object_issues``, so they are reported in
the same pass as field errors; anything malformed is skipped here because the schema reports it.
No imports from ``schema`` (which imports this module): problems are plain (location, message).
"""

from __future__ import annotations

import itertools
from typing import Any

Location = tuple[str | int, ...]


def question_bank_problems(raw: Any) -> list[tuple[Location, str]]:
    objects = raw.get("objects") if isinstance(raw, dict) else None
    if not isinstance(objects, list):
        return []
    sections = {obj.get("ref_id") for obj in objects
                if isinstance(obj, dict) and obj.get("kind") == "question_section"}
    questions = {obj.get("ref_id"): obj for obj in objects
                 if isinstance(obj, dict) and obj.get("kind") == "question" and isinstance(obj.get("ref_id"), str)}
    problems: list[tuple[Location, str]] = []
    for index, obj in enumerate(objects):
        if not isinstance(obj, dict) or obj.get("kind") != "question":
            continue
        section = obj.get("section")
        if isinstance(section, str) and section not in sections:
            known = ", ".join(sorted(str(s) for s in sections)) or "none in this file"
            problems.append((("objects", index, "section"),
                             f"no question_section {section!r} in this file (sections: {known})"))
        problems.extend(_dependency_problems(index, obj, questions))
    return problems


def _dependency_problems(index: int, obj: dict[str, Any], questions: dict[Any, Any]) -> list[tuple[Location, str]]:
    depends = obj.get("depends_on")
    if not isinstance(depends, dict) or not isinstance(depends.get("question"), str):
        return []
    where: Location = ("objects", index, "depends_on")
    target_id = depends["question"]
    target = questions.get(target_id)
    if target is None:
        return [((*where, "question"), f"no question {target_id!r} in this file")]
    own_order, target_order = obj.get("order"), target.get("order")
    if target_id == obj.get("ref_id"):
        return [((*where, "question"), "a question cannot depend on itself")]
    if isinstance(own_order, int) and isinstance(target_order, int) and target_order >= own_order:
        return [((*where, "question"), f"{target_id} (order {target_order}) is not asked before this question "
                                       f"(order {own_order}); a question may only depend on an earlier one")]
    problems: list[tuple[Location, str]] = []
    if obj.get("depth") == "quick" and target.get("depth") == "full":
        problems.append(((*where, "question"), f"a quick question cannot depend on {target_id}, which is "
                                               "only asked in the full assessment"))
    choices = target.get("choices")
    if not isinstance(choices, list):
        problems.append(((*where, "question"), f"{target_id} has no choices to depend on"))
        return problems
    ids = [c.get("id") for c in choices if isinstance(c, dict)]
    any_of = depends.get("any_of")
    for position, choice_id in enumerate(any_of if isinstance(any_of, list) else []):
        if choice_id not in ids:
            problems.append(((*where, "any_of", position),
                             f"{target_id} has no choice {choice_id!r} (choices: {', '.join(map(str, ids))})"))
    return problems


def band_problems(bands: list[tuple[float, float | None]]) -> list[str]:
    """Empty or reversed bands (min, max), overlaps, and an open band below another one.

    A band holds ``min <= value < max``, so [0, 5) and [5, 10) touch without overlapping. Gaps
    are allowed: a value in a gap moves no rating.
    """
    problems = []
    for index, (low, high) in enumerate(bands):
        if high is not None and high <= low:
            problems.append(f"bands[{index}]: max ({high:g}) must be greater than min ({low:g})")
    if problems:
        return problems
    ordered = sorted(enumerate(bands), key=lambda pair: pair[1][0])
    for (low_index, (low_min, low_max)), (high_index, (high_min, _)) in itertools.pairwise(ordered):
        if low_max is None or high_min < low_max:
            upper = "open" if low_max is None else f"{low_max:g}"
            problems.append(f"bands[{high_index}] (from {high_min:g}) overlaps bands[{low_index}] "
                            f"({low_min:g} to {upper})")
    return problems
