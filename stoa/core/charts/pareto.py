"""The cost–risk curve of a budget optimisation as a self-contained SVG string.

X: the capital budget (€); Y: the risk left (Σ likelihood × consequence). The curve joins the
optimal choices at each budget of the Pareto sweep as a step line (the risk left only changes
where a budget affords a better set); the chosen budget's optimum and the greedy choice are
marked with different shapes (a circle and a square) and labelled in words, so neither colour
nor shape alone carries them. Like the other charts here: ``role="img"`` with a ``<title>`` and a
``<desc>`` listing every point, XML-escaped text, presentation attributes only (strict CSP), and
the words passed in as parameters (this package has no translation machinery).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from html import escape

TEXT = "#212529"
GRID = "#adb5bd"
LINE = "#0d6efd"
GREEDY = "#b35806"
FONT = "DejaVu Sans, Arial, sans-serif"


def _ticks(top: float, count: int = 4) -> list[float]:
    if top <= 0:
        return [0.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [step * k for k in range(int(top / step) + 1)]


def _money(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f} M€"
    if value >= 1_000:
        return f"{value / 1_000:.0f} k€"
    return f"{value:.0f} €"


def pareto_svg(points: Sequence[tuple[float, float]], *, title: str, x_label: str, y_label: str,
               chosen: tuple[float, float] | None = None, chosen_label: str = "",
               greedy: tuple[float, float] | None = None, greedy_label: str = "", width: int = 640,
               height: int = 320) -> str:
    """POINTS are (budget €, risk left), any order. ValueError when there is none or one is not finite."""
    if not points:
        raise ValueError("the curve needs at least one point")
    data = sorted((float(x), float(y)) for x, y in points)
    marks = [p for p in (chosen, greedy) if p is not None]
    if not all(math.isfinite(v) for p in data + marks for v in p):
        raise ValueError("every point must be two finite numbers")
    left, right, top, bottom = 70, 16, 16, 48
    x_max = max([x for x, _ in data] + [x for x, _ in marks]) or 1.0
    y_max = max([y for _, y in data] + [y for _, y in marks]) or 1.0

    def sx(x: float) -> float:
        return left + (width - left - right) * x / x_max

    def sy(y: float) -> float:
        return top + (height - top - bottom) * (1 - y / y_max)

    desc = "; ".join(f"{_money(x)}: {y:.1f}" for x, y in data)
    if chosen is not None:
        desc += f". {chosen_label}: {_money(chosen[0])}, {chosen[1]:.1f}"
    if greedy is not None:
        desc += f". {greedy_label}: {_money(greedy[0])}, {greedy[1]:.1f}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" font-family="{FONT}" font-size="11">',
             f"<title>{escape(title)}</title>", f"<desc>{escape(x_label)} → {escape(y_label)}: {escape(desc)}</desc>"]
    for x in _ticks(x_max):
        parts.append(f'<line x1="{sx(x):.1f}" y1="{top}" x2="{sx(x):.1f}" y2="{height - bottom}" stroke="{GRID}" '
                     f'stroke-width="0.5"/>')
        parts.append(f'<text x="{sx(x):.1f}" y="{height - bottom + 14}" text-anchor="middle" fill="{TEXT}">'
                     f"{escape(_money(x))}</text>")
    for y in _ticks(y_max):
        parts.append(f'<line x1="{left}" y1="{sy(y):.1f}" x2="{width - right}" y2="{sy(y):.1f}" stroke="{GRID}" '
                     f'stroke-width="0.5"/>')
        parts.append(f'<text x="{left - 6}" y="{sy(y) + 4:.1f}" text-anchor="end" fill="{TEXT}">{y:g}</text>')
    parts.append(f'<text x="{(left + width - right) / 2:.1f}" y="{height - 8}" text-anchor="middle" '
                 f'fill="{TEXT}">{escape(x_label)}</text>')
    parts.append(f'<text x="14" y="{(top + height - bottom) / 2:.1f}" text-anchor="middle" fill="{TEXT}" '
                 f'transform="rotate(-90 14 {(top + height - bottom) / 2:.1f})">{escape(y_label)}</text>')
    steps = [f"{sx(data[0][0]):.1f},{sy(data[0][1]):.1f}"]
    for (_x0, y0), (x1, y1) in itertools.pairwise(data):
        steps.append(f"{sx(x1):.1f},{sy(y0):.1f}")
        steps.append(f"{sx(x1):.1f},{sy(y1):.1f}")
    parts.append(f'<polyline points="{" ".join(steps)}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    for x, y in data:
        parts.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="2.5" fill="{LINE}"/>')
    if greedy is not None:
        gx, gy = sx(greedy[0]), sy(greedy[1])
        parts.append(f'<rect x="{gx - 5:.1f}" y="{gy - 5:.1f}" width="10" height="10" fill="none" stroke="{GREEDY}" '
                     f'stroke-width="2"><title>{escape(greedy_label)}</title></rect>')
        parts.append(f'<text x="{gx + 8:.1f}" y="{gy + 16:.1f}" fill="{GREEDY}">{escape(greedy_label)}</text>')
    if chosen is not None:
        cx, cy = sx(chosen[0]), sy(chosen[1])
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="6" fill="none" stroke="{TEXT}" stroke-width="2">'
                     f"<title>{escape(chosen_label)}</title></circle>")
        parts.append(f'<text x="{cx + 8:.1f}" y="{cy - 8:.1f}" fill="{TEXT}">{escape(chosen_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
