"""Consistency checks of an assessment, kept as data: each has an id, a severity and a message.

A check's ``rule`` is a pure function of an ``AssessmentSnapshot`` (plain values copied from the
assessment) that returns the hits; ``run_checks`` turns them into ``Finding`` rows for a page or a
report. The checks and their thresholds are Stoa's documented defaults (issue 3; research notes,
protect-methodology.md §7.3 and §7.5, where the method leaves these points open):

* ``C-OVERRIDE-NO-JUSTIFICATION`` (error): a rating differs from the proposal without a written reason.
* ``C-NOT-APPLICABLE-NO-REASON`` (error): a threat type is set aside as not applicable without a reason.
* ``C-THREAT-UNRATED`` (warning): an applicable threat type lacks a likelihood or a consequence,
  or has no scenario at all.
* ``C-HIGH-CONSEQ-NO-MEASURE`` (warning): a consequence in the top two values of the scale (4 or 5
  on 1–5) while no existing measure is recorded against that threat type (a measure recorded
  against ``ALL`` counts for every threat type).
* ``C-REVIEW-OVERDUE`` (warning): today is after the created date plus the review cycle (default
  12 months; a cycle ending on a day the month lacks ends on its last day).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

ALL_THREATS = "ALL"
ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class ScenarioSnapshot:
    threat: str  # threat ref_id
    likelihood: int | None = None
    consequence: int | None = None
    overridden: bool = False
    override_justification: str = ""
    not_applicable: bool = False
    not_applicable_reason: str = ""


@dataclass(frozen=True)
class AssessmentSnapshot:
    scenarios: Sequence[ScenarioSnapshot]
    created: date
    today: date
    measures_per_threat: Mapping[str, int] = field(default_factory=dict)  # ref_id or ALL → count
    review_cycle_months: int = 12
    threats: Sequence[str] = ()  # the threat types every assessment must cover
    consequence_max: int = 5  # top of the assessment matrix's consequence scale


@dataclass(frozen=True)
class Hit:
    threat: str | None = None  # None when the finding is about the whole assessment
    params: Mapping[str, Any] = field(default_factory=dict)  # values filled into the message text


@dataclass(frozen=True)
class Check:
    id: str
    severity: str
    message_en: str
    message_fr: str
    rule: Callable[[AssessmentSnapshot], list[Hit]]


@dataclass(frozen=True)
class Finding:
    check: str
    severity: str
    threat: str | None
    message_en: str
    message_fr: str
    params: Mapping[str, Any] = field(default_factory=dict)  # for a message in another language


def add_months(start: date, months: int) -> date:
    years, month_index = divmod(start.month - 1 + months, 12)
    year, month = start.year + years, month_index + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _blank(text: str) -> bool:
    return not text.strip()


def _override_without_reason(snapshot: AssessmentSnapshot) -> list[Hit]:
    return [Hit(s.threat) for s in snapshot.scenarios
            if s.overridden and not s.not_applicable and _blank(s.override_justification)]


def _not_applicable_without_reason(snapshot: AssessmentSnapshot) -> list[Hit]:
    return [Hit(s.threat) for s in snapshot.scenarios if s.not_applicable and _blank(s.not_applicable_reason)]


def _unrated(snapshot: AssessmentSnapshot) -> list[Hit]:
    hits = [Hit(s.threat) for s in snapshot.scenarios
            if not s.not_applicable and (s.likelihood is None or s.consequence is None)]
    present = {s.threat for s in snapshot.scenarios}
    return hits + [Hit(threat) for threat in snapshot.threats if threat not in present]


def _high_consequence_unprotected(snapshot: AssessmentSnapshot) -> list[Hit]:
    threshold = snapshot.consequence_max - 1
    counts = snapshot.measures_per_threat
    return [Hit(s.threat, {"consequence": s.consequence}) for s in snapshot.scenarios
            if not s.not_applicable and s.consequence is not None and s.consequence >= threshold
            and counts.get(s.threat, 0) + counts.get(ALL_THREATS, 0) == 0]


def _review_overdue(snapshot: AssessmentSnapshot) -> list[Hit]:
    due = add_months(snapshot.created, snapshot.review_cycle_months)
    return [Hit(None, {"due": due.isoformat()})] if snapshot.today > due else []


CHECKS: list[Check] = [
    Check("C-OVERRIDE-NO-JUSTIFICATION", ERROR,
          "The rating was changed from the proposal without a written justification.",
          "La cotation a été modifiée par rapport à la proposition sans justification écrite.",
          _override_without_reason),
    Check("C-NOT-APPLICABLE-NO-REASON", ERROR,
          "The threat type is marked not applicable without a reason.",
          "Le type de menace est marqué non applicable sans raison.",
          _not_applicable_without_reason),
    Check("C-THREAT-UNRATED", WARNING,
          "The threat type has no likelihood or no consequence yet.",
          "Le type de menace n'a pas encore de vraisemblance ou de conséquences.",
          _unrated),
    Check("C-HIGH-CONSEQ-NO-MEASURE", WARNING,
          "Consequence {consequence} is high, yet no existing measure is recorded against this threat type.",
          "Les conséquences ({consequence}) sont élevées, mais aucune mesure existante n'est "
          "enregistrée contre ce type de menace.",
          _high_consequence_unprotected),
    Check("C-REVIEW-OVERDUE", WARNING,
          "The assessment is older than its review cycle: it was due for review on {due}.",
          "L'évaluation a dépassé son cycle de revue : elle devait être revue le {due}.",
          _review_overdue),
]


def run_checks(snapshot: AssessmentSnapshot, checks: Sequence[Check] = CHECKS) -> list[Finding]:
    """Every finding of CHECKS on SNAPSHOT, in the order of the checks."""
    return [Finding(check.id, check.severity, hit.threat,
                    check.message_en.format(**hit.params), check.message_fr.format(**hit.params), hit.params)
            for check in checks for hit in check.rule(snapshot)]
