"""The shipped measures catalogue and scenario templates: coverage, references, and refusal of bad files."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from stoa.library import catalogue_schema, loader
from stoa.library.models import ReferenceObject
from tests.library_files import shipped, snapshot, variant

MEASURE_FILES = ["measures-physical.yaml", "measures-technology.yaml", "measures-organisational.yaml"]


def _measures() -> list[dict]:
    return [o for name in MEASURE_FILES for o in shipped(name)["objects"]]


def test_at_least_eighty_measures_of_every_solution_type():
    measures = _measures()
    assert len(measures) >= 80
    types = Counter(m["solution_type"] for m in measures)
    assert set(types) == set(catalogue_schema.SOLUTION_TYPES) and min(types.values()) >= 20


def test_every_threat_type_has_measures_on_likelihood_and_on_consequence():
    from stoa.library.schema import THREAT_REF_IDS

    effects = [e for m in _measures() for e in m["effects"]]
    for threat in THREAT_REF_IDS:
        named = [e for e in effects if e["threat"] == threat]
        assert any(e.get("likelihood", 0) > 0 for e in named), threat
        assert any(e.get("consequence", 0) > 0 for e in effects if e["threat"] in (threat, "ALL")), threat


def test_every_measure_names_a_source_an_effect_basis_and_its_costs():
    for m in _measures():
        assert m["sources"], m["urn"]
        assert all(e["basis"]["en"] and e["basis"]["fr"] for e in m["effects"]), m["urn"]
        assert m["cost"]["basis"]["en"] and m["cost"]["basis"]["fr"], m["urn"]


def test_urns_and_ref_ids_are_unique_across_the_catalogue_files():
    measures = _measures()
    assert len({m["urn"] for m in measures}) == len(measures)
    assert len({m["ref_id"] for m in measures}) == len(measures)


def test_the_questions_a_measure_answers_exist_in_the_shipped_bank():
    bank = {o["ref_id"] for o in shipped("question-bank.yaml")["objects"]}
    stray = {(m["ref_id"], q) for m in _measures() for q in m.get("questions", []) if q not in bank}
    assert stray == set()


def test_the_schema_reference_lists_match_the_shipped_libraries():
    def ref_ids(name: str) -> set[str]:
        return {o["ref_id"] for o in shipped(name)["objects"]}

    assert set(catalogue_schema.PHASE_REF_IDS) == ref_ids("attack-phases.yaml")
    assert set(catalogue_schema.USE_REF_IDS) == ref_ids("measure-uses.yaml")
    assert set(catalogue_schema.TECHNOLOGY_REF_IDS) == ref_ids("technology-categories.yaml")
    assert set(catalogue_schema.PSOI_CATEGORY_REF_IDS) == ref_ids("psoi-categories.yaml")


def test_scenario_templates_cover_every_threat_type_and_the_named_examples():
    from stoa.library.schema import THREAT_REF_IDS

    templates = shipped("scenario-templates.yaml")["objects"]
    assert {t["threat"] for t in templates} == set(THREAT_REF_IDS)
    wanted = {("VEHICLE", "SQUARE"), ("FIREARMS", "TRANSPORT_HUB"), ("IED", "CULTURAL"), ("UAVIED", "CULTURAL")}
    found = {(t["threat"], c) for t in templates for c in t["categories"]}
    assert wanted <= found


def _refused(path) -> list[str]:
    before = snapshot()
    with pytest.raises(loader.LibraryError) as caught:
        loader.load_library(path)
    assert snapshot() == before
    return caught.value.messages


def test_a_broken_catalogue_file_is_refused_with_precise_messages_and_nothing_is_loaded(db, tmp_path):
    def spoil(data: dict) -> None:
        data["objects"][0]["effects"][0]["likelihood"] = 1.5
        data["objects"][1]["phases"] = ["EXECUTION", "LUNCH"]
        data["objects"][2]["cost"]["capital_eur"] = [9000, 100]

    messages = _refused(variant(tmp_path, "measures-physical.yaml", spoil))
    assert len(messages) == 3
    assert "objects[0] (urn:stoa:measure:rated-fixed-bollards): effects[0].likelihood:" in messages[0]
    assert "(line " in messages[0]
    assert "less than or equal to 1" in messages[0]
    assert "objects[1]" in messages[1] and "unknown attack phase 'LUNCH'" in messages[1]
    assert "objects[2]" in messages[2] and "cost.capital_eur" in messages[2] and "low <= high" in messages[2]
    assert not ReferenceObject.objects.filter(kind="measure").exists()


def test_an_effect_of_nothing_is_refused(db, tmp_path):
    def spoil(data: dict) -> None:
        data["objects"][0]["effects"][0].update(likelihood=0, consequence=0)

    messages = _refused(variant(tmp_path, "measures-physical.yaml", spoil))
    assert len(messages) == 1 and "needs a likelihood or a consequence above 0" in messages[0]


def test_a_template_about_all_threats_is_refused(db, tmp_path):
    def spoil(data: dict) -> None:
        data["objects"][0]["threat"] = "ALL"

    messages = _refused(variant(tmp_path, "scenario-templates.yaml", spoil))
    assert len(messages) == 1 and "about one threat type" in messages[0]


def test_the_shipped_catalogue_loads(db):
    outcomes = loader.load_files([loader.CONTENT_DIR / name for name in MEASURE_FILES])
    assert sum(o.created for o in outcomes) == len(_measures())
    assert yaml.safe_load(outcomes[0].library.content["yaml"])["objects"]


def test_a_library_upgrade_leaves_a_citys_own_measures_alone(db, org, tmp_path):
    from stoa.catalogue.entries import catalogue_for
    from stoa.catalogue.models import LocalMeasure
    from tests.catalogue_samples import load_reference, measure_data

    load_reference()
    loader.load_library(loader.CONTENT_DIR / "measures-physical.yaml")
    urn = "urn:stoa:measure:rated-fixed-bollards"
    own = LocalMeasure.objects.create(organisation=org, name="Our bollards", description="Ours.", based_on=urn,
                                      data=measure_data())

    def upgrade(data: dict) -> None:
        data["version"] += 1  # the next version of whatever is shipped
        data["objects"][0]["effects"][0]["likelihood"] = 0.6

    loader.load_library(variant(tmp_path, "measures-physical.yaml", upgrade))
    assert ReferenceObject.objects.get(urn=urn).data["effects"][0]["likelihood"] == 0.6
    own.refresh_from_db()
    assert own.data == measure_data() and own.based_on == urn
    assert catalogue_for(org).get(urn).key == own.key
