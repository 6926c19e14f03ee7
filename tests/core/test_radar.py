"""The radar chart: valid, accessible SVG whose shape follows the values given."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stoa.core.charts.radar import radar_svg

SVG = "{http://www.w3.org/2000/svg}"
NAMES = ["Firearms", "Sharp object", "Vehicle", "IED", "PBIED", "Drone IED", "VBIED", "Chemical", "Biological",
         "Radiological"]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything that is not well-formed XML


def shape_points(root: ET.Element) -> list[tuple[float, float]]:
    shape = [p for p in root.iter(f"{SVG}polygon") if p.get("fill") != "none"]
    assert len(shape) == 1
    return [tuple(float(n) for n in pair.split(",")) for pair in shape[0].get("points", "").split()]  # type: ignore[misc]


def test_it_is_an_accessible_image_with_a_title_and_the_values_in_words() -> None:
    root = parse(radar_svg([("Firearms", 3), ("Vehicle", 1), ("IED", 0)], 4, title="Exposure of Main Square"))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Exposure of Main Square"
    assert desc is not None and desc.text == "Firearms: 3 / 4; Vehicle: 1 / 4; IED: 0 / 4."
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    labels = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert labels == ["Firearms", "Vehicle", "IED"]
    assert "style" not in radar_svg([("a", 1), ("b", 1), ("c", 1)], 2, title="t")  # strict CSP


def test_labels_and_title_are_escaped() -> None:
    svg = radar_svg([("<script>alert(1)</script>", 1), ('A & "B"', 2), ("C", 0)], 2, title="<b>Tom & Jerry</b>")
    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "<b>Tom & Jerry</b>"  # type: ignore[union-attr]
    assert ["".join(t.itertext()) for t in root.iter(f"{SVG}text")][:2] == ["<script>alert(1)</script>", 'A & "B"']


def test_the_shape_puts_each_value_on_its_spoke() -> None:
    root = parse(radar_svg([("N", 4), ("E", 2), ("S", 0), ("W", 1)], 4, title="t", width=400))
    centre, radius = 200, 400 * 0.27
    points = shape_points(root)
    assert points[0] == pytest.approx((centre, centre - radius), abs=0.1)  # the rim, at twelve o'clock
    assert points[1] == pytest.approx((centre + radius / 2, centre), abs=0.1)  # half way, at three
    assert points[2] == pytest.approx((centre, centre), abs=0.1)  # zero: the centre
    assert points[3] == pytest.approx((centre - radius / 4, centre), abs=0.1)


def test_one_ring_per_step_of_a_small_whole_scale_else_four() -> None:
    def rings(maximum: float) -> int:
        root = parse(radar_svg([("a", 0), ("b", 0), ("c", 0)], maximum, title="t"))
        return len([p for p in root.iter(f"{SVG}polygon") if p.get("fill") == "none"])

    assert (rings(4), rings(5), rings(2), rings(1), rings(100), rings(2.5)) == (4, 5, 2, 4, 4, 4)


def test_long_labels_wrap_onto_two_lines() -> None:
    root = parse(radar_svg([("Vehicle ramming attack", 1), ("IED", 1), ("Chemical", 1)], 2, title="t"))
    first = next(root.iter(f"{SVG}text"))
    assert [span.text for span in first] == ["Vehicle", "ramming attack"]


@pytest.mark.parametrize(("axes", "maximum", "width", "message"), [
    ([("a", 1), ("b", 1)], 4, 360, "at least three axes"),
    ([("a", 1), ("b", 1), ("c", 5)], 4, 360, "from 0 to 4"),
    ([("a", 1), ("b", -1), ("c", 1)], 4, 360, "from 0 to 4"),
    ([("a", 1), ("b", math.nan), ("c", 1)], 4, 360, "from 0 to 4"),
    ([("a", 1), ("b", True), ("c", 1)], 4, 360, "from 0 to 4"),
    ([("a", 1), ("b", 1), ("c", 1)], 0, 360, "positive"),
    ([("a", 1), ("b", 1), ("c", 1)], math.inf, 360, "positive"),
    ([("a", 1), ("b", 1), ("c", 1)], 4, 100, "width"),
    ([(3, 1), ("b", 1), ("c", 1)], 4, 360, "not text"),
])
def test_bad_input_is_refused(axes: list, maximum: float, width: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        radar_svg(axes, maximum, title="t", width=width)


def test_two_charts_on_one_page_have_different_ids() -> None:
    one = radar_svg([("a", 1), ("b", 1), ("c", 1)], 4, title="Square")
    two = radar_svg([("a", 1), ("b", 2), ("c", 1)], 4, title="Square")
    ids = {re.search(r'<title id="([^"]+)"', svg).group(1) for svg in (one, two)}  # type: ignore[union-attr]
    assert len(ids) == 2
    assert one == radar_svg([("a", 1), ("b", 1), ("c", 1)], 4, title="Square")  # deterministic


@given(st.lists(st.integers(0, 4), min_size=10, max_size=10), st.integers(0, 9), st.integers(120, 800))
def test_raising_one_value_moves_only_its_point_outwards(values: list[int], index: int, width: int) -> None:
    axes = list(zip(NAMES, values, strict=True))
    before = shape_points(parse(radar_svg(axes, 4, title="t", width=width)))
    if values[index] == 4:
        return
    axes[index] = (NAMES[index], values[index] + 1)
    after = shape_points(parse(radar_svg(axes, 4, title="t", width=width)))
    centre = width / 2
    distance = [math.dist(p, (centre, centre)) for p in before], [math.dist(p, (centre, centre)) for p in after]
    assert distance[1][index] > distance[0][index]
    assert all(b == a for i, (b, a) in enumerate(zip(before, after, strict=True)) if i != index)
    for x, y in after:
        assert 0 <= x <= width and 0 <= y <= width
