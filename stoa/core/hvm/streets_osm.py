"""The OSM XML half of ``stoa.core.hvm.streets`` (its module doc gives the rules).

Read with expat directly rather than ElementTree: it streams (a city extract need not fit in
memory as a tree), it tells the line of every element for the messages, and its handlers can
refuse a DTD before any entity is expanded.
"""

from __future__ import annotations

import bz2
import io
import math
import zlib
from array import array
from collections.abc import Callable, Iterator
from typing import IO
from xml.parsers import expat

import numpy as np

from stoa.core.hvm.streets import DRIVABLE, MAX_SEGMENTS, StreetFileError, Streets, assemble, maxspeed_ms

CHUNK = 1 << 20  # bytes fed to the parser (and inflated) at a time, so memory stays flat
MAX_FILE_NODES = 10_000_000  # every node is held until the ways are known; past it, memory would run out first


def decompressed_chunks(data: bytes | IO[bytes]) -> Iterator[bytes]:
    """DATA's content in pieces of at most CHUNK bytes, inflated when it starts like bz2 or gzip."""
    stream: IO[bytes] = io.BytesIO(data) if isinstance(data, bytes) else data
    head = stream.read(CHUNK)
    if head.startswith(b"BZh"):
        yield from _inflate(stream, head, bz2.BZ2Decompressor, "bz2")
    elif head.startswith(b"\x1f\x8b"):
        yield from _inflate(stream, head, lambda: zlib.decompressobj(wbits=31), "gzip")
    else:
        while head:
            yield head
            head = stream.read(CHUNK)


def _inflate(stream: IO[bytes], pending: bytes, make: Callable[[], object], kind: str) -> Iterator[bytes]:
    # Each piece is bounded (max_length): a small bomb is streamed, never inflated whole.
    decompressor = make()
    exhausted = False
    try:
        while True:
            out = decompressor.decompress(pending, CHUNK)  # type: ignore[attr-defined]
            pending = getattr(decompressor, "unconsumed_tail", b"")
            if out:
                yield out
            if decompressor.eof:  # type: ignore[attr-defined]
                # Concatenated streams (pbzip2, `cat a.gz b.gz`) are one file.
                pending = decompressor.unused_data or stream.read(CHUNK)  # type: ignore[attr-defined]
                if not pending:
                    return
                decompressor, exhausted = make(), False
            elif not pending and not (out and not getattr(decompressor, "needs_input", False)):
                if exhausted:
                    raise StreetFileError(f"the {kind} file is cut short")
                pending = stream.read(CHUNK)
                exhausted = not pending
    except (OSError, EOFError, zlib.error) as exc:
        raise StreetFileError(f"not a valid {kind} file: {exc}") from None


class _OsmReader:
    def __init__(self, parser: expat.XMLParserType) -> None:
        self.parser = parser
        self.node_index: dict[str, int] = {}
        self.lon = array("d")
        self.lat = array("d")
        self.ways: list[tuple[str, int, list[str], float, str]] = []  # id, line, refs, max speed, name
        self.segments = 0
        self.depth = 0
        self.way: tuple[str, int] | None = None
        self.refs: list[str] = []
        self.tags: dict[str, str] = {}

    def error(self, message: str) -> StreetFileError:
        return StreetFileError(f"OSM XML line {self.parser.CurrentLineNumber}: {message}")

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth == 1:
            if tag != "osm":
                raise self.error(f"not an OSM XML file: the root element is <{tag}>, not <osm>")
        elif tag == "node" and self.depth == 2:
            self.node(attrs)
        elif tag == "way" and self.depth == 2:
            self.way = (attrs.get("id", "?"), self.parser.CurrentLineNumber)
            self.refs, self.tags = [], {}
        elif self.way is not None and tag == "nd":
            if "ref" not in attrs:
                raise self.error(f"way {self.way[0]}: an <nd> without ref")
            self.refs.append(attrs["ref"])
        elif self.way is not None and tag == "tag":
            self.tags[attrs.get("k", "")] = attrs.get("v", "")

    def node(self, attrs: dict[str, str]) -> None:
        number = attrs.get("id")
        if number is None:
            raise self.error("a node without id")
        if "lat" not in attrs or "lon" not in attrs:
            raise self.error(f"node {number} has no lat/lon (a deleted node, or a change file?)")
        try:
            lat, lon = float(attrs["lat"]), float(attrs["lon"])
        except ValueError:
            raise self.error(f"node {number}: lat/lon {attrs['lat']!r}, {attrs['lon']!r} are not numbers") from None
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            raise self.error(f"node {number}: lat/lon {lat:g}, {lon:g} are outside WGS84's range")
        if number in self.node_index:
            raise self.error(f"node {number} is given twice")
        if len(self.node_index) >= MAX_FILE_NODES:
            raise self.error(f"the file has more than {MAX_FILE_NODES:,} nodes; cut it to the area around the sites")
        self.node_index[number] = len(self.lon)
        self.lon.append(lon)
        self.lat.append(lat)

    def end(self, tag: str) -> None:
        self.depth -= 1
        if tag != "way" or self.way is None:
            return
        if (self.tags.get("highway") in DRIVABLE and self.tags.get("area") != "yes" and len(self.refs) >= 2):
            self.segments += len(self.refs) - 1
            if self.segments > MAX_SEGMENTS:
                raise self.error(f"more than {MAX_SEGMENTS:,} street segments, the most Stoa reads; cut the file to "
                                 "the area around the sites")
            self.ways.append((self.way[0], self.way[1], self.refs, maxspeed_ms(self.tags.get("maxspeed")),
                              self.tags.get("name", "")))
        self.way = None

    def streets(self) -> Streets:
        if not self.ways:
            raise StreetFileError("no drivable street: no way has a drivable highway tag "
                                  f"({', '.join(sorted(DRIVABLE))})")
        tails, heads, speeds, names = array("q"), array("q"), array("d"), []
        for number, line, refs, speed, name in self.ways:
            try:
                nodes = [self.node_index[ref] for ref in refs]
            except KeyError as exc:
                raise StreetFileError(f"OSM XML line {line}: way {number} refers to node {exc.args[0]}, which is not "
                                      "in the file (export it with complete ways)") from None
            tails.extend(nodes[:-1])
            heads.extend(nodes[1:])
            speeds.extend([speed] * (len(nodes) - 1))
            names.extend([name] * (len(nodes) - 1))
        lonlat = np.column_stack([np.frombuffer(self.lon, dtype=float), np.frombuffer(self.lat, dtype=float)])
        return assemble(list(self.node_index), lonlat, np.frombuffer(tails, dtype=np.int64).copy(),
                        np.frombuffer(heads, dtype=np.int64).copy(), np.frombuffer(speeds, dtype=float).copy(),
                        names, "osm")


def _refuse_dtd(reader: _OsmReader) -> Callable[..., None]:
    def refuse(*_: object) -> None:
        raise reader.error("a DTD or entity declaration: OSM files have none, and Stoa does not expand them")
    return refuse


def read_osm_xml(data: bytes | IO[bytes]) -> Streets:
    """The drivable streets of an OSM XML file, plain or bz2/gzip (see ``stoa.core.hvm.streets``)."""
    parser = expat.ParserCreate()
    reader = _OsmReader(parser)
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.StartDoctypeDeclHandler = _refuse_dtd(reader)
    parser.EntityDeclHandler = _refuse_dtd(reader)
    parser.buffer_text = True
    try:
        for chunk in decompressed_chunks(data):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise StreetFileError(f"OSM XML line {exc.lineno}, column {exc.offset + 1}: not well-formed XML "
                              f"({expat.ErrorString(exc.code)})") from None
    return reader.streets()
