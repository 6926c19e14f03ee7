"""Catalogue search and facets: the documented rules, one example each."""

from __future__ import annotations

from stoa.core.catalogue.facets import Faceted, counts, filter_entries, matches
from stoa.core.catalogue.search import fold, index, score, search, words

BOLLARDS = index("bollards", {"name": ["Rated bollards", "Bornes anti-bélier"],
                              "tags": ["vehicle", "hostile vehicle mitigation"],
                              "text": ["A line of crash-rated bollards stops a vehicle."]})
EVACUATION = index("evacuation", {"name": ["Evacuation plan", "Plan d'évacuation"],
                                  "tags": ["crowd"], "text": ["Routes and roles to clear a square."]})
SEARCH = index("bag-search", {"name": ["Bag search"], "tags": ["screening", "vehicle"],
                              "text": ["Searching bags at the entrances; no vehicle access."]})
PLANTERS = index("planters", {"name": ["Heavy planters"], "tags": ["barrier"],
                              "text": ["Planters that double as barriers against a vehicle."]})
CATALOGUE = [BOLLARDS, EVACUATION, SEARCH, PLANTERS]


# --- folding and words -----------------------------------------------------------------------------


def test_text_is_folded_to_lower_case_without_accents() -> None:
    assert fold("Évacuation DÉLAI Noël") == "evacuation delai noel"
    assert words("Plan d'évacuation, bornes anti-bélier!") == ["plan", "d", "evacuation", "bornes", "anti", "belier"]


def test_a_query_with_or_without_accents_finds_the_french_name() -> None:
    assert search(CATALOGUE, "évacuation") == ["evacuation"]
    assert search(CATALOGUE, "EVACUATION") == ["evacuation"]
    assert search(CATALOGUE, "bélier") == search(CATALOGUE, "belier") == ["bollards"]


# --- matching --------------------------------------------------------------------------------------


def test_a_query_word_matches_the_start_of_a_word() -> None:
    assert search(CATALOGUE, "boll") == ["bollards"]
    assert search(CATALOGUE, "evac") == ["evacuation"]
    assert search(CATALOGUE, "llard") == []  # the middle of a word does not match


def test_a_singular_query_finds_the_plural_and_a_plural_query_finds_the_singular() -> None:
    assert search(CATALOGUE, "bollard") == ["bollards"]
    assert score(PLANTERS, "barriers") > 0  # "barrier" tag: a plural query also tries its singular
    assert score(EVACUATION, "plans") > 0
    assert score(BOLLARDS, "vehicles") > 0
    assert score(EVACUATION, "squares") > 0  # -es: tries "squar" and "square"


def test_every_query_word_must_match() -> None:
    assert search(CATALOGUE, "vehicle bollards") == ["bollards"]
    assert search(CATALOGUE, "vehicle crowd") == []
    assert set(search(CATALOGUE, "vehicle")) == {"bollards", "bag-search", "planters"}


def test_the_score_adds_the_weight_of_the_best_field_of_each_word() -> None:
    assert score(BOLLARDS, "bollards") == 3.0  # name, though the text matches too
    assert score(BOLLARDS, "vehicle") == 2.0  # tags, though the text matches too
    assert score(BOLLARDS, "crash") == 1.0  # text only
    assert score(BOLLARDS, "rated vehicle crash") == 6.0
    assert score(BOLLARDS, "crowd") == 0.0
    assert score(BOLLARDS, "bollards crowd") == 0.0


def test_results_are_ranked_by_field_weight_with_ties_in_catalogue_order() -> None:
    name_hit = index("n", {"name": ["Barrier"]})
    tag_hit = index("t", {"tags": ["barrier"]})
    text_hit = index("x", {"text": ["a barrier"]})
    other_text_hit = index("y", {"description": ["barrier again"]})  # an unknown field weighs 1
    entries = [text_hit, other_text_hit, tag_hit, name_hit, index("z", {"name": ["Fence"]})]
    assert search(entries, "barrier") == ["n", "t", "x", "y"]
    assert search(CATALOGUE, "vehicle") == ["bollards", "bag-search", "planters"]  # 2, 2, 1


def test_an_empty_query_returns_every_entry_in_catalogue_order() -> None:
    assert search(CATALOGUE, "") == ["bollards", "evacuation", "bag-search", "planters"]
    assert search(CATALOGUE, "  ,; ") == ["bollards", "evacuation", "bag-search", "planters"]
    assert search([], "bollards") == []


# --- facets ----------------------------------------------------------------------------------------


def faceted(key: str, threats: set[str], phases: set[str]) -> Faceted:
    return Faceted(key, {"threat": frozenset(threats), "phase": frozenset(phases)})


ENTRIES = [faceted("bollards", {"VEHICLE", "VBIED"}, {"EXECUTION"}),
           faceted("cctv", {"FIREARMS", "VEHICLE"}, {"OPERATIONAL_PLANNING", "EXECUTION"}),
           faceted("scanner", {"IED", "PBIED"}, {"PRE_ATTACK_PREPARATION"}),
           faceted("kits", {"FIREARMS", "SHARP_OBJECT"}, {"POST_ATTACK_ESCAPE"})]


def test_nothing_chosen_keeps_every_entry_in_order() -> None:
    assert filter_entries(ENTRIES, {}) == ["bollards", "cctv", "scanner", "kits"]
    assert filter_entries(ENTRIES, {"threat": [], "phase": []}) == ["bollards", "cctv", "scanner", "kits"]


def test_values_of_one_facet_are_or_ed() -> None:
    assert filter_entries(ENTRIES, {"threat": ["VBIED", "IED"]}) == ["bollards", "scanner"]


def test_facets_are_and_ed() -> None:
    assert filter_entries(ENTRIES, {"threat": ["VEHICLE", "FIREARMS"], "phase": ["EXECUTION"]}) == [
        "bollards", "cctv"]
    assert filter_entries(ENTRIES, {"threat": ["FIREARMS"], "phase": ["PRE_ATTACK_PREPARATION"]}) == []


def test_an_entry_without_a_facet_does_not_match_a_choice_in_it() -> None:
    bare = Faceted("bare", {})
    assert matches(bare, {})
    assert not matches(bare, {"threat": ["VEHICLE"]})
    assert matches(bare, {"threat": ["VEHICLE"]}, skip="threat")


def test_counts_ignore_the_facets_own_choice_but_apply_the_others() -> None:
    chosen = {"threat": ["VEHICLE"], "phase": ["EXECUTION"]}
    tally = counts(ENTRIES, chosen, ["threat", "phase"])
    # threat counts: entries in phase EXECUTION (bollards, cctv), whatever threat is ticked
    assert tally["threat"] == {"VEHICLE": 2, "VBIED": 1, "FIREARMS": 1}
    # phase counts: entries against VEHICLE (bollards, cctv), whatever phase is ticked
    assert tally["phase"] == {"EXECUTION": 2, "OPERATIONAL_PLANNING": 1}


def test_counts_with_nothing_chosen_count_every_entry() -> None:
    tally = counts(ENTRIES, {}, ["threat"])
    assert tally == {"threat": {"VEHICLE": 2, "VBIED": 1, "FIREARMS": 2, "IED": 1, "PBIED": 1, "SHARP_OBJECT": 1}}


def test_ticking_a_counted_value_gives_that_many_entries() -> None:
    chosen = {"phase": ["EXECUTION", "PRE_ATTACK_PREPARATION"]}
    for value, number in counts(ENTRIES, chosen, ["threat"])["threat"].items():
        assert len(filter_entries(ENTRIES, {**chosen, "threat": [value]})) == number
