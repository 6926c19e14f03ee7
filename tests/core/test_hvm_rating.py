"""Barrier rating strings: the published examples, round trips, recommendations, comparisons, bad strings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stoa.core.engineering_data import UnknownVehicleClass, shipped
from stoa.core.hvm import (
    Rating,
    RatingError,
    check_rating,
    format_rating,
    parse_rating,
    rating_stops,
    rating_vehicle_class,
    required_rating,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("V/7200[N3C]/64/90:1.3", Rating("ISO_22343_1", "N3C", 7200, 64, 90, 1.3)),
    ("V/7200[N2A]/48/90", Rating("ISO_22343_1", "N2A", 7200, 48, 90)),
    ("IWA 14-1 V/7200[N2B]/80/90:0.7", Rating("IWA_14_1", "N2B", 7200, 80, 90, 0.7)),
    ("IWA 14-1:2013 V/7200[N3C]/64/90:1.3", Rating("IWA_14_1", "N3C", 7200, 64, 90, 1.3, edition="2013")),
    ("V/7500(N2)/64/90:3.5/25.0", Rating("PAS_68", "N2", 7500, 64, 90, 3.5, 25.0)),
    ("PAS 68:2013 V/30000(N3)/80/90", Rating("PAS_68", "N3", 30_000, 80, 90, edition="2013")),
    ("V/7500[N2]/80/90:0.5", Rating("PAS_68", "N2", 7500, 80, 90, 0.5)),  # catalogue style, PAS 68 class
    ("V/1500[M1]/48/90:1.3", Rating("ISO_22343_1", "M1", 1500, 48, 90, 1.3)),
    ("V/1500(M1)/48/90:1.3", Rating("PAS_68", "M1", 1500, 48, 90, 1.3)),
    ("  iso 22343-1   V/7200[n3c]/64/45:0.0  ", Rating("ISO_22343_1", "N3C", 7200, 64, 45, 0.0)),
])
def test_published_rating_strings(text, expected):
    assert parse_rating(text) == expected


def test_the_standard_can_be_given_by_the_caller():
    assert parse_rating("V/7200[N3C]/64/90:1.3", standard="IWA_14_1").standard == "IWA_14_1"
    with pytest.raises(RatingError, match="the text says PAS 68, the caller IWA_14_1"):
        parse_rating("PAS 68 V/7500(N2)/64/90", standard="IWA_14_1")


def test_formatting_uses_each_standards_notation():
    rating = Rating("PAS_68", "N2", 7500, 64, 90, 3.5, 25.0, "2013")
    assert format_rating(rating) == "V/7500(N2)/64/90:3.5/25.0"
    assert format_rating(rating, with_standard=True) == "PAS 68:2013 V/7500(N2)/64/90:3.5/25.0"
    assert format_rating(Rating("IWA_14_1", "N3C", 7200, 64, 90, 1.3)) == "V/7200[N3C]/64/90:1.3"
    assert format_rating(Rating("ISO_22343_1", "N2A", 7200, 56.5, 90, 0.25)) == "V/7200[N2A]/56.5/90:0.25"


@st.composite
def ratings(draw: st.DrawFn) -> Rating:
    data = shipped()
    standard = draw(st.sampled_from(sorted(data.standards)))
    tests = [t for v in data.vehicle_classes.values() for t in v.test_classes if t.standard == standard]
    test = draw(st.sampled_from(tests))
    penetration = draw(st.none() | st.integers(0, 400).map(lambda n: n / 10))
    debris = draw(st.none() | st.integers(0, 900).map(lambda n: n / 10)) if (
        penetration is not None and data.standards[standard].debris_distance) else None
    return Rating(standard, test.code, test.mass_kg, draw(st.integers(1, 200).map(float) | st.sampled_from([56.5])),
                  draw(st.integers(1, 90).map(float)), penetration, debris,
                  draw(st.none() | st.sampled_from(data.standards[standard].editions)))


@given(ratings())
def test_parse_of_format_is_the_same_rating(rating):
    assert parse_rating(format_rating(rating, with_standard=True)) == rating
    plain = parse_rating(format_rating(rating), standard=rating.standard)
    assert plain == Rating(**{**rating.__dict__, "edition": None})
    if rating.standard != "IWA_14_1":  # IWA 14-1 writes ISO 22343-1's notation: without a prefix it reads as ISO
        assert parse_rating(format_rating(rating)).standard == rating.standard


@pytest.mark.parametrize(("text", "part", "position", "problem"), [
    ("", "rating", 0, "the rating is empty"),
    ("7200[N3C]/64/90", "test type", 0, "a rating starts with 'V/'"),
    ("v/7200[N3C]/64/90", "test type", 0, "in capitals"),
    ("V/72OO[N3C]/64/90", "test mass", 2, "'72OO' is not a whole number of kilograms"),
    ("V/7200.5[N3C]/64/90", "test mass", 2, "is not a whole number of kilograms"),
    ("V/[N3C]/64/90", "test mass", 2, "missing"),
    ("V/7200/N3C/64/90", "vehicle class", 6, "expected the class in brackets"),
    ("V/7200[N3C/64/90", "vehicle class", 10, "expected ']' to close the class"),
    ("V/7200[N3X]/64/90", "vehicle class", 7, "unknown vehicle class 'N3X'; known: M1, N1G, N1, N2, N3"),
    ("V/7200(N3X)/64/90", "vehicle class", 7, "unknown vehicle class 'N3X'"),
    ("PAS 68 V/7200(N2A)/64/90", "vehicle class", 14, "unknown vehicle class 'N2A' for PAS 68; known: M1"),
    ("V/7000[N2A]/64/90", "test mass", 2, "ISO 22343-1 tests class N2A at 7200 kg, not 7000 kg"),
    ("V/7200[N3C]/sixty/90", "impact speed", 12, "'sixty' is not a number of km/h"),
    ("V/7200[N3C]/-64/90", "impact speed", 12, "'-64' is not a number of km/h"),
    ("V/7200[N3C]/0/90", "impact speed", 12, "must be above 0 km/h"),
    ("V/7200[N3C]/64", "impact angle", 14, "expected '/' before the angle, found the end of the text"),
    ("V/7200[N3C]/64/95", "impact angle", 15, "95° is outside 0–90°"),
    ("V/7200[N3C]/64/0", "impact angle", 15, "0° is outside 0–90°"),
    ("V/7200[N3C]/64/90/1.3", "penetration", 17, "expected ':' before the penetration"),
    ("V/7200[N3C]/64/90:1,3", "penetration", 18, "'1,3' is not a number of metres"),
    ("V/7200[N3C]/64/90:1.3/20.0", "debris distance", 22, "ISO 22343-1 ratings have no debris distance"),
    ("IWA 14-1 V/7200[N3C]/64/90:1.3/20.0", "debris distance", 31, "IWA 14-1 ratings have no debris distance"),
    ("V/7500(N2)/64/90:3.5/far", "debris distance", 21, "'far' is not a number of metres"),
    ("BS 1234 V/7500(N2)/64/90", "standard", 0, "unknown standard 'BS 1234'; known: PAS 68, IWA 14-1, ISO 22343-1"),
    ("PAS 68:latest V/7500(N2)/64/90", "standard", 6, "edition 'LATEST' is not a year"),
])
def test_malformed_ratings_say_what_is_wrong_and_where(text, part, position, problem):
    with pytest.raises(RatingError) as caught:
        parse_rating(text)
    error = caught.value
    assert (error.part, error.position) == (part, position)
    assert problem in error.problem
    assert str(error).startswith(f"rating {text!r}: {part} at character {position + 1}: ")


def test_non_strict_parsing_accepts_an_unlisted_test_mass():
    assert parse_rating("V/7000[N2A]/64/90", strict=False).mass_kg == 7000
    with pytest.raises(TypeError):
        parse_rating(7200)  # type: ignore[arg-type]


def test_required_rating_is_the_smallest_test_speed_at_or_above_the_impact_speed():
    required = required_rating("N3C", 50 / 3.6)
    assert required.notations == {"PAS_68": "V/7500(N3)/64/90", "IWA_14_1": "V/7200[N3C]/56/90",
                                  "ISO_22343_1": "V/7200[N3C]/56/90"}
    assert required.impact_speed_kmh == pytest.approx(50)
    assert required_rating("M1", 48 / 3.6).notations["PAS_68"] == "V/1500(M1)/48/90"  # exactly on a step
    assert required_rating("M1", 48.01 / 3.6).notations["PAS_68"] == "V/1500(M1)/64/90"
    slow = required_rating("N1", 1.0)
    assert {r.speed_kmh for r in slow.ratings.values()} == {16.0}
    assert required_rating("N2A", 30 / 3.6, angle_deg=45).ratings["IWA_14_1"].angle_deg == 45


def test_required_rating_says_why_a_standard_has_none():
    pas_less = required_rating("N2B", 60 / 3.6)
    assert pas_less.missing == {"PAS_68": "PAS 68 has no test class for N2B"}
    assert set(pas_less.notations) == {"IWA_14_1", "ISO_22343_1"}
    too_fast = required_rating("M1", 150 / 3.6)
    assert too_fast.notations == {}
    assert too_fast.missing["PAS_68"] == "150.0 km/h is above the highest PAS 68 test speed, 112 km/h"
    with pytest.raises(UnknownVehicleClass, match="unknown vehicle class 'LORRY'"):
        required_rating("LORRY", 10)
    with pytest.raises(ValueError, match="impact_speed_ms must be a finite speed"):
        required_rating("M1", -1)


def test_an_existing_rating_stops_its_class_up_to_its_speed_and_angle():
    rated = "V/7200[N3C]/64/90:1.3"
    assert rating_stops(rated, "N3C", 60 / 3.6)
    assert not rating_stops(rated, "N3C", 70 / 3.6)
    assert check_rating(rated, "N3C", 70 / 3.6).reason == ("V/7200[N3C]/64/90:1.3 is rated at 64 km/h, below the "
                                                           "impact speed 70.0 km/h")
    assert not rating_stops(rated, "M1", 10)  # another class: a truck test says nothing about cars
    assert "tested with N3C at 7200 kg, not N3F" in check_rating(rated, "N3F", 10).reason
    assert not rating_stops("V/7200[N3C]/64/45:1.3", "N3C", 10, angle_deg=80)
    assert rating_stops("V/7200[N3C]/64/90:1.3", "N3C", 10, angle_deg=30)
    assert not rating_stops(rated, "N3C", 10, max_penetration_m=1.0)
    assert not rating_stops("V/7200[N3C]/64/90", "N3C", 10, max_penetration_m=1.0)
    # PAS 68 names the same vehicle N3 at 7.5 t.
    assert rating_stops("V/7500(N3)/48/90:2.0/10.0", "N3C", 40 / 3.6)
    assert not rating_stops("V/1500(M1)/48/90", "N2B", 1)  # PAS 68 does not test N2B
    heavier = parse_rating("V/30000(N3)/80/90")
    assert rating_vehicle_class(heavier).key == "N3F"
    assert not rating_stops(heavier, "N3C", 50 / 3.6)
    assert rating_stops(heavier, "N3C", 50 / 3.6, accept_heavier=True)
    assert not rating_stops("V/1500(M1)/112/90", "N3C", 10 / 3.6, accept_heavier=True)  # lighter never covers heavier
