"""The shipped TEF criteria sets: their content, how they are stored, and refusal of bad sets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from stoa.library import criteria_schema, loader
from stoa.library.criteria_schema import CRITERIA_STAGES, SUGGEST_FROM, CriteriaSetFields
from stoa.library.models import ReferenceObject
from tests.library_files import shipped, snapshot, variant

FILE = "criteria-sets.yaml"
DEFAULT = "urn:stoa:criteria-set:tef-default"
QUICK = "urn:stoa:criteria-set:tef-quick"
TEF_GROUPS = ["PERFORMANCE", "READINESS", "PHYSICAL", "COST", "COMPLIANCY", "OTHER"]
# (group, criterion, direction, scale type, suggest_from) of the default set, in order.
DEFAULT_CRITERIA = [
    ("PERFORMANCE", "PERF_EFFECT", "benefit", "ordinal", "effect"),
    ("PERFORMANCE", "PERF_DETECTION", "benefit", "measured", None),
    ("PERFORMANCE", "PERF_FALSE_ALARMS", "cost", "measured", None),
    ("READINESS", "READY_MATURITY", "benefit", "measured", "trl"),
    ("READINESS", "READY_DELIVERY", "cost", "measured", "deploy_days"),
    ("PHYSICAL", "PHYS_FOOTPRINT", "benefit", "ordinal", None),
    ("PHYSICAL", "PHYS_INSTALLATION", "benefit", "ordinal", None),
    ("PHYSICAL", "PHYS_INTEGRATION", "benefit", "ordinal", None),
    ("COST", "COST_CAPITAL", "cost", "measured", "capital_eur"),
    ("COST", "COST_RUNNING", "cost", "measured", "yearly_eur"),
    ("COST", "COST_TOTAL", "cost", "measured", "total_cost_eur"),
    ("COMPLIANCY", "COMP_LEGAL", "benefit", "ordinal", None),
    ("COMPLIANCY", "COMP_PRIVACY", "benefit", "ordinal", "privacy"),
    ("COMPLIANCY", "COMP_ETHICS", "benefit", "ordinal", None),
    ("OTHER", "OTHER_NORMAL_USE", "benefit", "ordinal", "normal_use"),
    ("OTHER", "OTHER_AESTHETICS", "benefit", "ordinal", "aesthetic"),
    ("OTHER", "OTHER_ACCESSIBILITY", "benefit", "ordinal", "accessibility"),
    ("OTHER", "OTHER_ACCEPTANCE", "benefit", "ordinal", None),
]


def _sets() -> dict[str, dict[str, Any]]:
    # As read by the loader: the file with its translations/<lang>/ texts merged in.
    from stoa.library import yamlfile
    from stoa.library.loader import CONTENT_DIR

    return {o["urn"]: o for o in yamlfile.read(CONTENT_DIR / FILE).raw["objects"]}


def _criteria(criteria_set: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(group["id"], criterion) for group in criteria_set["groups"] for criterion in group["criteria"]]


def _terms(node: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    """Every bilingual term ({en, fr}) under NODE, with where it is."""
    if isinstance(node, dict):
        if "en" in node:
            yield where, node
        for key, value in node.items():
            yield from _terms(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _terms(value, f"{where}[{index}]")


def _stored_shape(criteria_set: dict[str, Any]) -> list[dict[str, Any]]:
    """The YAML groups as the loader stores them: JSON keys for the anchors, optional fields null."""
    groups = []
    for group in criteria_set["groups"]:
        criteria = []
        for criterion in group["criteria"]:
            stored = {"knockout": None, "stages": list(CRITERIA_STAGES), "suggest_from": None,
                      "default_points": None, **criterion}
            if criterion.get("knockout"):
                stored["knockout"] = {"min": None, "max": None, **criterion["knockout"]}
            if criterion["scale"]["type"] == "ordinal":
                stored["scale"] = {**criterion["scale"],
                                   "anchors": {str(k): v for k, v in criterion["scale"]["anchors"].items()}}
            criteria.append(stored)
        groups.append({**group, "criteria": criteria})
    return groups


# --- shipped content -------------------------------------------------------------------------

def test_the_shipped_file_loads_each_set_as_one_reference_object_in_the_yaml_shape(db):
    outcome = loader.load_library(loader.CONTENT_DIR / FILE)
    assert outcome.created == 2
    rows = {row.urn: row for row in ReferenceObject.objects.filter(kind="criteria_set")}
    assert set(rows) == {DEFAULT, QUICK}
    for urn, source in _sets().items():
        row = rows[urn]
        assert (row.ref_id, row.name, row.description) == (source["ref_id"], source["name"], source["description"])
        assert row.translations == source["translations"]
        assert set(row.data) == {"sources", "cost_horizon_years", "groups"}
        assert row.data["cost_horizon_years"] == source["cost_horizon_years"] == 10
        assert row.data["groups"] == _stored_shape(source)


def test_the_stored_data_validates_again_as_a_criteria_set(db):
    """Code that reads a set back from the database (string anchor keys) gets the same set."""
    loader.load_library(loader.CONTENT_DIR / FILE)
    for row in ReferenceObject.objects.filter(kind="criteria_set"):
        fields = CriteriaSetFields.model_validate({k: v for k, v in row.data.items() if k != "sources"})
        assert fields.model_dump(mode="json") == {k: v for k, v in row.data.items() if k != "sources"}
        assert all(set(c.scale.anchors) == {1, 2, 3, 4, 5} for g in fields.groups for c in g.criteria
                   if isinstance(c.scale, criteria_schema.OrdinalScale))


def test_the_default_set_has_the_six_tef_groups_and_their_criteria():
    default = _sets()[DEFAULT]
    assert [group["id"] for group in default["groups"]] == TEF_GROUPS
    found = [(g, c["id"], c["direction"], c["scale"]["type"], c.get("suggest_from")) for g, c in _criteria(default)]
    assert found == DEFAULT_CRITERIA
    assert {c.get("suggest_from") for _, c in _criteria(default)} - {None} == set(SUGGEST_FROM)


def test_the_default_measured_scales_run_the_documented_way():
    scales = {c["id"]: c["scale"] for _, c in _criteria(_sets()[DEFAULT]) if c["scale"]["type"] == "measured"}
    assert (scales["PERF_DETECTION"]["worst"], scales["PERF_DETECTION"]["best"]) == (50, 99)
    assert (scales["PERF_FALSE_ALARMS"]["worst"], scales["PERF_FALSE_ALARMS"]["best"]) == (20, 0)
    assert (scales["READY_MATURITY"]["worst"], scales["READY_MATURITY"]["best"]) == (1, 9)
    for ref in ("COST_CAPITAL", "COST_RUNNING", "COST_TOTAL"):
        assert scales[ref]["best"] == 0 < scales[ref]["worst"], ref
    assert scales["COST_CAPITAL"]["worst"] < scales["COST_TOTAL"]["worst"]


def test_the_default_set_uses_equal_weights_and_knocks_out_only_unlawful_or_unjustifiable_solutions():
    criteria = dict((c["id"], c) for _, c in _criteria(_sets()[DEFAULT]))
    assert not any("default_points" in c for c in criteria.values())
    assert {ref: c["knockout"] for ref, c in criteria.items() if "knockout" in c} == {
        "COMP_LEGAL": {"min": 2}, "COMP_PRIVACY": {"min": 2}}
    for ref in ("COMP_LEGAL", "COMP_PRIVACY"):
        assert "knocks the solution out" in criteria[ref]["description"]["en"]


def test_the_quick_set_has_one_or_two_ordinal_criteria_per_group_and_points_for_each():
    quick = _sets()[QUICK]
    assert [group["id"] for group in quick["groups"]] == TEF_GROUPS
    assert all(1 <= len(group["criteria"]) <= 2 for group in quick["groups"])
    criteria = [c for _, c in _criteria(quick)]
    assert all(c["scale"]["type"] == "ordinal" for c in criteria)
    assert all(c["default_points"] > 0 for c in criteria) and sum(c["default_points"] for c in criteria) == 100
    default_ids = {c["id"] for _, c in _criteria(_sets()[DEFAULT])}
    assert not default_ids & {c["id"] for c in criteria}


def test_every_term_has_english_and_french_text_and_anchors_differ_by_level():
    terms = list(_terms(shipped(FILE)["objects"]))
    assert len(terms) > 150
    for where, term in terms:
        assert set(term) == {"en", "fr"} and term["en"].strip() and term["fr"].strip(), where
    for criteria_set in _sets().values():
        assert criteria_set["translations"]["fr"]["name"] and criteria_set["translations"]["fr"]["description"]
        for _, criterion in _criteria(criteria_set):
            anchors = criterion["scale"].get("anchors")
            if anchors:
                for language in ("en", "fr"):
                    assert len({anchors[level][language] for level in anchors}) == 5, criterion["id"]


def test_the_schema_lists_the_stages_and_suggestion_sources():
    assert CRITERIA_STAGES == ("rfi", "demonstration", "tabletop")
    assert SUGGEST_FROM == ("effect", "trl", "capital_eur", "yearly_eur", "total_cost_eur", "deploy_days",
                            "privacy", "normal_use", "aesthetic", "accessibility")


# --- refusing bad sets -----------------------------------------------------------------------

def _criterion(data: dict[str, Any], group: int, index: int) -> dict[str, Any]:
    return data["objects"][0]["groups"][group]["criteria"][index]


def _set(data: dict[str, Any]) -> dict[str, Any]:
    return data["objects"][0]


AT = "criteria-sets.yaml: objects[0] (urn:stoa:criteria-set:tef-default): "
BAD_SETS: list[tuple[str, Callable[[dict[str, Any]], Any], str]] = [
    ("repeated group id", lambda d: _set(d)["groups"][1].update(id="PERFORMANCE"),
     "groups: group ids must be unique in the set: 'PERFORMANCE' is used by groups[0] and groups[1]"),
    ("repeated criterion id", lambda d: _criterion(d, 5, 0).update(id="PERF_EFFECT"),
     "groups: criterion ids must be unique across the set: 'PERF_EFFECT' is used by groups[0].criteria[0] "
     "and groups[5].criteria[0]"),
    ("no group", lambda d: _set(d).update(groups=[]), "groups: list should have at least 1 item"),
    ("empty group", lambda d: _set(d)["groups"][2].update(criteria=[]),
     "groups[2].criteria: list should have at least 1 item"),
    ("anchor missing", lambda d: _criterion(d, 0, 0)["scale"]["anchors"].pop(5),
     "groups[0].criteria[0].scale.anchors: anchors must be exactly the levels 1, 2, 3, 4 and 5; missing: 5"),
    ("anchor extra", lambda d: _criterion(d, 2, 0)["scale"]["anchors"].update({6: {"en": "x", "fr": "x"}}),
     "groups[2].criteria[0].scale.anchors: anchors must be exactly the levels 1, 2, 3, 4 and 5; unexpected: 6"),
    ("benefit upside down", lambda d: _criterion(d, 0, 1)["scale"].update(worst=99, best=50),
     "groups[0].criteria[1].scale: a benefit criterion (a higher raw value is better) needs best above worst; "
     "found worst 99, best 50"),
    ("cost upside down", lambda d: _criterion(d, 3, 0)["scale"].update(worst=0, best=500000),
     "groups[3].criteria[0].scale: a cost criterion (a higher raw value is worse) needs best below worst; "
     "found worst 0, best 500000"),
    ("worst equals best", lambda d: _criterion(d, 1, 0)["scale"].update(worst=5, best=5),
     "groups[1].criteria[0].scale: worst and best must differ, both are 5"),
    ("unknown scale type", lambda d: _criterion(d, 2, 1)["scale"].update(type="likert"),
     "groups[2].criteria[1].scale: type: expected one of: ordinal, measured; got 'likert'"),
    ("knockout off the scale", lambda d: _criterion(d, 4, 0).update(knockout={"min": 0}),
     "groups[4].criteria[0].knockout: an ordinal knockout must lie within the scale 1 to 5; found min 0"),
    ("knockout min above max", lambda d: _criterion(d, 4, 1).update(knockout={"min": 4, "max": 2}),
     "groups[4].criteria[1].knockout: knockout min (4) must not be above max (2)"),
    ("empty knockout", lambda d: _criterion(d, 4, 2).update(knockout={}),
     "groups[4].criteria[2].knockout: a knockout needs min, max or both"),
    ("unknown stage", lambda d: _criterion(d, 0, 1).update(stages=["rfi", "demo"]),
     "groups[0].criteria[1].stages: unknown stage 'demo'; expected one of: rfi, demonstration, tabletop"),
    ("unknown suggestion", lambda d: _criterion(d, 3, 1).update(suggest_from="price"),
     "groups[3].criteria[1].suggest_from: unknown suggestion source 'price'; expected one of: effect, trl,"),
    ("points not above 0", lambda d: _criterion(d, 5, 3).update(default_points=0),
     "groups[5].criteria[3].default_points: points must be above 0, got 0"),
    ("anchor without French", lambda d: _criterion(d, 0, 0)["scale"]["anchors"][3].pop("fr"),
     "groups[0].criteria[0].scale.anchors[3].fr: field required"),
    ("group name without French", lambda d: _set(d)["groups"][1]["name"].pop("fr"),
     "groups[1].name.fr: field required"),
    ("unit without French", lambda d: _criterion(d, 0, 2)["scale"]["unit"].pop("fr"),
     "groups[0].criteria[2].scale.unit.fr: field required"),
]


@pytest.mark.parametrize(("change", "expected"), [case[1:] for case in BAD_SETS], ids=[case[0] for case in BAD_SETS])
def test_a_bad_set_gets_one_specific_message_with_its_location(tmp_path, change, expected):
    messages = loader.validate_file(variant(tmp_path, FILE, change))
    assert len(messages) == 1, messages
    assert messages[0].startswith(AT + expected), messages[0]
    assert "(line " in messages[0]


def test_a_file_with_bad_sets_is_refused_whole_naming_every_problem(db, tmp_path):
    def spoil(data: dict[str, Any]) -> None:
        _criterion(data, 0, 1)["scale"].update(worst=99, best=50)
        data["objects"][1]["groups"][0]["criteria"][0]["scale"]["anchors"].pop(1)

    before = snapshot()
    with pytest.raises(loader.LibraryError) as caught:
        loader.load_library(variant(tmp_path, FILE, spoil))
    assert snapshot() == before
    messages = caught.value.messages
    assert len(messages) == 2
    assert messages[0].startswith(AT + "groups[0].criteria[1].scale: a benefit criterion")
    assert messages[1].startswith("criteria-sets.yaml: objects[1] (urn:stoa:criteria-set:tef-quick): "
                                  "groups[0].criteria[0].scale.anchors: anchors must be exactly the levels")
    assert not ReferenceObject.objects.filter(kind="criteria_set").exists()
