"""The server-drawn site map: projection, fitting, north up, true scale bar, escaping, bad input."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stoa.core.mapsvg import MapFeature, nice_length, render_map

SVG = "{http://www.w3.org/2000/svg}"
LON, LAT = 4.3517, 50.8466  # Brussels, Grand-Place
DEG_LAT_M = 111_200.0  # metres per degree of latitude, near enough for a 100 m square


def square(lon: float, lat: float, side_m: float) -> dict:
    dlat = side_m / DEG_LAT_M
    dlon = dlat / 0.6314  # cos(50.85°)
    return {"type": "Polygon", "coordinates": [[
        [lon, lat], [lon + dlon, lat], [lon + dlon, lat + dlat], [lon, lat + dlat], [lon, lat]]]}


def point(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def path_box(element: ET.Element) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", element.get("d", ""))]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def test_the_map_is_an_accessible_svg_image_with_its_title():
    root = parse(render_map([MapFeature(square(LON, LAT, 100), "outline")], title="Grand-Place"))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "Grand-Place"
    assert root.get("aria-labelledby") == title.get("id")


def test_a_square_stays_square_and_fills_the_box():
    root = parse(render_map([MapFeature(square(LON, LAT, 100), "outline")], title="t", width=640, height=420,
                            padding=20))
    x0, y0, x1, y1 = path_box(root.find(f"{SVG}path"))
    assert (x1 - x0) == pytest.approx(y1 - y0, rel=0.01)  # true shape: one projection for the whole map
    assert (y1 - y0) == pytest.approx(420 - 2 * 20, rel=0.01)  # the tighter side of the box is filled
    assert (x0 + x1) / 2 == pytest.approx(320, abs=1) and (y0 + y1) / 2 == pytest.approx(210, abs=1)


def test_north_is_up_and_east_is_right():
    south_west, north_east = point(LON, LAT), point(LON + 0.001, LAT + 0.001)
    root = parse(render_map([MapFeature(south_west, "measure"), MapFeature(north_east, "scenario", "S")],
                            title="t"))
    rect = root.find(f"{SVG}rect[@width='10']")  # the measure's square marker
    diamond = root.find(f"{SVG}path")
    sw_x, sw_y = float(rect.get("x")) + 5, float(rect.get("y")) + 5
    ne_box = path_box(diamond)
    assert ne_box[0] > sw_x and ne_box[1] < sw_y


def test_the_scale_bar_is_true_to_the_drawing():
    root = parse(render_map([MapFeature(square(LON, LAT, 100), "outline")], title="t", width=640, height=420))
    x0, _y0, x1, _y1 = path_box(root.find(f"{SVG}path"))
    pixels_per_metre = (x1 - x0) / 100
    bar = root.find(f"{SVG}g[@class='scale-bar']")
    label = bar.find(f"{SVG}text").text
    metres = float(label.removesuffix(" m"))
    assert float(bar.find(f"{SVG}rect").get("width")) == pytest.approx(metres * pixels_per_metre, rel=0.02)


@pytest.mark.parametrize(("metres", "expected"), [(1, 1), (1.9, 1), (2, 2), (4.99, 2), (7, 5), (43.9, 20),
                                                  (999, 500), (1000, 1000), (0.3, 0.2)])
def test_the_scale_bar_uses_round_lengths(metres, expected):
    assert nice_length(metres) == pytest.approx(expected)


def test_nice_length_refuses_nothing():
    with pytest.raises(ValueError):
        nice_length(0)


def test_labels_are_escaped_and_kept():
    hostile = '<script>alert("x")</script> & co'
    svg = render_map([MapFeature(point(LON, LAT), "scenario", hostile)], title='Map "A" <b>')
    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)
    assert hostile in [t.text for t in root.iter(f"{SVG}text")]
    assert root.find(f"{SVG}title").text == 'Map "A" <b>'


def test_a_lone_point_gets_a_neighbourhood_not_a_division_by_zero():
    root = parse(render_map([MapFeature(point(LON, LAT), "access")], title="t", width=400, height=400))
    circle = root.find(f"{SVG}circle")
    assert float(circle.get("cx")) == pytest.approx(200, abs=0.5)
    assert float(circle.get("cy")) == pytest.approx(200, abs=0.5)


def test_bad_geometries_are_left_out_and_nothing_usable_gives_no_map():
    bad = [MapFeature({"type": "Point", "coordinates": [500, 500]}, "measure", "far"),
           MapFeature({"type": "Polygon"}, "zone", "broken"), MapFeature({}, "zone")]
    assert render_map(bad, title="t") == ""
    root = parse(render_map([*bad, MapFeature(point(LON, LAT), "access", "Gate")], title="t"))
    assert [t.text for t in root.iter(f"{SVG}text") if t.text != root.find(f"{SVG}g/{SVG}text").text] == ["Gate"]


def test_kinds_differ_by_shape_and_line_not_only_colour():
    features = [MapFeature(point(LON, LAT), "access"), MapFeature(point(LON + 0.0005, LAT), "measure"),
                MapFeature(point(LON, LAT + 0.0005), "scenario"),
                MapFeature(square(LON - 0.001, LAT - 0.001, 40), "zone")]
    root = parse(render_map(features, title="t"))
    assert root.find(f"{SVG}circle") is not None and root.find(f"{SVG}rect[@width='10']") is not None
    dashes = {p.get("stroke-dasharray") for p in root.iter(f"{SVG}path")}
    assert "6 3" in dashes  # the zone's dashed outline


coordinate = st.tuples(st.floats(LON - 0.02, LON + 0.02), st.floats(LAT - 0.02, LAT + 0.02))


@settings(max_examples=40, deadline=None)
@given(st.lists(coordinate, min_size=1, max_size=8))
def test_every_point_lands_inside_the_box(coords):
    width, height = 500, 300
    root = parse(render_map([MapFeature(point(lon, lat), "access") for lon, lat in coords], title="t",
                            width=width, height=height, padding=10))
    for circle in root.iter(f"{SVG}circle"):
        assert 9.9 <= float(circle.get("cx")) <= width - 9.9
        assert 9.9 <= float(circle.get("cy")) <= height - 9.9
