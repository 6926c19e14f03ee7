"""Library files: the shipped content, validation messages, atomic and versioned loading, removal."""

from __future__ import annotations

import itertools

import pytest

from stoa.library import loader
from stoa.library.colours import contrast_ratio, delta_e, text_colour_on
from stoa.library.models import Library, ReferenceObject
from tests import factories
from tests.library_files import snapshot, variant

PSOI_REF_IDS = {"TRANSPORT_HUB", "SQUARE", "SHOPPING", "NIGHTLIFE", "CULTURAL", "BUSINESS", "WORSHIP", "INSTITUTIONAL"}
THREAT_REF_IDS = ["FIREARMS", "SHARP_OBJECT", "VEHICLE", "IED", "PBIED", "UAVIED", "VBIED", "CHEMICAL",
                  "BIOLOGICAL", "RADIOLOGICAL"]
SECURIPEDIA_USES = {"ALERT", "SURVEIL", "RESPOND", "PROTECT", "DETECT", "OVERCOME", "IMPROVISE", "RESTRICT",
                    "ADAPT", "OTHER"}


@pytest.fixture
def loaded(db):
    return loader.load_shipped()


def obj(urn: str) -> ReferenceObject:
    return ReferenceObject.objects.get(urn=urn)


# --- shipped content -------------------------------------------------------------------------

@pytest.mark.parametrize("path", loader.shipped_files(), ids=lambda p: p.name)
def test_every_shipped_file_is_valid(path):
    assert loader.validate_file(path) == []


def test_one_file_per_library_is_shipped():
    names = {p.name for p in loader.shipped_files()}
    assert names == {"threat-types.yaml", "psoi-categories.yaml", "attack-phases.yaml",
                     "technology-categories.yaml", "measure-uses.yaml", "risk-matrix.yaml", "question-bank.yaml",
                     "measures-physical.yaml", "measures-technology.yaml", "measures-organisational.yaml",
                     "scenario-templates.yaml", "criteria-sets.yaml", "threat-engineering.yaml"}


def test_shipped_content_follows_the_shared_contract(loaded):
    assert len(loaded) == len(loader.shipped_files())  # the file set is pinned just above
    categories = ReferenceObject.objects.filter(kind="psoi_category")
    assert set(categories.values_list("ref_id", flat=True)) == PSOI_REF_IDS
    for category in categories:
        assert category.urn == "urn:stoa:psoi-category:" + category.ref_id.lower().replace("_", "-")
        assert category.data["colour"].startswith("#")
        assert category.data["examples"]
    threats = ReferenceObject.objects.filter(kind="threat_type").order_by("order")
    assert list(threats.values_list("ref_id", flat=True)) == THREAT_REF_IDS
    phases = ReferenceObject.objects.filter(kind="attack_phase").order_by("order")
    assert list(phases.values_list("order", flat=True)) == [1, 2, 3, 4, 5]
    assert ReferenceObject.objects.filter(kind="technology_category").count() == 5
    uses = {o.ref_id: o.data["origin"] for o in ReferenceObject.objects.filter(kind="measure_use")}
    assert set(uses) >= SECURIPEDIA_USES
    assert {ref for ref, origin in uses.items() if origin == "stoa"} == {"DETER", "DELAY"}


def test_every_item_has_english_and_french_text(loaded):
    for library in Library.objects.all():
        assert library.name and library.translations["fr"]["name"] and library.translations["fr"]["description"]
        assert library.sources, library.urn
    for item in ReferenceObject.objects.all():
        assert item.name and item.description, item.urn
        assert item.translations["fr"]["name"] and item.translations["fr"]["description"], item.urn
        for example in item.data.get("examples", []):
            assert example["en"] and example["fr"], item.urn


def test_psoi_colours_read_on_white_and_stay_apart(loaded):
    colours = {o.ref_id: o.data["colour"] for o in ReferenceObject.objects.filter(kind="psoi_category")}
    for ref_id, colour in colours.items():
        assert contrast_ratio(colour, "#ffffff") >= 4.5, ref_id
    assert len(set(colours.values())) == 8
    for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2):
        assert delta_e(ca, cb) > 25, (a, b)


def test_default_risk_matrix_bands_the_product_of_likelihood_and_consequence(loaded):
    matrix = obj("urn:stoa:risk-matrix:default-5x5").data
    assert [s["value"] for s in matrix["likelihood"]] == [1, 2, 3, 4, 5]
    assert [s["value"] for s in matrix["consequence"]] == [1, 2, 3, 4, 5]
    assert [level["id"] for level in matrix["levels"]] == ["low", "medium", "high", "very_high"]

    def band(score: int) -> str:
        return "low" if score <= 4 else "medium" if score <= 9 else "high" if score <= 16 else "very_high"

    for likelihood, consequence in itertools.product(range(1, 6), repeat=2):
        assert matrix["grid"][likelihood - 1][consequence - 1] == band(likelihood * consequence)
    for level in matrix["levels"]:
        assert contrast_ratio(level["colour"], text_colour_on(level["colour"])) >= 4.5


# --- refusing bad files -------------------------------------------------------------------------

def _refused(path, **kwargs):
    before = snapshot()
    with pytest.raises(loader.LibraryError) as caught:
        loader.load_library(path, **kwargs)
    assert snapshot() == before
    return caught.value.messages


def test_a_missing_french_name_is_refused_naming_file_object_and_field(db, tmp_path):
    path = variant(tmp_path, "threat-types.yaml", lambda d: d["objects"][3]["translations"]["fr"].pop("name"))
    messages = _refused(path)
    assert len(messages) == 1
    assert messages[0].startswith(
        "threat-types.yaml: objects[3] (urn:stoa:threat-type:ied): translations.fr.name: field required (line ")
    assert Library.objects.count() == 0


def test_a_missing_french_translation_is_refused(db, tmp_path):
    path = variant(tmp_path, "psoi-categories.yaml", lambda d: d["objects"][1].pop("translations"))
    assert _refused(path)[0].startswith(
        "psoi-categories.yaml: objects[1] (urn:stoa:psoi-category:square): translations: field required")


def test_every_problem_of_a_file_is_reported_at_once(db, tmp_path):
    def break_several(d):
        d["version"] = 0
        d["objects"][0]["examples"][0].pop("fr")
        d["objects"][2]["colour"] = "red"
        d["objects"][5]["extra"] = 1

    messages = _refused(variant(tmp_path, "psoi-categories.yaml", break_several))
    assert any(m.startswith("psoi-categories.yaml: version: input should be greater than or equal to 1")
               for m in messages)
    assert any("objects[0] (urn:stoa:psoi-category:transport-hub): examples[0].fr: field required" in m
               for m in messages)
    assert any("objects[2] (urn:stoa:psoi-category:shopping): colour: expected a colour written #rrggbb, "
               "got 'red'" in m for m in messages)
    assert any("objects[5] (urn:stoa:psoi-category:business): extra: unknown field" in m for m in messages)
    assert len(messages) == 4


def test_a_grid_of_the_wrong_size_is_refused(db, tmp_path):
    path = variant(tmp_path, "risk-matrix.yaml", lambda d: d["objects"][0]["grid"].pop())
    messages = _refused(path)
    assert len(messages) == 1
    assert messages[0].startswith("risk-matrix.yaml: objects[0] (urn:stoa:risk-matrix:default-5x5): grid: "
                                  "the grid has 4 rows but the likelihood scale has 5 levels")


def test_a_grid_row_of_the_wrong_length_is_refused(db, tmp_path):
    path = variant(tmp_path, "risk-matrix.yaml", lambda d: d["objects"][0]["grid"][1].append("high"))
    assert "grid[1] has 6 cells but the consequence scale has 5 levels" in _refused(path)[0]


def test_a_grid_cell_naming_an_unknown_level_is_refused(db, tmp_path):
    def unknown(d):
        d["objects"][0]["grid"][2][4] = "extreme"

    message = _refused(variant(tmp_path, "risk-matrix.yaml", unknown))[0]
    assert ": grid: grid[2][4] is 'extreme', which is not a defined level (defined: low, medium, high, very_high)" \
        in message


def test_a_grid_where_risk_falls_as_likelihood_rises_is_refused(db, tmp_path):
    def falls(d):
        d["objects"][0]["grid"][4][4] = "medium"

    assert "grid[4][4] is 'medium', less severe than 'very_high'" in _refused(
        variant(tmp_path, "risk-matrix.yaml", falls))[0]


def test_a_scale_that_skips_a_value_is_refused(db, tmp_path):
    def skip(d):
        d["objects"][0]["likelihood"][2]["value"] = 7

    assert "likelihood: values must run 1, 2, ... 5 in order, found [1, 2, 7, 4, 5]" in _refused(
        variant(tmp_path, "risk-matrix.yaml", skip))[0]


def test_a_duplicate_urn_is_refused(db, tmp_path):
    def duplicate(d):
        d["objects"][4]["urn"] = d["objects"][1]["urn"]

    messages = _refused(variant(tmp_path, "threat-types.yaml", duplicate))
    assert messages == [messages[0]]
    assert messages[0].startswith("threat-types.yaml: objects[4] (urn:stoa:threat-type:sharp-object): urn: "
                                  "'urn:stoa:threat-type:sharp-object' is already used by objects[1]")


def test_a_duplicate_ref_id_within_a_kind_is_refused(db, tmp_path):
    def duplicate(d):
        d["objects"][2]["ref_id"] = "FIREARMS"

    assert "objects[2] (urn:stoa:threat-type:vehicle): ref_id: 'FIREARMS' is already used by objects[0]" in \
        _refused(variant(tmp_path, "threat-types.yaml", duplicate))[0]


def test_a_wrong_kind_is_refused(db, tmp_path):
    def wrong(d):
        d["objects"][0]["kind"] = "threat"

    message = _refused(variant(tmp_path, "threat-types.yaml", wrong))[0]
    assert message.startswith("threat-types.yaml: objects[0] (urn:stoa:threat-type:firearms): kind: "
                              "unknown kind 'threat'; expected one of: threat_type, psoi_category")


def test_a_urn_that_does_not_match_its_kind_is_refused(db, tmp_path):
    def mismatched(d):
        d["objects"][0]["urn"] = "urn:stoa:psoi-category:firearms"

    assert "urn: expected a URN like urn:stoa:threat-type:some-name, got 'urn:stoa:psoi-category:firearms'" in \
        _refused(variant(tmp_path, "threat-types.yaml", mismatched))[0]


def test_a_yaml_syntax_error_is_refused_with_its_line(db, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("urn: urn:stoa:library:broken\nversion: 1\nobjects:\n  - kind: [threat_type\n", encoding="utf-8")
    messages = _refused(path)
    assert len(messages) == 1
    assert messages[0].startswith("broken.yaml: YAML syntax error at line ")


def test_a_repeated_yaml_key_is_refused(db, tmp_path):
    text = (loader.CONTENT_DIR / "attack-phases.yaml").read_text(encoding="utf-8")
    path = tmp_path / "attack-phases.yaml"
    path.write_text(text.replace("version: 1\n", "version: 1\nversion: 2\n", 1), encoding="utf-8")
    assert "the key 'version' appears twice" in _refused(path)[0]


def test_a_file_that_is_not_a_mapping_is_refused(db, tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- one\n- two\n", encoding="utf-8")
    assert _refused(path) == ["list.yaml: expected a mapping with the library header and 'objects' (line 1)"]


def test_a_bad_file_among_several_means_none_is_loaded(db, tmp_path):
    good = variant(tmp_path, "attack-phases.yaml")
    bad = variant(tmp_path, "threat-types.yaml", lambda d: d["objects"][0].pop("name"))
    with pytest.raises(loader.LibraryError) as caught:
        loader.load_files([good, bad])
    assert caught.value.messages[0].startswith("threat-types.yaml: objects[0] (urn:stoa:threat-type:firearms): "
                                               "name: field required")
    assert Library.objects.count() == 0


# --- loading, upgrading, downgrading ------------------------------------------------------------

def test_loading_twice_changes_nothing(loaded, tmp_path):
    before = snapshot()
    outcomes = loader.load_files(loader.shipped_files())
    assert {o.status for o in outcomes} == {"unchanged"}
    assert snapshot() == before


def test_a_library_keeps_the_exact_text_it_was_loaded_from(loaded):
    library = Library.objects.get(urn="urn:stoa:library:threat-types")
    text = (loader.CONTENT_DIR / "threat-types.yaml").read_text(encoding="utf-8")
    assert library.content["yaml"] == text
    assert library.content["filename"] == "threat-types.yaml"
    assert library.version == 1 and library.provider == "Stoa"


def test_a_newer_version_upgrades_in_place_and_keeps_primary_keys(db, tmp_path):
    first = loader.load_library(loader.CONTENT_DIR / "psoi-categories.yaml")
    assert first.status == "loaded" and first.created == 8
    pks = dict(ReferenceObject.objects.values_list("urn", "pk"))

    def upgrade(d):
        d["version"] = 2
        d["objects"][1]["name"] = "Public square"
        d["objects"][1]["translations"]["fr"]["name"] = "Place publique"
        removed = d["objects"].pop(7)  # institutional
        extra = dict(removed, urn="urn:stoa:psoi-category:park", ref_id="PARK", name="Park")
        d["objects"].append(extra)

    outcome = loader.load_library(variant(tmp_path, "psoi-categories.yaml", upgrade))
    assert (outcome.status, outcome.previous_version) == ("upgraded", 1)
    assert (outcome.created, outcome.updated, outcome.deleted) == (1, 7, 1)
    square = obj("urn:stoa:psoi-category:square")
    assert square.pk == pks["urn:stoa:psoi-category:square"]
    assert (square.name, square.translations["fr"]["name"]) == ("Public square", "Place publique")
    assert not ReferenceObject.objects.filter(urn="urn:stoa:psoi-category:institutional").exists()
    assert obj("urn:stoa:psoi-category:park").ref_id == "PARK"
    library = Library.objects.get(urn="urn:stoa:library:psoi-categories")
    assert library.version == 2 and "Public square" in library.content["yaml"]
    assert library.pk == first.library.pk


def test_an_upgrade_that_drops_an_object_in_use_is_refused_whole(loaded, org, tmp_path):
    factories.make_site(org, name="Market Square", category=obj("urn:stoa:psoi-category:square"))

    def drop_square(d):
        d["version"] = 2
        d["objects"].pop(1)
        d["objects"][0]["name"] = "Renamed hub"

    before = snapshot()
    with pytest.raises(loader.LibraryError) as caught:
        loader.load_library(variant(tmp_path, "psoi-categories.yaml", drop_square))
    assert snapshot() == before
    assert "1 public space of interest uses urn:stoa:psoi-category:square (Market Square)" in caught.value.messages[0]


def test_an_older_version_is_refused(db, tmp_path):
    newer = variant(tmp_path, "attack-phases.yaml", lambda d: d.update(version=3), filename="v3.yaml")
    loader.load_library(newer)
    older = variant(tmp_path, "attack-phases.yaml", lambda d: d.update(version=2), filename="v2.yaml")
    messages = _refused(older)
    assert messages == ["v2.yaml: version 2 of urn:stoa:library:attack-phases is older than the loaded "
                        "version 3; refusing to downgrade"]
    outcome = loader.load_library(older, allow_downgrade=True)
    assert (outcome.status, outcome.library.version) == ("downgraded", 2)


def test_the_same_version_with_other_content_is_refused(db, tmp_path):
    loader.load_library(loader.CONTENT_DIR / "attack-phases.yaml")
    changed = variant(tmp_path, "attack-phases.yaml", lambda d: d["objects"][0].update(name="Target choice"))
    assert "already loaded with different content" in _refused(changed)[0]


def test_an_object_urn_owned_by_another_library_is_refused(loaded, tmp_path):
    def steal(d):
        d["urn"] = "urn:stoa:library:my-threats"

    message = _refused(variant(tmp_path, "threat-types.yaml", steal))[0]
    assert message == ("threat-types.yaml: objects[0] (urn:stoa:threat-type:firearms): urn: already defined by "
                       "the library urn:stoa:library:threat-types")


def test_an_object_cannot_change_kind_across_versions(db, tmp_path):
    # URNs name their kind, so only a row changed behind the loader's back can disagree; refuse it.
    loader.load_library(loader.CONTENT_DIR / "measure-uses.yaml")
    ReferenceObject.objects.filter(urn="urn:stoa:measure-use:other").update(kind="attack_phase")
    path = variant(tmp_path, "measure-uses.yaml", lambda d: d.update(version=2))
    assert "objects[11] (urn:stoa:measure-use:other): kind: was attack_phase in the loaded version" in \
        _refused(path)[0]


# --- removing -----------------------------------------------------------------------------------

def test_removing_a_library_in_use_is_refused(loaded, org):
    square = obj("urn:stoa:psoi-category:square")
    for name in ("Market Square", "Station Forecourt", "Cathedral Square"):
        factories.make_site(org, name=name, category=square)
    factories.make_site(org, name="Central Station", category=obj("urn:stoa:psoi-category:transport-hub"))
    before = snapshot()
    with pytest.raises(loader.LibraryError) as caught:
        loader.remove_library("urn:stoa:library:psoi-categories")
    assert snapshot() == before
    assert caught.value.messages == [
        "urn:stoa:library:psoi-categories is in use and cannot be removed:",
        "1 public space of interest uses urn:stoa:psoi-category:transport-hub (Central Station)",
        "3 public spaces of interest use urn:stoa:psoi-category:square "
        "(Cathedral Square, Market Square, Station Forecourt)",
    ]
    assert loader.library_in_use(Library.objects.get(urn="urn:stoa:library:psoi-categories"))


def test_removing_an_unused_library_deletes_it_and_its_objects(loaded, org):
    factories.make_site(org, category=obj("urn:stoa:psoi-category:square"))
    assert not loader.library_in_use(Library.objects.get(urn="urn:stoa:library:threat-types"))
    assert loader.remove_library("urn:stoa:library:threat-types") == 10
    assert not Library.objects.filter(urn="urn:stoa:library:threat-types").exists()
    assert not ReferenceObject.objects.filter(kind="threat_type").exists()


def test_removing_an_unknown_library_says_so(db):
    with pytest.raises(loader.LibraryError) as caught:
        loader.remove_library("urn:stoa:library:nothing")
    assert caught.value.messages == ["no library urn:stoa:library:nothing is loaded"]


def test_an_alias_is_refused_with_the_line_of_its_anchor(db, tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_text("urn: &name urn:stoa:library:aliases\nversion: 1\nname: *name\nobjects: []\n", encoding="utf-8")
    messages = _refused(path)
    assert messages == ["aliases.yaml: YAML syntax error at line 1, column 6: "
                        "anchors and aliases (*name) are not allowed in library files"]
