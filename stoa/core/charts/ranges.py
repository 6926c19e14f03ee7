"""Risk scores per threat type as ranges on one scale, a self-contained SVG string.

One group per threat type; in it one line per series ("Before", "After", "This place now"): a bar
from the lowest to the highest value and a mark at the middle value (the median), with the
numbers written beside it, so neither colour nor position is the only cue. A group may carry a
note instead of bars (e.g. too few cases to show). Same conventions as ``stoa.core.charts.radar``:
``role="img"``, a ``<title>`` and a ``<desc>`` with every number in words, XML-escaped text,
presentation attributes only (a strict Content-Security-Policy allows it), ids from the content.
Words are parameters, since this package has no translation machinery.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

TEXT = "#212529"
GRID = "#ced4da"
FONT = "DejaVu Sans, Arial, sans-serif"
# Dark to light, and each series also differs by its mark's shape, so it reads in grey.
COLOURS = ("#6c2b04", "#0b5394", "#1b5e20")
MARKS = ("circle", "diamond", "square")


@dataclass(frozen=True)
class Series:
    name: str
    low: float
    middle: float
    high: float


@dataclass(frozen=True)
class Group:
    label: str
    series: Sequence[Series] = field(default_factory=tuple)
    note: str = ""  # a line of text under the bars (e.g. too few cases to show figures)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _v(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def words(series: Series) -> str:
    if series.low == series.high:
        return f"{series.name} {_v(series.middle)}"
    return f"{series.name} {_v(series.middle)} ({_v(series.low)}–{_v(series.high)})"


def _mark(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4.5" fill="{colour}"/>'
    if shape == "diamond":
        return (f'<polygon points="{_n(x)},{_n(y - 5.5)} {_n(x + 5.5)},{_n(y)} {_n(x)},{_n(y + 5.5)} '
                f'{_n(x - 5.5)},{_n(y)}" fill="{colour}"/>')
    return f'<rect x="{_n(x - 4.5)}" y="{_n(y - 4.5)}" width="9" height="9" fill="{colour}"/>'


def _text(value: str, x: float, y: float, size: int, anchor: str = "start", bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{_n(x)}" y="{_n(y)}" font-family="{FONT}" font-size="{size}" fill="{TEXT}" '
            f'text-anchor="{anchor}"{weight}>{escape(value)}</text>')


def range_chart_svg(groups: Sequence[Group], maximum: float, *, title: str, width: int = 640) -> str:
    """The chart of GROUPS on a scale 0–MAXIMUM. ValueError on no group, a bad maximum or a value off the scale."""
    if not groups:
        raise ValueError("a range chart needs at least one group")
    if not (isinstance(maximum, int | float) and math.isfinite(maximum) and maximum > 0):
        raise ValueError(f"the maximum must be a positive number, not {maximum!r}")
    if width < 320:
        raise ValueError(f"the width must be at least 320 pixels, not {width!r}")
    names = list(dict.fromkeys(s.name for g in groups for s in g.series))
    for group in groups:
        for s in group.series:
            if not all(isinstance(v, int | float) and math.isfinite(v) and 0 <= v <= maximum
                       for v in (s.low, s.middle, s.high)) or not s.low <= s.middle <= s.high:
                raise ValueError(f"{group.label}, {s.name}: low ≤ middle ≤ high within 0–{maximum} is needed")
    font, line, gap = 11, 18, 8
    # Each group's name on its own line above its bars, so a long threat name is never cut.
    left, right = 16, width - 150  # room on the right for the numbers
    scale = (right - left) / maximum
    uid = "ranges-" + hashlib.sha256(repr((title, groups, maximum, width)).encode()).hexdigest()[:10]
    height = 24 + sum(line * (1 + max(1, len(g.series) + bool(g.note))) + gap for g in groups) + 22 + line
    description = "; ".join(f"{g.label}: " + ", ".join([*(words(s) for s in g.series), *([g.note] if g.note else [])])
                            for g in groups) + "."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="range-chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{uid}-title {uid}-desc">',
        f'<title id="{uid}-title">{escape(title)}</title>', f'<desc id="{uid}-desc">{escape(description)}</desc>',
    ]
    # Legend on top, then the scale's grid lines.
    x = 0.0
    for k, name in enumerate(names):
        parts.append(_mark(MARKS[k % 3], x + 6, 10, COLOURS[k % 3]))
        parts.append(_text(name, x + 16, 14, font))
        x += 24 + len(name) * font * 0.62
    top, bottom = 24, height - 22 - line + 4
    step = 5 if maximum > 10 else 1
    tick = 0
    while tick <= maximum + 1e-9:
        gx = left + tick * scale
        parts.append(f'<line x1="{_n(gx)}" y1="{top}" x2="{_n(gx)}" y2="{_n(bottom)}" stroke="{GRID}"/>')
        parts.append(_text(_v(tick), gx, bottom + 14, 10, anchor="middle"))
        tick += step
    y = float(top)
    for group in groups:
        # A white band behind the name keeps the grid lines from running through it.
        parts.append(f'<rect x="0" y="{_n(y + 1)}" width="{_n(min(width, len(group.label) * font * 0.66 + 6))}" '
                     f'height="{line - 2}" fill="#ffffff"/>')
        parts.append(_text(group.label, 0, y + line * 0.7, font, bold=True))
        y += line
        for s in group.series:
            k = names.index(s.name)
            cy = y + line / 2
            if s.high > s.low:
                parts.append(f'<rect x="{_n(left + s.low * scale)}" y="{_n(cy - 3)}" '
                             f'width="{_n((s.high - s.low) * scale)}" height="6" fill="{COLOURS[k % 3]}" '
                             f'fill-opacity="0.35"/>')
            parts.append(_mark(MARKS[k % 3], left + s.middle * scale, cy, COLOURS[k % 3]))
            parts.append(_text(words(s), right + 8, cy + 4, 10))
            y += line
        if group.note:
            band = min(width - left, len(group.note) * font * 0.62 + 8)
            parts.append(f'<rect x="{left}" y="{_n(y + 1)}" width="{_n(band)}" height="{line - 2}" fill="#ffffff"/>')
            parts.append(_text(group.note, left + 4, y + line * 0.7, font))
            y += line
        elif not group.series:
            y += line
        y += gap
        parts.append(f'<line x1="0" y1="{_n(y - gap / 2)}" x2="{width}" y2="{_n(y - gap / 2)}" stroke="{GRID}" '
                     f'stroke-dasharray="2 3"/>')
    parts.append("</svg>")
    return "".join(parts)
