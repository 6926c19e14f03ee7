"""A radar (spider) chart as a self-contained SVG string.

One spoke per axis, clockwise from twelve o'clock, in the order given; the value of each axis is
a point on its spoke (0 at the centre, ``maximum`` at the rim) and the points are joined into one
filled shape. Rings mark equal steps of the scale: one ring per whole step when ``maximum`` is a
whole number from 2 to 10 (e.g. the levels of a risk matrix), else four.

The SVG is meant to be put inline in an HTML page or a WeasyPrint PDF:

* ``role="img"`` with a ``<title>`` and a ``<desc>`` that lists every axis and its value, so a
  screen reader gets the numbers (pages still show a data table next to the chart);
* every label is XML-escaped; ids are derived from the content, so two charts on one page differ;
* colours are presentation attributes, not ``style``, so a strict Content-Security-Policy allows it;
* only basic SVG (polygon, line, circle, text, tspan) that WeasyPrint draws; ``overflow="visible"``
  because WeasyPrint measures end-anchored text a little wide and would clip its first letter.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from html import escape

GRID = "#adb5bd"
SHAPE = "#0d6efd"
TEXT = "#212529"
FONT = "DejaVu Sans, Arial, sans-serif"
LABEL_LINE = 14  # characters per label line before it wraps onto a second one


def radar_svg(axes: Sequence[tuple[str, float]], maximum: float, *, title: str, width: int = 360) -> str:
    """The radar chart of AXES ((label, value) pairs) on the scale 0..MAXIMUM, WIDTH pixels square.

    ValueError when there are fewer than three axes, MAXIMUM is not a positive finite number, a
    value is not a finite number from 0 to MAXIMUM, or WIDTH is below 120.
    """
    _check(axes, maximum, width)
    size = float(width)
    centre = size / 2
    radius = size * 0.27  # leaves room round the rim for the labels (short names fit best)
    uid = "radar-" + hashlib.sha256(repr((title, list(axes), maximum)).encode()).hexdigest()[:10]
    angles = [2 * math.pi * i / len(axes) for i in range(len(axes))]

    def point(angle: float, fraction: float) -> tuple[float, float]:
        return centre + radius * fraction * math.sin(angle), centre - radius * fraction * math.cos(angle)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="radar-chart" overflow="visible" '
        f'width="{width}" height="{width}" viewBox="0 0 {width} {width}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(_description(axes, maximum))}</desc>',
    ]
    steps = _ring_count(maximum)
    for step in range(1, steps + 1):
        ring = " ".join(_xy(*point(angle, step / steps)) for angle in angles)
        parts.append(f'<polygon points="{ring}" fill="none" stroke="{GRID}" stroke-width="1"/>')
    for angle in angles:
        x, y = point(angle, 1.0)
        parts.append(f'<line x1="{_n(centre)}" y1="{_n(centre)}" x2="{_n(x)}" y2="{_n(y)}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
    corners = [point(angle, value / maximum) for angle, (_label, value) in zip(angles, axes, strict=True)]
    parts.append(f'<polygon points="{" ".join(_xy(x, y) for x, y in corners)}" fill="{SHAPE}" '
                 f'fill-opacity="0.25" stroke="{SHAPE}" stroke-width="2"/>')
    for x, y in corners:
        parts.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3" fill="{SHAPE}"/>')
    font_size = max(9, round(size / 32))
    for angle, (label, _value) in zip(angles, axes, strict=True):
        parts.append(_label(label, *point(angle, 1.12), math.sin(angle), math.cos(angle), font_size))
    parts.append("</svg>")
    return "".join(parts)


def _check(axes: Sequence[tuple[str, float]], maximum: float, width: int) -> None:
    if len(axes) < 3:
        raise ValueError(f"a radar chart needs at least three axes, not {len(axes)}")
    if isinstance(maximum, bool) or not isinstance(maximum, int | float) or not math.isfinite(maximum) \
            or maximum <= 0:
        raise ValueError(f"the maximum must be a positive number, not {maximum!r}")
    if isinstance(width, bool) or not isinstance(width, int) or width < 120:
        raise ValueError(f"the width must be a whole number of pixels from 120, not {width!r}")
    for label, value in axes:
        if not isinstance(label, str):
            raise ValueError(f"axis label {label!r} is not text")
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
                or not 0 <= value <= maximum:
            raise ValueError(f"the value of {label!r} must be a number from 0 to {maximum}, not {value!r}")


def _ring_count(maximum: float) -> int:
    return int(maximum) if float(maximum).is_integer() and 2 <= maximum <= 10 else 4


def _description(axes: Sequence[tuple[str, float]], maximum: float) -> str:
    return "; ".join(f"{label}: {_g(value)} / {_g(maximum)}" for label, value in axes) + "."


def _label(text: str, x: float, y: float, sin: float, cos: float, font_size: int) -> str:
    """A label just outside the rim, anchored away from the chart so it never covers it."""
    anchor = "middle" if abs(sin) < 0.2 else ("start" if sin > 0 else "end")
    lines = _wrap(text)
    extra = (len(lines) - 1) * font_size
    if cos > 0.2:  # above the centre: the label grows upwards, away from the rim
        first_dy = 0.35 * font_size - extra
    elif cos < -0.2:  # below: it hangs downwards
        first_dy = 0.9 * font_size
    else:  # beside: centred on its spoke
        first_dy = 0.35 * font_size - extra / 2
    spans = "".join(
        f'<tspan x="{_n(x)}" dy="{_n(first_dy if i == 0 else font_size)}">{escape(line)}</tspan>'
        for i, line in enumerate(lines))
    return (f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-family="{FONT}" '
            f'font-size="{font_size}" fill="{TEXT}">{spans}</text>')


def _wrap(text: str) -> list[str]:
    """At most two lines: break at the last space before LABEL_LINE characters when there is one."""
    if len(text) <= LABEL_LINE or " " not in text:
        return [text]
    cut = text.rfind(" ", 0, LABEL_LINE + 1)
    if cut <= 0:
        cut = text.find(" ")
    return [text[:cut], text[cut + 1:]]


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))


def _xy(x: float, y: float) -> str:
    return f"{_n(x)},{_n(y)}"


def _g(value: float) -> str:
    return f"{value:g}"
