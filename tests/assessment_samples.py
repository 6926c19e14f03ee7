"""Test data for the assessment tests: the shipped threat types, attack phases and risk matrix, and a
small question bank of our own (one question of each type), so the tests do not hang on the
wording of the shipped bank."""

from __future__ import annotations

from typing import Any

from stoa.assessments.models import Assessment
from stoa.assessments.services import create_assessment
from stoa.library.loader import load_library, shipped_files
from stoa.library.models import Library, ReferenceObject
from stoa.sites.models import Site

SHIPPED = ("threat-types.yaml", "attack-phases.yaml", "risk-matrix.yaml")
BANK_URN = "urn:stoa:test:question-bank"


def _effect(threat: str, dimension: str, delta: float) -> dict[str, Any]:
    return {"threat": threat, "dimension": dimension, "delta": delta,
            "basis": {"en": f"why {threat}", "fr": "pourquoi"}}


QUESTIONS: list[dict[str, Any]] = [
    {"ref_id": "T01", "type": "yesno", "depth": "quick", "choices": [
        {"id": "yes", "label": {"en": "Yes", "fr": "Oui"}, "effects": [_effect("VEHICLE", "likelihood", -1.0)]},
        {"id": "no", "label": {"en": "No", "fr": "Non"}, "effects": [_effect("VEHICLE", "likelihood", 1.0)]},
        {"id": "unknown", "label": {"en": "Don't know", "fr": "Je ne sais pas"}, "effects": []}]},
    {"ref_id": "T02", "type": "number", "depth": "quick", "bands": [
        {"min": 0, "max": 1000, "effects": []},
        {"min": 1000, "max": None, "effects": [_effect("ALL", "consequence", 1.0)]}]},
    {"ref_id": "T03", "type": "multiple", "depth": "quick", "choices": [
        {"id": "cctv", "label": {"en": "Cameras", "fr": "Caméras"}, "effects": []},
        {"id": "guards", "label": {"en": "Guards", "fr": "Gardes"},
         "effects": [_effect("FIREARMS", "likelihood", -0.5)]}]},
    {"ref_id": "T04", "type": "text", "depth": "quick"},
    {"ref_id": "T05", "type": "single", "depth": "full", "choices": [
        {"id": "low", "label": {"en": "Low", "fr": "Faible"}, "effects": []},
        {"id": "high", "label": {"en": "High", "fr": "Élevé"}, "effects": [_effect("ALL", "consequence", 1.0)]}]},
]


def load_assessment_libraries() -> None:
    wanted = [path for path in shipped_files() if path.name in SHIPPED]
    for path in wanted:
        load_library(path)
    library, _ = Library.objects.get_or_create(
        urn=BANK_URN, defaults={"version": 3, "provider": "tests", "name": "Test bank", "sha256": "0" * 64})
    ReferenceObject.objects.get_or_create(
        kind="question_section", ref_id="PROFILE", defaults={
            "library": library, "urn": "urn:stoa:test:question-section:profile", "name": "Site profile", "order": 1,
            "data": {}})
    for order, question in enumerate(QUESTIONS, start=1):
        data = {k: v for k, v in question.items() if k != "ref_id"}
        data.update(section="PROFILE", threats=["ALL"], guidance={"en": "Look around.", "fr": "Regardez."})
        ReferenceObject.objects.get_or_create(
            kind="question", ref_id=question["ref_id"], defaults={
                "library": library, "urn": f"urn:stoa:test:question:{question['ref_id'].lower()}",
                "name": f"Question {question['ref_id']}", "order": order, "data": data})


def make_assessment(site: Site, **kw: Any) -> Assessment:
    load_assessment_libraries()
    return create_assessment(site, **kw)
