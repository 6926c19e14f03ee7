"""Street files: GeoJSON and OSM XML read into Streets, their errors, storage and the network they give."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import math
from typing import Any

import numpy as np
import pytest
from shapely.geometry import Point

from stoa.core.geometry import to_metric_about
from stoa.core.hvm import StreetNetwork, analyse_run_up
from stoa.core.hvm.streets import (
    MAX_SEGMENTS,
    StreetFileError,
    Streets,
    maxspeed_ms,
    read_geojson,
    read_osm_xml,
    read_streets,
)

KMH = 1 / 3.6


def line(coordinates: list[Any], **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": {"type": "LineString", "coordinates": coordinates}}


def collection(*features: dict[str, Any]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


# Two streets meeting at (2.351, 48.85); the second is a MultiLineString.
CROSSING = collection(
    line([[2.35, 48.85], [2.351, 48.85], [2.352, 48.85]], name="Rue A", maxspeed="30"),
    {"type": "Feature", "properties": {"maxspeed": 50},
     "geometry": {"type": "MultiLineString", "coordinates": [[[2.351, 48.8495], [2.351, 48.85], [2.351, 48.851]]]}},
)

OSM = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
  <node id="1" lat="48.85" lon="2.35"/>
  <node id="2" lat="48.85" lon="2.351"/>
  <node id="3" lat="48.851" lon="2.351">
    <tag k="highway" v="traffic_signals"/>
  </node>
  <node id="4" lat="48.852" lon="2.351"/>
  <node id="5" lat="48.852" lon="2.352"/>
  <way id="10">
    <nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="residential"/><tag k="maxspeed" v="20 mph"/><tag k="name" v="Rue B"/>
  </way>
  <way id="11">
    <nd ref="3"/><nd ref="4"/>
    <tag k="highway" v="footway"/>
  </way>
  <way id="12">
    <nd ref="3"/><nd ref="5"/>
    <tag k="highway" v="primary"/><tag k="maxspeed" v="RU:urban"/>
  </way>
  <relation id="20"><member type="way" ref="10" role=""/><tag k="type" v="route"/></relation>
</osm>
"""


def osm(body: str) -> bytes:
    return f'<?xml version="1.0"?>\n<osm version="0.6">\n{body}\n</osm>\n'.encode()


def raises(data: bytes | str, *fragments: str, reader: Any = read_streets) -> None:
    with pytest.raises(StreetFileError) as caught:
        reader(data.encode() if isinstance(data, str) else data)
    for fragment in fragments:
        assert fragment in str(caught.value)


# --- GeoJSON ------------------------------------------------------------------------------------

def test_geojson_lines_share_the_vertices_they_have_in_common():
    streets = read_geojson(CROSSING)
    assert streets.source_format == "geojson"
    assert len(streets.node_ids) == 5  # (2.351, 48.85) is one node of both lines
    assert streets.segment_count == 4
    shared = [i for i, (lon, lat) in enumerate(streets.lonlat) if (lon, lat) == (2.351, 48.85)]
    assert len(shared) == 1
    assert (streets.tails == shared[0]).sum() + (streets.heads == shared[0]).sum() == 4
    assert streets.names == ["Rue A", "Rue A", "", ""]
    np.testing.assert_allclose(streets.max_speed_ms, [30 * KMH, 30 * KMH, 50 * KMH, 50 * KMH])


def test_geojson_vertices_equal_to_1e7_degrees_are_one_node():
    streets = read_geojson(collection(line([[2.35, 48.85], [2.351, 48.85]]),
                                      line([[2.35100000004, 48.84999999996], [2.351, 48.851]])))
    assert len(streets.node_ids) == 3


def test_a_single_feature_or_a_bare_geometry_is_read():
    feature = line([[2.35, 48.85], [2.351, 48.85]], name="Quai")
    assert read_geojson(json.dumps(feature)).names == ["Quai"]
    assert read_geojson(json.dumps(feature["geometry"])).segment_count == 1


def test_geojson_skips_points_polygons_and_streets_that_are_not_drivable():
    streets = read_geojson(collection(
        line([[2.35, 48.85], [2.351, 48.85]], highway="residential"),
        line([[2.35, 48.85], [2.35, 48.851]], highway="footway"),
        line([[2.35, 48.85], [2.349, 48.85]], highway="pedestrian", area="yes"),
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [2.35, 48.85]}},
    ))
    assert streets.segment_count == 1 and len(streets.node_ids) == 2


def test_geojson_drops_a_vertex_repeated_in_place():
    streets = read_geojson(collection(line([[2.35, 48.85], [2.351, 48.85], [2.351, 48.85], [2.352, 48.85]])))
    assert streets.segment_count == 2


def test_a_street_drawn_twice_is_one_segment_with_the_higher_limit_and_a_name():
    streets = read_geojson(collection(line([[2.35, 48.85], [2.351, 48.85]], maxspeed=30),
                                      line([[2.351, 48.85], [2.35, 48.85]], maxspeed=50, name="Rue C")))
    assert streets.segment_count == 1
    assert streets.max_speed_ms[0] == pytest.approx(50 * KMH) and streets.names == ["Rue C"]
    no_limit = read_geojson(collection(line([[2.35, 48.85], [2.351, 48.85]], maxspeed=30),
                                       line([[2.351, 48.85], [2.35, 48.85]])))
    assert math.isnan(no_limit.max_speed_ms[0])


@pytest.mark.parametrize(("value", "kmh"), [
    (30, 30), (42.5, 42.5), ("30", 30), (" 50 ", 50), ("50 mph", 50 * 1.609344), ("30mph", 30 * 1.609344),
    ("50 km/h", 50), ("50;70", 70), ("10 knots", 18.52), ("walk", None), ("none", None), ("signals", None),
    ("RU:urban", None), ("FR:zone30", None), (0, None), (-5, None), (True, None), (None, None), ("", None),
])
def test_maxspeed_values(value, kmh):
    speed = maxspeed_ms(value)
    if kmh is None:
        assert math.isnan(speed)
    else:
        assert speed == pytest.approx(kmh / 3.6)


@pytest.mark.parametrize(("document", "fragments"), [
    ('{"type": "FeatureCollection",\n "features": [}', ["not JSON", "line 2, column 15"]),
    ("[1, 2]", ["not GeoJSON", '"type"']),
    ('{"features": []}', ["not GeoJSON", '"type"']),
    ('{"type": "Topology"}', ["not GeoJSON", "'Topology'"]),
    (collection(), ["no features"]),
    ('{"type": "FeatureCollection", "features": {}}', ['"features" list']),
    (collection(line([[2.35, 48.85], [2.351, 48.85]]), {"type": "Feature", "properties": {}}),
     ["feature 1", "has no geometry"]),
    (collection(line([[2.35, 48.85], [2.351, 48.85]]), {"type": "Feature", "geometry": None}),
     ["feature 1", "has no geometry"]),
    (collection(line([[2.35, 48.85]])), ["feature 0 (LineString)", "at least 2 positions, got 1"]),
    (collection(line([[2.35, 48.85], [2.351, 48.85]]), line([[2.35, 48.85], [2.351, 48.85], [2.352]])),
     ["feature 1 (LineString): position 2 is not [lon, lat]", "[2.352]"]),
    (collection(line([[2.35, 48.85], ["2.351", 48.85]])), ["feature 0 (LineString): position 1 is not [lon, lat]"]),
    (collection(line([[2.35, 48.85], [True, 48.85]])), ["feature 0 (LineString): position 1 is not [lon, lat]"]),
    ('{"type": "LineString", "coordinates": [[2.35, 48.85], [NaN, 48.85]]}',
     ["feature 0 (LineString): position 1 is not [lon, lat] (two finite numbers)"]),
    (collection(line([[2.35, 48.85], [2.351, 48.85]]), line([[2.35, 48.85], [2.351, 48.85], [200.5, 10]])),
     ["feature 1 (LineString): position 2 [200.5, 10]", "longitude outside [-180, 180]"]),
    (collection(line([[2.35, 48.85], [2.35, 95]])),
     ["feature 0 (LineString): position 1", "latitude outside [-90, 90]"]),
    (collection(line([[48.85, 2.35], [48.85, 120.0]])), ["position 1", "latitude outside", "longitude first"]),
    (collection({"type": "Feature", "properties": {},
                 "geometry": {"type": "MultiLineString", "coordinates": [[[2.35, 48.85], [2.351, 48.85]],
                                                                         [[2.35, 48.85], [2.35, -91]]]}}),
     ["feature 0 (MultiLineString): line 1, position 1", "latitude outside"]),
    (collection(line([[2.35, 48.85], [2.35, 48.85], [2.3500000001, 48.85]])),
     ["feature 0 (LineString)", "same point"]),
    (collection({"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [2.35, 48.85]}},
                {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": []}}),
     ["no LineString or MultiLineString", "Point, Polygon"]),
    (collection(line([[2.35, 48.85], [2.351, 48.85]], highway="footway"),
                line([[2.35, 48.85], [2.35, 48.851]], highway="cycleway")),
     ["no drivable street", "cycleway (1), footway (1)"]),
    (collection({"type": "Feature", "properties": {}, "geometry": {"type": "Circle", "coordinates": []}}),
     ["feature 0", "unknown geometry type 'Circle'"]),
    (collection(line([[2.35, 48.85], [2.351, 48.85]]), {"type": "Feature", "properties": [], "geometry": None}),
     ["feature 1"]),
    (b'\xff\xfe{"type": 1}', ["not UTF-8"]),
])
def test_geojson_errors_say_what_and_where(document, fragments):
    raises(document, *fragments, reader=read_geojson)
    if isinstance(document, str) and document.lstrip().startswith("{"):
        raises(document, *fragments)  # the same through the sniffing reader


# --- OSM XML ------------------------------------------------------------------------------------

def test_osm_keeps_the_drivable_ways_and_only_their_nodes():
    streets = read_osm_xml(OSM.encode())
    assert streets.source_format == "osm"
    assert streets.node_ids == ["1", "2", "3", "5"]  # 4 is only on the footway
    assert streets.segment_count == 3
    assert [(streets.node_ids[t], streets.node_ids[h]) for t, h in zip(streets.tails, streets.heads, strict=True)] == [
        ("1", "2"), ("2", "3"), ("3", "5")]
    assert streets.names == ["Rue B", "Rue B", ""]
    assert streets.max_speed_ms[0] == pytest.approx(20 * 0.44704) and math.isnan(streets.max_speed_ms[2])
    np.testing.assert_array_equal(streets.lonlat[0], [2.35, 48.85])


@pytest.mark.parametrize("pack", [bz2.compress, gzip.compress, lambda data: data])
def test_osm_plain_or_compressed_from_bytes_or_a_stream(pack):
    expected = read_osm_xml(OSM.encode())
    assert read_osm_xml(pack(OSM.encode())) == expected
    assert read_osm_xml(io.BytesIO(pack(OSM.encode()))) == expected
    assert read_streets(pack(OSM.encode()), "paris.osm") == expected


def test_osm_parses_across_chunks(monkeypatch):
    from stoa.core.hvm import streets_osm

    monkeypatch.setattr(streets_osm, "CHUNK", 7)
    assert read_osm_xml(bz2.compress(OSM.encode())).segment_count == 3


@pytest.mark.parametrize(("document", "fragments"), [
    (osm('<node id="1" lat="48.85" lon="2.35"/>\n<way id="42"><nd ref="1"/><nd ref="99"/>'
         '<tag k="highway" v="service"/></way>'),
     ["OSM XML line 4: way 42 refers to node 99, which is not in the file"]),
    (osm('<node id="1" lat="48.85" lon="2.35"/>\n<node id="2" lat="48.85" lon="2.351">\n</nod>'),
     ["OSM XML line 5", "not well-formed"]),
    (b'<?xml version="1.0"?>\n<osm>\n<node id="1" lat="1" lon="2"/>', ["OSM XML line 3", "not well-formed"]),
    (osm('<node id="1" lat="48.85" lon="2.35"/>\n<node id="7" lon="2.35"/>'),
     ["OSM XML line 4: node 7 has no lat/lon"]),
    (osm('<node id="1" lat="48.85" lon="abc"/>'), ["OSM XML line 3: node 1", "not numbers"]),
    (osm('<node id="1" lat="98.85" lon="2"/>'), ["OSM XML line 3: node 1", "outside"]),
    (osm('<node id="1" lat="48.85" lon="2.35"/>\n<node id="1" lat="48.85" lon="2.35"/>'),
     ["OSM XML line 4: node 1 is given twice"]),
    (osm('<node id="1" lat="48.85" lon="2.35"/><node id="2" lat="48.85" lon="2.351"/>\n'
         '<way id="5"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/></way>'), ["no drivable street"]),
    (osm(""), ["no drivable street"]),
    (b'<?xml version="1.0"?>\n<gpx version="1.1"></gpx>', ["OSM XML line 2", "root element is <gpx>"]),
    (b'<?xml version="1.0"?>\n<!DOCTYPE osm [<!ENTITY a "aaaa">]>\n<osm>&a;</osm>', ["OSM XML line 2", "DTD"]),
])
def test_osm_errors_say_what_and_where(document, fragments):
    raises(document, *fragments, reader=read_osm_xml)
    raises(document, *fragments)


def test_osm_segments_between_nodes_at_one_position_are_dropped():
    streets = read_osm_xml(osm('<node id="1" lat="48.85" lon="2.35"/><node id="2" lat="48.85" lon="2.35"/>'
                               '<node id="3" lat="48.85" lon="2.351"/>'
                               '<way id="5"><nd ref="1"/><nd ref="2"/><nd ref="3"/>'
                               '<tag k="highway" v="residential"/></way>'))
    assert streets.node_ids == ["2", "3"] and streets.segment_count == 1


def test_a_file_past_the_segment_limit_is_refused(monkeypatch):
    from stoa.core.hvm import streets as module
    from stoa.core.hvm import streets_osm

    assert MAX_SEGMENTS >= 1_000_000
    monkeypatch.setattr(module, "MAX_SEGMENTS", 2)
    monkeypatch.setattr(streets_osm, "MAX_SEGMENTS", 2)
    raises(OSM, "more than 2 street segments")
    raises(collection(line([[2.35, 48.85], [2.351, 48.85], [2.352, 48.85], [2.353, 48.85]])), "more than 2")


# --- sniffing -----------------------------------------------------------------------------------

def test_read_streets_tells_the_formats_apart():
    assert read_streets(CROSSING.encode()).source_format == "geojson"
    assert read_streets(b"\xef\xbb\xbf\n  " + CROSSING.encode()).source_format == "geojson"
    assert read_streets(gzip.compress(CROSSING.encode())) == read_geojson(CROSSING)
    assert read_streets(bz2.compress(CROSSING.encode())) == read_geojson(CROSSING)
    assert read_streets(OSM.encode()).source_format == "osm"


def test_read_streets_names_what_it_cannot_read():
    raises(b"id,lon,lat\n1,2,3\n", "streets.csv: not a street file", reader=lambda d: read_streets(d, "streets.csv"))
    raises(b"\x00\x00\x00\x0d\x0a\x09OSMHeader\x18", "OSM PBF", "osmium cat")
    raises(b"BZh9garbage", "not a valid bz2 file")
    raises(gzip.compress(OSM.encode())[:-30], "gzip file")


# --- projection, network, storage ---------------------------------------------------------------

def test_the_projection_is_the_one_of_the_geometry_pages():
    streets = read_geojson(CROSSING)
    lon0, lat0 = 2.3512, 48.8503
    expected = to_metric_about(Point(*streets.lonlat[3]), lon0, lat0)
    x, y = streets.projected(lon0, lat0)[3]
    assert x == pytest.approx(expected.x, abs=1e-6) and y == pytest.approx(expected.y, abs=1e-6)
    assert streets.centre() == pytest.approx((2.351, 48.85025))
    assert streets.lengths_m(lon0, lat0)[0] == pytest.approx(73.3, abs=0.1)  # 0.001° of longitude at 48.85° N


def test_to_network_gives_two_arcs_per_segment_with_the_limits():
    streets = read_geojson(CROSSING)
    network = streets.to_network(*streets.centre())
    assert isinstance(network, StreetNetwork)
    assert network.edge_count == 2 * streets.segment_count
    assert network.node_ids == streets.node_ids
    np.testing.assert_allclose(network.length[:streets.segment_count], streets.lengths_m(*streets.centre()))
    np.testing.assert_allclose(np.sqrt(network.limit2[:4]), [30 * KMH, 30 * KMH, 50 * KMH, 50 * KMH])
    assert np.isinf(streets.to_network(*streets.centre(), speed_limits=False).limit2).all()
    osm_streets = read_osm_xml(OSM.encode())
    osm_network = osm_streets.to_network(*osm_streets.centre())
    assert np.isinf(osm_network.limit2[2])  # "RU:urban" gives no limit
    [approach] = analyse_run_up(osm_network, ["5"], ["M1"])
    assert approach.speed_ms > 0 and approach.path[-1] == "5"


@pytest.mark.parametrize("document", [CROSSING, OSM])
def test_json_round_trip(document):
    streets = read_streets(document.encode())
    stored = json.loads(json.dumps(streets.to_json(), allow_nan=False))
    assert Streets.from_json(stored) == streets
    assert streets != Streets.from_json({**stored, "names": ["other", "names"][:len(stored["names"])]})


def test_stored_names_are_kept_once_each():
    stored = read_geojson(CROSSING).to_json()
    assert stored["names"] == ["Rue A", ""] and stored["name_of"] == [0, 0, 1, 1]


@pytest.mark.parametrize(("change", "fragment"), [
    ({"version": 2}, "unknown version"),
    ({"source_format": "shapefile"}, "source_format"),
    ({"node_ids": ["g0", "g0", "g2", "g3", "g4"]}, "not unique"),
    ({"node_ids": [0, 1, 2, 3, 4]}, "node_ids must be a list of str"),
    ({"lonlat": [[2.35, 48.85]] * 4}, "5 node_ids but 4"),
    ({"lonlat": [[2.35, 48.85]] * 4 + [[2.35, 91.0]]}, "node 4"),
    ({"lonlat": "nope"}, "lonlat"),
    ({"lonlat": [2.35, 48.85] * 5}, "lonlat must be a list of [lon, lat] pairs"),
    ({"lonlat": [["2.35", "48.85"]] * 5}, "lonlat must be a list of [lon, lat] pairs"),
    ({"lonlat": [[2.35, 48.85], [2.35]] + [[2.35, 48.85]] * 3}, "lonlat must be a list of [lon, lat] pairs"),
    ({"max_speed_ms": [True, None, None, None]}, "max_speed_ms"),
    ({"tails": [0, 1, 2]}, "equally long"),
    ({"tails": [0, 1, 3, 9]}, "tails holds an index outside 0–4"),
    ({"heads": [0, 1.5, 3, 4]}, "heads must be a list of integers"),
    ({"heads": [0, 2, 3, 4]}, "segment 0 has one node"),
    ({"max_speed_ms": [1.0, -2.0, None, None]}, "max_speed_ms"),
    ({"name_of": [0, 0, 1, 2]}, "name_of holds an index"),
    ({"tails": [], "heads": [], "max_speed_ms": [], "name_of": []}, "at least one segment"),
])
def test_from_json_refuses_bad_data(change, fragment):
    stored = read_geojson(CROSSING).to_json()
    with pytest.raises(StreetFileError) as caught:
        Streets.from_json({**stored, **change})
    assert fragment in str(caught.value)


def test_from_json_needs_every_key():
    stored = read_geojson(CROSSING).to_json()
    del stored["heads"]
    with pytest.raises(StreetFileError, match="missing heads"):
        Streets.from_json(stored)
    with pytest.raises(StreetFileError, match="JSON object"):
        Streets.from_json([])  # type: ignore[arg-type]
