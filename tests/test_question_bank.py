"""The VAT question bank: the shipped content, and the refusal of bad question files."""

from __future__ import annotations

from typing import Any

import pytest

from stoa.library import loader
from stoa.library.loader import LibraryError
from stoa.library.models import ReferenceObject
from stoa.library.schema import THREAT_REF_IDS
from tests.library_files import shipped, snapshot, variant

BANK = "question-bank.yaml"
BANK_URN = "urn:stoa:library:vat-question-bank"


def questions(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for o in data["objects"] if o["kind"] == "question"]


def index_of(data: dict[str, Any], ref_id: str) -> int:
    return next(i for i, o in enumerate(data["objects"]) if o["kind"] == "question" and o["ref_id"] == ref_id)


def question(data: dict[str, Any], ref_id: str) -> dict[str, Any]:
    return data["objects"][index_of(data, ref_id)]


def problems(tmp_path, change) -> list[str]:
    return loader.validate_file(variant(tmp_path, BANK, change))


def where(ref_id: str, field: str) -> str:
    """The start of a message about FIELD of the shipped question REF_ID."""
    index = index_of(shipped(BANK), ref_id)
    return f"{BANK}: objects[{index}] (urn:stoa:question:{ref_id.lower().replace('_', '-')}): {field}: "


def only(messages: list[str]) -> str:
    assert len(messages) == 1, messages
    return messages[0]


# --- shipped content -------------------------------------------------------------------------

def test_shipped_bank_is_valid():
    assert loader.validate_file(loader.CONTENT_DIR / BANK) == []


def test_shipped_bank_header_disclaims_the_official_checklist():
    data = shipped(BANK)
    assert data["urn"] == BANK_URN
    text = (loader.CONTENT_DIR / BANK).read_text(encoding="utf-8")
    assert "NOT THE DG HOME" in text
    assert "not the DG HOME checklist" in data["description"]


def test_shipped_bank_is_big_enough_with_a_quick_scan():
    items = questions(shipped(BANK))
    assert len(items) >= 100
    quick = [q for q in items if q["depth"] == "quick"]
    assert 20 <= len(quick) <= 35
    assert {q["type"] for q in items} == {"single", "multiple", "yesno", "number", "text", "photo"}
    assert sum(1 for q in items if q.get("depends_on")) >= 10


def test_shipped_bank_follows_the_method_sections():
    data = shipped(BANK)
    sections = [o["ref_id"] for o in sorted((o for o in data["objects"] if o["kind"] == "question_section"),
                                            key=lambda o: o["order"])]
    assert sections == ["PROFILE", "MEASURES", "ORGANISATION", "SCENARIO"]
    for section in sections:
        assert any(q["section"] == section for q in questions(data)), section


def test_every_threat_type_has_scenario_questions_in_both_depths():
    scenario = [q for q in questions(shipped(BANK)) if q["section"] == "SCENARIO"]
    for threat in THREAT_REF_IDS:
        about = [q for q in scenario if threat in q["threats"]]
        assert len(about) >= 3, threat
        assert any(q["depth"] == "quick" for q in about), threat
        moving = [e for q in about for c in q.get("choices") or q.get("bands") or [] for e in c.get("effects", [])
                  if e["threat"] == threat]
        assert moving, f"no scenario answer moves {threat}"


def test_every_question_is_bilingual_with_documented_effects():
    for q in questions(shipped(BANK)):
        assert q["guidance"]["en"] and q["guidance"]["fr"], q["ref_id"]
        assert q["translations"]["fr"]["name"], q["ref_id"]
        for option in q.get("choices") or q.get("bands") or []:
            if "label" in option:
                assert option["label"]["en"] and option["label"]["fr"], q["ref_id"]
            for effect in option.get("effects", []):
                assert effect["basis"]["en"] and effect["basis"]["fr"], q["ref_id"]
                assert -1 <= effect["delta"] <= 1


def test_known_threats_are_the_shipped_threat_types():
    threat_file = shipped("threat-types.yaml")
    assert tuple(o["ref_id"] for o in threat_file["objects"]) == THREAT_REF_IDS


def test_loaded_questions_keep_the_whole_object_in_data(db):
    loader.load_shipped()
    row = ReferenceObject.objects.get(kind="question", ref_id="S_VEH_01")
    assert row.library.urn == BANK_URN
    assert row.data["ref_id"] == "S_VEH_01"
    assert row.data["section"] == "SCENARIO"
    assert row.data["order"] == row.order
    assert row.data["bands"][-1]["max"] is None
    assert ReferenceObject.objects.filter(kind="question").count() == len(questions(shipped(BANK)))
    assert ReferenceObject.objects.filter(kind="question_section").count() == 4
    # Other kinds still keep only their own fields in data.
    assert "ref_id" not in ReferenceObject.objects.get(kind="threat_type", ref_id="VEHICLE").data


# --- bad files are refused with precise messages -------------------------------------------------

def test_yesno_with_other_choice_ids_is_refused(tmp_path):
    def change(data):
        question(data, "P05")["choices"][2]["id"] = "maybe"

    message = only(problems(tmp_path, change))
    assert message.startswith(where("P05", "choices"))
    assert "a yesno question has exactly the choices yes, no, unknown in that order; found yes, no, maybe" in message


def test_effect_on_unknown_threat_is_refused(tmp_path):
    def change(data):
        question(data, "P09")["choices"][2]["effects"][0]["threat"] = "TSUNAMI"

    message = only(problems(tmp_path, change))
    assert message.startswith(where("P09", "choices[2].effects[0].threat"))
    assert "unknown threat type 'TSUNAMI'; expected ALL or one of: FIREARMS" in message


def test_effect_outside_the_questions_threats_is_refused(tmp_path):
    def change(data):
        question(data, "S_UAV_01")["choices"][0]["effects"][0]["threat"] = "CHEMICAL"

    message = only(problems(tmp_path, change))
    assert message.startswith(where("S_UAV_01", "choices"))
    assert "effects on CHEMICAL, which this question's threats (UAVIED) do not include" in message


def test_delta_and_dimension_are_checked(tmp_path):
    def change(data):
        effect = question(data, "P09")["choices"][2]["effects"][0]
        effect["delta"] = 1.5
        effect["dimension"] = "impact"

    messages = problems(tmp_path, change)
    assert len(messages) == 2, messages
    assert messages[0].startswith(where("P09", "choices[2].effects[0].dimension"))
    assert "'likelihood' or 'consequence'" in messages[0]
    assert messages[1].startswith(where("P09", "choices[2].effects[0].delta"))
    assert "less than or equal to 1" in messages[1]


def test_depends_on_a_later_question_is_refused(tmp_path):
    def change(data):
        question(data, "P06")["depends_on"] = {"question": "P09", "any_of": ["local"]}

    message = only(problems(tmp_path, change))
    assert message.startswith(where("P06", "depends_on.question"))
    assert "P09 (order 9) is not asked before this question (order 6)" in message


def test_depends_on_an_unknown_question_or_choice_is_refused(tmp_path):
    def change(data):
        question(data, "P06")["depends_on"] = {"question": "P99", "any_of": ["yes"]}
        question(data, "P07")["depends_on"]["any_of"] = ["yes", "often"]

    messages = problems(tmp_path, change)
    assert len(messages) == 2, messages
    assert messages[0].startswith(where("P06", "depends_on.question"))
    assert "no question 'P99' in this file" in messages[0]
    assert messages[1].startswith(where("P07", "depends_on.any_of[1]"))
    assert "P05 has no choice 'often' (choices: yes, no, unknown)" in messages[1]


def test_quick_question_cannot_depend_on_a_full_one(tmp_path):
    def change(data):
        question(data, "P06")["depth"] = "quick"
        question(data, "P05")["depth"] = "full"

    messages = problems(tmp_path, change)
    quick_on_full = [m for m in messages if m.startswith(where("P06", "depends_on.question"))]
    assert len(quick_on_full) == 1, messages
    assert "a quick question cannot depend on P05, which is only asked in the full assessment" in quick_on_full[0]


def test_missing_french_guidance_is_refused(tmp_path):
    def change(data):
        del question(data, "O01")["guidance"]["fr"]

    message = only(problems(tmp_path, change))
    assert message.startswith(where("O01", "guidance.fr"))
    assert "field required" in message


def test_missing_french_choice_label_is_refused(tmp_path):
    def change(data):
        del question(data, "P03")["choices"][1]["label"]["fr"]

    message = only(problems(tmp_path, change))
    assert message.startswith(where("P03", "choices[1].label.fr"))


def test_overlapping_bands_are_refused(tmp_path):
    def change(data):
        question(data, "P02")["bands"][2]["min"] = 500

    message = only(problems(tmp_path, change))
    assert message.startswith(where("P02", "bands"))
    assert "bands[2] (from 500) overlaps bands[1] (100 to 1000)" in message


def test_open_band_below_another_and_reversed_band_are_refused(tmp_path):
    def change(data):
        question(data, "S_VEH_01")["bands"][0]["max"] = None
        question(data, "S_VBI_02")["bands"][1]["max"] = 5

    messages = problems(tmp_path, change)
    assert len(messages) == 2, messages
    assert "bands[1] (from 15) overlaps bands[0] (0 to open)" in messages[0]
    assert "bands[1]: max (5) must be greater than min (10)" in messages[1]


def test_number_question_needs_bands_and_choice_question_needs_choices(tmp_path):
    def change(data):
        del question(data, "P02")["bands"]
        del question(data, "P03")["choices"]
        question(data, "P08")["choices"] = [{"id": "a", "label": {"en": "A", "fr": "A"}}]

    messages = problems(tmp_path, change)
    assert len(messages) == 3, messages
    assert messages[0].startswith(where("P02", "bands")) and "a number question needs its bands" in messages[0]
    assert messages[1].startswith(where("P03", "choices")) and "a single question needs its choices" in messages[1]
    assert messages[2].startswith(where("P08", "choices")) and "a text question has no choices" in messages[2]


def test_section_must_exist_in_the_same_file(tmp_path):
    def change(data):
        question(data, "M02")["section"] = "PREPAREDNESS"

    message = only(problems(tmp_path, change))
    assert message.startswith(where("M02", "section"))
    assert "no question_section 'PREPAREDNESS' in this file (sections: MEASURES, ORGANISATION, PROFILE, SCENARIO)" \
        in message


def test_depth_must_be_quick_or_full(tmp_path):
    def change(data):
        question(data, "M02")["depth"] = "deep"

    message = only(problems(tmp_path, change))
    assert message.startswith(where("M02", "depth"))
    assert "'quick' or 'full'" in message


@pytest.mark.parametrize("ref_id,field,value", [
    ("P05", "choices", "yesno-ids"),
    ("P02", "bands", "overlap"),
])
def test_a_refused_bank_leaves_the_database_unchanged(db, tmp_path, ref_id, field, value):
    loader.load_shipped()
    before = snapshot()

    def change(data):
        data["version"] = 2
        if value == "yesno-ids":
            question(data, ref_id)[field][0]["id"] = "oui"
        else:
            question(data, ref_id)[field][1]["max"] = 1500

    with pytest.raises(LibraryError) as refused:
        loader.load_library(variant(tmp_path, BANK, change))
    assert any(f"(urn:stoa:question:{ref_id.lower()}): {field}" in m for m in refused.value.messages)
    assert snapshot() == before
