"""A horizontal grouped bar chart as a self-contained SVG string (for reports: costs per year,
current against residual risk per public space).

One row per category, top to bottom in the order given, with one bar per series; every bar carries
its value as text at its end, and the legend names the series, so neither colour nor length is
the only carrier of a number (the report prints the same numbers in a table as well). Series
differ by fill and by outline (solid, dashed, dotted), so the chart reads in black and white.

Like ``radar.py``: ``role="img"`` with a ``<title>`` and a ``<desc>`` listing every value, escaped
labels, presentation attributes only (a strict CSP allows it), basic SVG that WeasyPrint draws.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from html import escape

FILLS = ("#1d3557", "#f4a261", "#2a9d8f")
DASHES = ("", "4 2", "1 2")
TEXT = "#212529"
FONT = "DejaVu Sans, Arial, sans-serif"
LABEL_CHARS = 28  # a category label longer than this is cut with an ellipsis (the table has it whole)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _plain(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def _describe(categories: Sequence[str], series: Sequence[str], values: Sequence[Sequence[float]],
              fmt: Callable[[float], str]) -> str:
    """Every value in words, for screen readers: "2027: Capital 123 400 €, Yearly 5 600 €; …"."""
    return "; ".join(f"{category}: " + ", ".join(f"{name} {fmt(float(v))}" for name, v in zip(series, row, strict=True))
                     for category, row in zip(categories, values, strict=True))


def bar_chart_svg(categories: Sequence[str], series: Sequence[str], values: Sequence[Sequence[float]], *,
                  title: str, width: int = 640, fmt: Callable[[float], str] = _plain) -> str:
    """VALUES[i][j] is series j of category i; every value a finite number ≥ 0.

    ValueError when there is no category, no series or more than three, a row of VALUES does not
    have one value per series, or a value is negative or not finite.
    """
    if not categories or not series or len(series) > len(FILLS):
        raise ValueError("give at least one category and one to three series")
    if len(values) != len(categories) or any(len(row) != len(series) for row in values):
        raise ValueError("give one value per series for every category")
    flat = [float(v) for row in values for v in row]
    if any(not math.isfinite(v) or v < 0 for v in flat):
        raise ValueError("values must be finite numbers from 0 up")
    top = max(flat) or 1.0
    bar, gap, label_w, value_w, legend_h = 14, 10, 190, 90, 26
    row_h = bar * len(series) + gap
    height = legend_h + row_h * len(categories) + 8
    plot_w = width - label_w - value_w
    ident = "bars-" + hashlib.sha1(repr((title, categories, flat)).encode(), usedforsecurity=False).hexdigest()[:10]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-labelledby="{ident}-t {ident}-d" '
             f'overflow="visible" font-family="{FONT}" font-size="11">',
             f'<title id="{ident}-t">{escape(title)}</title>',
             f'<desc id="{ident}-d">{escape(_describe(categories, series, values, fmt))}</desc>']
    x = label_w
    for j, name in enumerate(series):  # the legend
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{FILLS[j]}" stroke="{TEXT}" '
                     f'stroke-dasharray="{DASHES[j]}"/><text x="{x + 16}" y="14" fill="{TEXT}">{escape(name)}</text>')
        x += 24 + 7 * len(name)
    for i, (category, row) in enumerate(zip(categories, values, strict=True)):
        y0 = legend_h + i * row_h
        parts.append(f'<text x="{label_w - 6}" y="{y0 + bar * len(series) / 2 + 4:.1f}" text-anchor="end" '
                     f'fill="{TEXT}">{escape(_short(category))}</text>')
        for j, value in enumerate(row):
            y = y0 + j * bar
            length = plot_w * float(value) / top
            dash = f' stroke-dasharray="{DASHES[j]}"' if DASHES[j] else ""
            parts.append(f'<rect x="{label_w}" y="{y + 1}" width="{length:.1f}" height="{bar - 2}" '
                         f'fill="{FILLS[j]}" stroke="{TEXT}" stroke-width="0.6"{dash}/>')
            parts.append(f'<text x="{label_w + length + 4:.1f}" y="{y + bar - 3}" fill="{TEXT}">'
                         f'{escape(fmt(float(value)))}</text>')
    parts.append(f'<line x1="{label_w}" y1="{legend_h - 2}" x2="{label_w}" y2="{height - 6}" stroke="{TEXT}"/>')
    return "".join(parts) + "</svg>"
