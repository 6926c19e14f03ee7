"""The rank acceptability and weights charts: valid, accessible SVG, numbers in text, not colour alone."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from stoa.core.charts.acceptability import acceptability_svg, acceptability_table, weights_svg

SVG = "{http://www.w3.org/2000/svg}"
MATRIX = [[0.62, 0.30, 0.08], [0.30, 0.5, 0.2], [0.08, 0.2, 0.72]]


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_one_labelled_bar_per_alternative_with_its_percentages_and_a_legend() -> None:
    svg = acceptability_svg(["Bollards", "Planters", "Gates"], MATRIX, title="Rank acceptability",
                            rank_label="Rank {rank}")
    root = ET.fromstring(svg)  # raises on anything that is not well-formed XML
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "Rank acceptability"  # type: ignore[union-attr]
    assert root.get("aria-labelledby", "").endswith("-desc")
    bars = [g for g in root.iter(f"{SVG}g")]
    assert [g.find(f"{SVG}title").text for g in bars] == ["Bollards", "Planters", "Gates"]  # type: ignore[union-attr]
    assert all(len(g.findall(f"{SVG}rect")) == 3 for g in bars)  # one segment per rank
    words = texts(root)
    assert {"Rank 1: 62%", "Rank 2: 30%", "Rank 2: 50%", "8%", "Rank 3: 72%"} <= set(words)  # not only colours
    assert words[-3:] == ["Rank 1", "Rank 2", "Rank 3"]  # the legend
    desc = root.find(f"{SVG}desc").text  # type: ignore[union-attr]
    assert "Bollards: Rank 1 62%, Rank 2 30%, Rank 3 8%" in desc  # type: ignore[operator]
    assert "style" not in svg


def test_text_is_escaped_and_a_narrow_segment_keeps_its_number_in_a_title() -> None:
    svg = acceptability_svg(['<script>x</script> & "Co"', "B"], [[0.995, 0.005], [0.005, 0.995]],
                            title="<b>T & J</b>", rank_label="Rang {rank}")
    assert "<script>" not in svg and "<b>" not in svg
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "<b>T & J</b>"  # type: ignore[union-attr]
    assert texts(root)[0] == '<script>x</script> & "Co"'
    segment_titles = [r.find(f"{SVG}title").text for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert '<script>x</script> & "Co", Rang 2: <1%' in segment_titles


def test_the_table_fallback_gives_percent_and_the_most_likely_rank() -> None:
    rows = acceptability_table(["Bollards", "Planters", "Gates"], MATRIX)
    assert [(r.name, r.percents, r.most_likely_rank) for r in rows] == [
        ("Bollards", [62.0, 30.0, 8.0], 1), ("Planters", [30.0, 50.0, 20.0], 2), ("Gates", [8.0, 20.0, 72.0], 3)]


@pytest.mark.parametrize(("alternatives", "matrix", "message"), [
    ([], [], "at least one alternative"),
    (["A", "B"], [[1.0, 0.0]], "rows of probabilities"),
    (["A", "B"], [[1.0], [1.0]], "one per rank"),
    (["A", "B"], [[1.2, -0.2], [0.0, 1.0]], "from 0 to 1"),
    (["A", "B"], [[0.5, 0.2], [0.5, 0.8]], "sum to"),
])
def test_bad_input_is_refused(alternatives: list, matrix: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        acceptability_svg(alternatives, matrix, title="t")


def test_the_weights_chart_groups_criteria_and_prints_each_weight() -> None:
    svg = weights_svg([("Performance", [("Effect", 0.5)]), ("Cost & <price>", [("Capital", 0.3), ("Running", 0.2)])],
                      title="Weights")
    root = ET.fromstring(svg)
    words = texts(root)
    assert words == ["Performance", "Effect", "50%", "Cost & <price>", "Capital", "30%", "Running", "20%"]
    assert len(list(root.iter(f"{SVG}rect"))) == 3
    assert "&lt;price&gt;" in svg
    with pytest.raises(ValueError, match="from 0 to 1"):
        weights_svg([("G", [("C", 1.5)])], title="t")
