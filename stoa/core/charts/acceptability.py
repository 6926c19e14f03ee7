"""Rank acceptability and weights as self-contained SVG strings, for the evaluation pages and record.

``acceptability_svg``: one horizontal stacked bar per alternative, its segments the probability of
rank 1, 2, … n under weight perturbation, left to right. ``weights_svg``: one bar per criterion,
under its group's name, for the weights an evaluation used.

Like ``stoa.core.charts.radar``, the SVG is inline-ready for an HTML page or a WeasyPrint PDF:

* ``role="img"`` with a ``<title>`` and a ``<desc>`` giving every number in words, so a screen
  reader gets them; ``acceptability_table`` gives the same numbers as rows for a fallback table;
* never colour alone: ranks go left to right in order; a segment is labelled with its rank and
  percentage ("Rank 2: 30%") when that fits, else with its percentage when that fits, and always
  carries a ``<title>`` with both; the legend names each rank, and the palette runs dark (rank 1)
  to light so it also reads in grey;
* every text is XML-escaped; ids come from the content, so two charts on one page differ;
* presentation attributes, never ``style``, so a strict Content-Security-Policy allows it.

Words such as "Rank {rank}" are parameters, because this package has no translation machinery.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

TEXT = "#212529"
GRID = "#adb5bd"
BAR = "#0d6efd"
FONT = "DejaVu Sans, Arial, sans-serif"
DARK, LIGHT = (8, 48, 107), (198, 219, 239)  # rank 1 → last rank, a blue ramp that also reads in grey
TOLERANCE = 1e-6
CHAR_WIDTH = 0.6  # average glyph width as a share of the font size, to judge whether a label fits


@dataclass(frozen=True)
class AcceptabilityRow:
    """One alternative's rank probabilities in percent (rank 1 first) and its most likely rank."""

    name: str
    percents: list[float]
    most_likely_rank: int


def acceptability_table(alternatives: Sequence[str], matrix: Sequence[Sequence[float]]) -> list[AcceptabilityRow]:
    """The numbers of the chart as rows (percent to one decimal), for a table beside or instead of it."""
    _check_matrix(alternatives, matrix)
    rows = []
    for name, probabilities in zip(alternatives, matrix, strict=True):
        values = [float(p) for p in probabilities]
        best = max(range(len(values)), key=lambda k: (values[k], -k)) if values else 0
        rows.append(AcceptabilityRow(name, [round(100 * p, 1) for p in values], best + 1))
    return rows


def acceptability_svg(alternatives: Sequence[str], matrix: Sequence[Sequence[float]], *, title: str,
                      rank_label: str = "Rank {rank}", width: int = 640) -> str:
    """The stacked bars of MATRIX (alternatives × ranks, probabilities 0–1 per row summing to 1).

    RANK_LABEL is the legend's words for a rank, with ``{rank}`` where its number goes. ValueError
    when there is no alternative, a row is not as long as there are alternatives, a probability is
    not a finite number from 0 to 1, a row does not sum to 1, or WIDTH is below 240.
    """
    _check_matrix(alternatives, matrix)
    _check_width(width)
    if "{rank}" not in rank_label:
        raise ValueError("the rank label needs {rank} where the number goes")
    ranks = len(alternatives)
    font = 11
    bar_height, gap, top = 22, 8, 8
    label_width = round(width * 0.3)
    bar_x, bar_width = label_width + 8, width - label_width - 16
    colours = [_ramp(k, ranks) for k in range(ranks)]
    uid = "acceptability-" + _digest(title, list(alternatives), [list(map(float, row)) for row in matrix], width)
    legend_items = [rank_label.format(rank=k + 1) for k in range(ranks)]
    legend_rows = _legend_layout(legend_items, width, font)
    height = top + ranks * (bar_height + gap) + 8 + len(legend_rows) * (font + 10)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="acceptability-chart" overflow="visible" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(_acceptability_words(alternatives, matrix, rank_label))}</desc>',
    ]
    for i, (name, probabilities) in enumerate(zip(alternatives, matrix, strict=True)):
        y = top + i * (bar_height + gap)
        parts.append(f'<g><title>{escape(name)}</title>')
        parts.append(_text(_fit(name, label_width, font), label_width, y + bar_height / 2 + font * 0.35, font,
                           anchor="end"))
        x = float(bar_x)
        for k, p in enumerate(probabilities):
            share = float(p) * bar_width
            if share <= 0:
                continue
            words = f"{rank_label.format(rank=k + 1)}: {_percent(float(p))}"
            parts.append(f'<rect x="{_n(x)}" y="{y}" width="{_n(share)}" height="{bar_height}" '
                         f'fill="{_hex(colours[k])}" stroke="#ffffff" stroke-width="1">'
                         f'<title>{escape(f"{name}, {words}")}</title></rect>')
            label = next((text for text in (words, _percent(float(p)))
                          if share >= len(text) * font * CHAR_WIDTH + 6), "")
            if label:
                parts.append(_text(label, x + share / 2, y + bar_height / 2 + font * 0.35, font, anchor="middle",
                                   fill=_ink(colours[k])))
            x += share
        parts.append("</g>")
    parts.append(f'<line x1="{bar_x}" y1="{top - 2}" x2="{bar_x}" '
                 f'y2="{top + ranks * (bar_height + gap) - gap + 2}" stroke="{GRID}" stroke-width="1"/>')
    y = top + ranks * (bar_height + gap) + 8
    for row in legend_rows:
        x = float(bar_x)
        for k, item, item_width in row:
            parts.append(f'<rect x="{_n(x)}" y="{y}" width="{font}" height="{font}" fill="{_hex(colours[k])}" '
                         f'stroke="{GRID}" stroke-width="0.5"/>')
            parts.append(_text(item, x + font + 4, y + font * 0.85, font, anchor="start"))
            x += item_width
        y += font + 10
    parts.append("</svg>")
    return "".join(parts)


def weights_svg(groups: Sequence[tuple[str, Sequence[tuple[str, float]]]], *, title: str, width: int = 640) -> str:
    """One bar per criterion (weights as shares 0–1), grouped under each group's name, with its percentage.

    GROUPS is [(group name, [(criterion name, weight), …]), …]. ValueError when there is no
    criterion, a weight is not a finite number from 0 to 1, or WIDTH is below 240.
    """
    _check_width(width)
    items = [(name, weight) for _group, criteria in groups for name, weight in criteria]
    if not items:
        raise ValueError("a weights chart needs at least one criterion")
    for name, weight in items:
        if not isinstance(name, str):
            raise ValueError(f"criterion name {name!r} is not text")
        if not _probability(weight):
            raise ValueError(f"the weight of {name!r} must be a number from 0 to 1, not {weight!r}")
    font, bar_height, gap = 10, 14, 4
    label_width = round(width * 0.4)
    bar_x = label_width + 8
    bar_room = width - bar_x - 48  # room on the right for the percentage
    largest = max(weight for _name, weight in items) or 1.0
    uid = "weights-" + _digest(title, [(g, list(c)) for g, c in groups], width)
    rows = sum(1 + len(criteria) for _group, criteria in groups)
    height = rows * (bar_height + gap) + gap
    words = "; ".join(f"{group}: " + ", ".join(f"{name} {_percent(weight)}" for name, weight in criteria)
                      for group, criteria in groups if criteria) + "."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="weights-chart" overflow="visible" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(words)}</desc>',
    ]
    y = float(gap)
    for group, criteria in groups:
        parts.append(_text(_fit(group, width, font), 0, y + bar_height * 0.75, font, anchor="start", bold=True))
        y += bar_height + gap
        for name, weight in criteria:
            baseline = y + bar_height * 0.75
            parts.append(_text(_fit(name, label_width - 12, font), label_width, baseline, font, anchor="end"))
            share = bar_room * float(weight) / largest
            parts.append(f'<rect x="{bar_x}" y="{_n(y)}" width="{_n(share)}" height="{bar_height}" fill="{BAR}">'
                         f'<title>{escape(f"{name}: {_percent(weight)}")}</title></rect>')
            parts.append(_text(_percent(weight), bar_x + share + 4, baseline, font, anchor="start"))
            y += bar_height + gap
    parts.append("</svg>")
    return "".join(parts)


def _check_matrix(alternatives: Sequence[str], matrix: Sequence[Sequence[float]]) -> None:
    if not alternatives:
        raise ValueError("a rank acceptability chart needs at least one alternative")
    if len(matrix) != len(alternatives):
        raise ValueError(f"{len(alternatives)} alternatives but {len(matrix)} rows of probabilities")
    for name, row in zip(alternatives, matrix, strict=True):
        if not isinstance(name, str):
            raise ValueError(f"alternative name {name!r} is not text")
        if len(row) != len(alternatives):
            raise ValueError(f"{name!r} has {len(row)} rank probabilities, not one per rank ({len(alternatives)})")
        if not all(_probability(p) for p in row):
            raise ValueError(f"the rank probabilities of {name!r} must be numbers from 0 to 1")
        if abs(sum(float(p) for p in row) - 1.0) > 1e-3:
            raise ValueError(f"the rank probabilities of {name!r} sum to {sum(row):g}, not 1")


def _check_width(width: int) -> None:
    if isinstance(width, bool) or not isinstance(width, int) or width < 240:
        raise ValueError(f"the width must be a whole number of pixels from 240, not {width!r}")


def _probability(value: object) -> bool:
    return (not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)
            and -TOLERANCE <= value <= 1 + TOLERANCE)


def _acceptability_words(alternatives: Sequence[str], matrix: Sequence[Sequence[float]], rank_label: str) -> str:
    return "; ".join(
        f"{name}: " + ", ".join(f"{rank_label.format(rank=k + 1)} {_percent(float(p))}" for k, p in enumerate(row))
        for name, row in zip(alternatives, matrix, strict=True)) + "."


def _legend_layout(items: list[str], width: int, font: int) -> list[list[tuple[int, str, float]]]:
    """Legend items (rank index, words, width taken) in lines that fit WIDTH."""
    start = round(width * 0.3) + 8
    lines: list[list[tuple[int, str, float]]] = [[]]
    used = 0.0
    for k, item in enumerate(items):
        item_width = font + 4 + len(item) * font * CHAR_WIDTH + 14
        if lines[-1] and start + used + item_width > width:
            lines.append([])
            used = 0.0
        lines[-1].append((k, item, item_width))
        used += item_width
    return lines


def _text(text: str, x: float, y: float, size: int, *, anchor: str, fill: str = TEXT, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-family="{FONT}" font-size="{size}"'
            f'{weight} fill="{fill}">{escape(text)}</text>')


def _fit(text: str, room: float, size: int) -> str:
    """TEXT shortened with an ellipsis when it would not fit ROOM pixels (the full text is in a <title>)."""
    most = max(4, int(room / (size * CHAR_WIDTH)))
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _ramp(k: int, count: int) -> tuple[int, int, int]:
    t = k / (count - 1) if count > 1 else 0.0
    return (round(DARK[0] + (LIGHT[0] - DARK[0]) * t), round(DARK[1] + (LIGHT[1] - DARK[1]) * t),
            round(DARK[2] + (LIGHT[2] - DARK[2]) * t))


def _ink(colour: tuple[int, int, int]) -> str:
    """Black or white text, whichever contrasts more with COLOUR (WCAG relative luminance)."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * channel(colour[0]) + 0.7152 * channel(colour[1]) + 0.0722 * channel(colour[2])
    return "#ffffff" if (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.05) else "#000000"


def _hex(colour: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour)


def _digest(*content: object) -> str:
    return hashlib.sha256(repr(content).encode()).hexdigest()[:10]


def _percent(share: float) -> str:
    value = 100 * share
    if 0 < value < 1:
        return "<1%"
    return f"{round(value)}%"


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))
