"""Test data for the catalogue tests: one small measure of our own (fast), or the shipped measures."""

from __future__ import annotations

from typing import Any

from stoa.library.loader import load_library, shipped_files
from stoa.library.models import ReferenceObject
from tests.factories import test_library

MEASURE_FILES = ("measures-physical.yaml", "measures-technology.yaml", "measures-organisational.yaml",
                 "scenario-templates.yaml", "attack-phases.yaml", "threat-types.yaml", "technology-categories.yaml",
                 "measure-uses.yaml")


def measure_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "technology_category": "PHYSICAL", "solution_type": "physical_design", "timing": "structural",
        "application": ["target_hardening"], "phases": ["EXECUTION"], "uses": ["PROTECT"],
        "effects": [{"threat": "VEHICLE", "likelihood": 0.7, "consequence": 0.0,
                     "basis": {"en": "Stops the test vehicle.", "fr": "Arrête le véhicule d'essai."}}],
        "cost": {"capital_eur": [40000, 60000], "yearly_eur": [500, 1500],
                 "basis": {"en": "one entrance", "fr": "une entrée"}},
        "deploy_days": [30, 90], "trl": 9, "privacy": "none", "gdpr": False, "normal_use_impact": "low",
        "aesthetic_impact": "medium", "accessibility_impact": "low", "standards": ["IWA 14-1:2013"],
        "questions": [],
    }
    data.update(overrides)
    return data


REFERENCE_FILES = ("attack-phases.yaml", "threat-types.yaml", "technology-categories.yaml", "measure-uses.yaml")


def load_reference() -> None:
    """The small libraries a measure refers to (threat types, phases, categories, uses)."""
    if ReferenceObject.objects.filter(kind="measure_use").exists():
        return
    for path in shipped_files():
        if path.name in REFERENCE_FILES:
            load_library(path)


def make_measure(ref_id: str = "TEST_BOLLARDS", name: str = "Test bollards", *, with_reference: bool = True,
                 **overrides: Any) -> ReferenceObject:
    """A measure of our own; WITH_REFERENCE also loads the libraries its form needs (slower)."""
    if with_reference:
        load_reference()
    existing = ReferenceObject.objects.filter(kind="measure", ref_id=ref_id).first()
    if existing:
        return existing
    slug = ref_id.lower().replace("_", "-")
    return ReferenceObject.objects.create(
        library=test_library(), kind="measure", urn=f"urn:stoa:measure:{slug}", ref_id=ref_id, name=name,
        description=f"{name}, for the tests.", translations={"fr": {"name": f"{name} (fr)", "description": "Test."}},
        data=measure_data(**overrides))


def load_catalogue() -> None:
    """The shipped measures and scenario templates with the libraries they refer to."""
    for path in shipped_files():
        if path.name in MEASURE_FILES:
            load_library(path)
