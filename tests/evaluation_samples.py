"""Test data for evaluations and RFIs: a small criteria tree (fast), vendors, an RFI, a scored panel."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from stoa.accounts.models import Organisation
from stoa.assessments.models import Assessment
from stoa.evaluation.models import Alternative, Evaluation, Expert, Score
from stoa.library.loader import load_library, shipped_files
from stoa.library.models import ReferenceObject
from stoa.procurement.models import Rfi, RfiInvitation, RfiStatus, Submission
from tests import factories


def _term(en: str) -> dict[str, str]:
    return {"en": en, "fr": f"{en} (fr)"}


def _anchors() -> dict[str, dict[str, str]]:
    return {str(level): _term(f"Level {level}") for level in range(1, 6)}


def small_criteria() -> dict[str, Any]:
    """Three criteria in three groups: an ordinal benefit, a measured cost, an ordinal with a knock-out."""
    return {"cost_horizon_years": 10, "groups": [
        {"id": "PERFORMANCE", "name": _term("Performance"), "criteria": [
            {"id": "EFFECT", "name": _term("Effect"), "description": _term("Effect on the threat."),
             "direction": "benefit", "scale": {"type": "ordinal", "anchors": _anchors()},
             "suggest_from": "effect", "default_points": 50}]},
        {"id": "COST", "name": _term("Cost"), "criteria": [
            {"id": "CAPITAL", "name": _term("Capital cost"), "description": _term("Cost to buy and install."),
             "direction": "cost", "scale": {"type": "measured", "unit": _term("euros"), "worst": 200000, "best": 0},
             "suggest_from": "capital_eur", "default_points": 30}]},
        {"id": "COMPLIANCY", "name": _term("Compliancy"), "criteria": [
            {"id": "PRIVACY", "name": _term("Privacy"), "description": _term("Respect for privacy."),
             "direction": "benefit", "scale": {"type": "ordinal", "anchors": _anchors()},
             "knockout": {"min": 2}, "stages": ["rfi", "demonstration"], "default_points": 20}]},
    ]}


def load_criteria_library() -> ReferenceObject:
    """The shipped criteria sets (criteria-sets.yaml); returns the default TEF set."""
    if not ReferenceObject.objects.filter(kind="criteria_set").exists():
        for path in shipped_files():
            if path.name == "criteria-sets.yaml":
                load_library(path)
    return ReferenceObject.objects.get(kind="criteria_set", urn="urn:stoa:criteria-set:tef-default")


def make_evaluation(assessment: Assessment, criteria: dict[str, Any] | None = None, **kw: Any) -> Evaluation:
    scenario = kw.pop("scenario", None) or assessment.scenarios.filter(threat__ref_id="VEHICLE").first()
    return Evaluation.objects.create(
        assessment=assessment, scenario=scenario, title=kw.pop("title", "Entrances against vehicles"),
        criteria=criteria or small_criteria(), criteria_source=kw.pop("criteria_source", "tests"), **kw)


def make_vendor(name: str = "Barrier Works", slug: str = "barrier-works", username: str | None = None) -> tuple[
        Organisation, Any]:
    vendor = factories.make_org(kind="vendor", name=name, slug=slug)
    user = factories.make_user(vendor, "admin", username=username or f"{slug}-user")
    return vendor, user


def make_rfi(assessment: Assessment, *, evaluation: Evaluation | None = None, published: bool = True,
             invite: list[Organisation] | None = None, open_for: timedelta = timedelta(days=14), **kw: Any) -> Rfi:
    now = timezone.now()
    rfi = Rfi.objects.create(
        assessment=assessment, evaluation=evaluation, title=kw.pop("title", "Vehicle barriers for the market"),
        problem=kw.pop("problem", "A square with four street entrances needs protection against vehicles."),
        threats=kw.pop("threats", ["VEHICLE"]), opens_at=kw.pop("opens_at", now - timedelta(days=1)),
        closes_at=kw.pop("closes_at", now + open_for),
        status=RfiStatus.PUBLISHED if published else RfiStatus.DRAFT,
        published_at=now if published else None, **kw)
    for vendor in invite or []:
        RfiInvitation.objects.create(rfi=rfi, vendor=vendor)
    return rfi


def make_submission(rfi: Rfi, vendor: Organisation, **kw: Any) -> Submission:
    defaults: dict[str, Any] = {"solution": "Shallow bollards", "description": "Rated shallow-mount bollards.",
                                "threats": ["VEHICLE"], "trl": 9, "capital_eur": 80000, "yearly_eur": 2000}
    defaults.update(kw)
    return Submission.objects.create(rfi=rfi, organisation=vendor, **defaults)


def score_panel(evaluation: Evaluation, table: dict[str, dict[str, dict[str, float]]],
                stage: str = "rfi") -> dict[str, Any]:
    """Alternatives, experts and scores from TABLE = {expert: {alternative: {criterion: value}}}."""
    alternatives: dict[str, Alternative] = {}
    experts: dict[str, Expert] = {}
    for expert_name, rows in table.items():
        expert = experts.get(expert_name) or Expert.objects.create(
            evaluation=evaluation, name=expert_name, conflicts="none")
        experts[expert_name] = expert
        for alt_name, cells in rows.items():
            alternative = alternatives.get(alt_name) or Alternative.objects.get_or_create(
                evaluation=evaluation, name=alt_name, defaults={"organisation_id": evaluation.organisation_id})[0]
            alternatives[alt_name] = alternative
            for criterion, value in cells.items():
                Score.objects.create(evaluation=evaluation, expert=expert, alternative=alternative,
                                     criterion=criterion, stage=stage, value=value)
    return {"alternatives": alternatives, "experts": experts}
