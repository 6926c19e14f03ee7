"""Consistency checks: each fires on its case and stays quiet otherwise."""

from __future__ import annotations

from datetime import date

import pytest

from stoa.core.assessment.checks import (
    CHECKS,
    AssessmentSnapshot,
    ScenarioSnapshot,
    add_months,
    run_checks,
)

CREATED = date(2026, 1, 31)


def snapshot(*scenarios: ScenarioSnapshot, today: date = date(2026, 6, 1), **extra: object) -> AssessmentSnapshot:
    return AssessmentSnapshot(list(scenarios), CREATED, today, **extra)  # type: ignore[arg-type]


def found(snap: AssessmentSnapshot) -> list[tuple[str, str | None]]:
    return [(f.check, f.threat) for f in run_checks(snap)]


def test_check_ids_are_unique_and_every_check_has_both_messages() -> None:
    ids = [check.id for check in CHECKS]
    assert len(ids) == len(set(ids))
    assert all(check.message_en and check.message_fr and check.severity in ("error", "warning")
               for check in CHECKS)


def test_a_complete_consistent_assessment_has_no_findings() -> None:
    snap = snapshot(ScenarioSnapshot("VEHICLE", 3, 5), ScenarioSnapshot("IED", 2, 2, overridden=True,
                                                                         override_justification="Seen on site"),
                    ScenarioSnapshot("CHEMICAL", not_applicable=True, not_applicable_reason="Open air"),
                    measures_per_threat={"VEHICLE": 2}, threats=["VEHICLE", "IED", "CHEMICAL"])
    assert run_checks(snap) == []


def test_an_override_without_justification() -> None:
    snap = snapshot(ScenarioSnapshot("IED", 2, 2, overridden=True, override_justification="  "))
    assert found(snap) == [("C-OVERRIDE-NO-JUSTIFICATION", "IED")]
    assert run_checks(snap)[0].severity == "error"


def test_not_applicable_without_reason() -> None:
    assert found(snapshot(ScenarioSnapshot("UAVIED", not_applicable=True))) == [
        ("C-NOT-APPLICABLE-NO-REASON", "UAVIED")]


def test_unrated_and_missing_threat_types() -> None:
    snap = snapshot(ScenarioSnapshot("VEHICLE", 3, None), ScenarioSnapshot("IED", 2, 2),
                    threats=["VEHICLE", "IED", "VBIED"])
    assert found(snap) == [("C-THREAT-UNRATED", "VEHICLE"), ("C-THREAT-UNRATED", "VBIED")]


@pytest.mark.parametrize(("consequence", "measures", "fires"), [
    (4, {}, True), (5, {"IED": 1}, True), (5, {"VEHICLE": 1}, False), (5, {"ALL": 1}, False),
    (3, {}, False), (5, {"VEHICLE": 0}, True),
])
def test_a_high_consequence_with_no_measure(consequence: int, measures: dict[str, int], fires: bool) -> None:
    snap = snapshot(ScenarioSnapshot("VEHICLE", 2, consequence), measures_per_threat=measures)
    assert found(snap) == ([("C-HIGH-CONSEQ-NO-MEASURE", "VEHICLE")] if fires else [])
    if fires:
        assert f"Consequence {consequence} is high" in run_checks(snap)[0].message_en


def test_the_high_consequence_threshold_follows_the_scale() -> None:
    snap = snapshot(ScenarioSnapshot("VEHICLE", 2, 3), consequence_max=4)
    assert found(snap) == [("C-HIGH-CONSEQ-NO-MEASURE", "VEHICLE")]


@pytest.mark.parametrize(("today", "months", "overdue"), [
    (date(2027, 1, 31), 12, False), (date(2027, 2, 1), 12, True),
    (date(2026, 2, 28), 1, False), (date(2026, 3, 1), 1, True), (date(2026, 7, 31), 6, False),
])
def test_review_overdue(today: date, months: int, overdue: bool) -> None:
    snap = snapshot(today=today, review_cycle_months=months)
    assert found(snap) == ([("C-REVIEW-OVERDUE", None)] if overdue else [])
    if overdue:
        assert add_months(CREATED, months).isoformat() in run_checks(snap)[0].message_en


def test_add_months_keeps_the_day_or_the_last_day_of_the_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2026, 5, 15), 12) == date(2027, 5, 15)
