"""A plan's timeline (Gantt-like) as a self-contained SVG string, for the plan and city pages.

One row per item, a bar from its start to its end on a shared time axis (year ticks, month ticks
when the span is short), the share done filled in darker, a dashed vertical line at today with the
word for it, and an arrow from the end of each item to the start of each item that depends on it.
Rows may be grouped (the city timeline groups by public space): a group's name heads its rows.

Like ``stoa.core.charts.acceptability``:

* ``role="img"`` with a ``<title>`` and a ``<desc>`` giving every item's dates, progress and
  state in words; ``gantt_table`` gives the same as rows for a table alternative on the page;
* never colour alone: an overdue bar is hatched and its row says the word for overdue in text;
  every bar's label and percentage are written as text; the fill runs dark on light so it reads
  in grey;
* every text is XML-escaped; ids come from the content, so two charts on one page differ;
* presentation attributes, never ``style``, so a strict Content-Security-Policy allows it.

Words (today, overdue, done) are parameters, because this package has no translation machinery.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

TEXT = "#212529"
MUTED = "#6c757d"
GRID = "#dee2e6"
BAR = "#9ec5fe"
DONE = "#0a58ca"
OVERDUE = "#b02a37"
TODAY = "#d63384"
FONT = "DejaVu Sans, Arial, sans-serif"
CHAR_WIDTH = 0.6


@dataclass(frozen=True)
class GanttItem:
    """One bar: KEY identifies it for DEPENDS_ON; PROGRESS is 0–100."""

    key: str
    label: str
    start: datetime.date
    end: datetime.date
    progress: int = 0
    overdue: bool = False
    state: str = ""  # the item's status in words, for the description and the table
    depends_on: tuple[str, ...] = ()
    group: str = ""


@dataclass(frozen=True)
class GanttWords:
    today: str = "Today"
    overdue: str = "overdue"
    done: str = "{percent}% done"
    from_to: str = "{start} to {end}"
    depends_on: str = "after {names}"


@dataclass(frozen=True)
class GanttRow:
    group: str
    label: str
    start: datetime.date
    end: datetime.date
    progress: int
    overdue: bool
    state: str
    depends_on: list[str] = field(default_factory=list)


def gantt_table(items: Sequence[GanttItem]) -> list[GanttRow]:
    """The chart's content as rows, in the chart's order, dependencies by label."""
    _check(items)
    labels = {i.key: i.label for i in items}
    return [GanttRow(i.group, i.label, i.start, i.end, i.progress, i.overdue, i.state,
                     [labels[k] for k in i.depends_on if k in labels]) for i in items]


def gantt_svg(items: Sequence[GanttItem], *, today: datetime.date, title: str, words: GanttWords | None = None,
              width: int = 880) -> str:
    """The timeline of ITEMS. ValueError when there is no item, an item ends before it starts, its
    progress is not 0–100, two items share a key, or WIDTH is below 320."""
    _check(items)
    if isinstance(width, bool) or not isinstance(width, int) or width < 320:
        raise ValueError(f"the width must be a whole number of pixels from 320, not {width!r}")
    words = words or GanttWords()
    font, row_h, bar_h, top = 11, 26, 14, 30
    label_w = round(width * 0.32)
    x0, x1 = label_w + 10, width - 90  # room on the right for "100% done" / overdue
    first = min([*(i.start for i in items), today])
    last = max([*(i.end for i in items), today])
    first, last = datetime.date(first.year, 1 if (last - first).days > 730 else first.month, 1), _month_after(last)
    span = max(1, (last - first).days)

    def x(day: datetime.date) -> float:
        return x0 + (x1 - x0) * (day - first).days / span

    rows: list[tuple[str, GanttItem | None]] = []
    group = None
    for item in items:
        if item.group and item.group != group:
            rows.append((item.group, None))
        group = item.group
        rows.append((item.label, item))
    height = top + len(rows) * row_h + 12
    uid = "gantt-" + hashlib.sha256(repr((title, items, today, width)).encode()).hexdigest()[:10]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt-chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{uid}-title {uid}-desc">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(_words(items, words))}</desc>',
        f'<defs><pattern id="{uid}-hatch" patternUnits="userSpaceOnUse" width="6" height="6" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f8d7da"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{OVERDUE}" stroke-width="2.5"/></pattern>'
        f'<marker id="{uid}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="{MUTED}"/></marker></defs>',
    ]
    # The axis: a tick and label per year (per quarter month when the span is under two years).
    for tick, label in _ticks(first, last):
        tx = x(tick)
        parts.append(f'<line x1="{_n(tx)}" y1="{top - 6}" x2="{_n(tx)}" y2="{height - 8}" stroke="{GRID}" '
                     f'stroke-width="1"/>')
        parts.append(_text(label, tx + 3, top - 10, font - 1, "start", MUTED))
    where: dict[str, tuple[float, float, float]] = {}  # key → (start x, end x, middle y)
    for r, (label, row_item) in enumerate(rows):
        y = top + r * row_h
        if row_item is None:
            parts.append(_text(_fit(label, width, font), 0, y + row_h * 0.65, font, "start", TEXT, bold=True))
            continue
        item = row_item
        middle = y + row_h / 2
        indent = 12 if item.group else 0
        parts.append(f'<g class="gantt-item"><title>{escape(_item_words(item, words))}</title>')
        parts.append(_text(_fit(item.label, label_w - indent, font), indent, middle + font * 0.35, font, "start"))
        bx, ex = x(item.start), max(x(item.end), x(item.start) + 2)
        fill = f"url(#{uid}-hatch)" if item.overdue else BAR
        stroke = OVERDUE if item.overdue else DONE
        parts.append(f'<rect x="{_n(bx)}" y="{_n(middle - bar_h / 2)}" width="{_n(ex - bx)}" height="{bar_h}" '
                     f'fill="{fill}" stroke="{stroke}" stroke-width="1" rx="2"/>')
        if item.progress:
            done_w = (ex - bx) * item.progress / 100
            parts.append(f'<rect x="{_n(bx)}" y="{_n(middle - bar_h / 4)}" width="{_n(done_w)}" '
                         f'height="{bar_h / 2:g}" fill="{DONE}"/>')
        note = words.done.format(percent=item.progress)
        if item.overdue:
            note = f"{note}, {words.overdue}"
        parts.append(_text(note, ex + 4, middle + font * 0.35, font - 1, "start", OVERDUE if item.overdue else TEXT,
                           bold=item.overdue))
        parts.append("</g>")
        where[item.key] = (bx, ex, middle)
    for item in items:
        for key in item.depends_on:
            if key in where and item.key in where:
                (_, sx, sy), (tx, _, ty) = where[key], where[item.key]
                elbow = max(sx, tx) + 6 if tx <= sx + 6 else tx - 6
                parts.append(f'<path d="M {_n(sx)} {_n(sy)} H {_n(elbow)} V {_n(ty)} H {_n(tx)}" fill="none" '
                             f'stroke="{MUTED}" stroke-width="1.2" marker-end="url(#{uid}-arrow)"/>')
    tx = x(today)
    parts.append(f'<line class="gantt-today" x1="{_n(tx)}" y1="{top - 4}" x2="{_n(tx)}" y2="{height - 4}" '
                 f'stroke="{TODAY}" stroke-width="2" stroke-dasharray="5 3"/>')
    parts.append(_text(words.today, tx, 10, font - 1, "middle", TODAY, bold=True))
    parts.append("</svg>")
    return "".join(parts)


def _check(items: Sequence[GanttItem]) -> None:
    if not items:
        raise ValueError("a timeline needs at least one item with a start and an end")
    keys = [i.key for i in items]
    if len(set(keys)) != len(keys):
        raise ValueError("two items share a key")
    for i in items:
        if i.end < i.start:
            raise ValueError(f"{i.label!r} ends before it starts")
        if isinstance(i.progress, bool) or not 0 <= i.progress <= 100:
            raise ValueError(f"the progress of {i.label!r} must be 0–100, not {i.progress!r}")


def _month_after(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _ticks(first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, str]]:
    if (last - first).days > 730:
        return [(datetime.date(y, 1, 1), str(y)) for y in range(first.year + (first.month > 1), last.year + 1)]
    ticks, day = [], first
    while day <= last:
        if day.month in (1, 4, 7, 10):
            ticks.append((day, day.strftime("%Y-%m")))
        day = _month_after(day)
    return ticks


def _item_words(item: GanttItem, words: GanttWords) -> str:
    text = (f"{item.label}: {words.from_to.format(start=item.start.isoformat(), end=item.end.isoformat())}, "
            f"{words.done.format(percent=item.progress)}")
    if item.state:
        text += f", {item.state}"
    if item.overdue:
        text += f", {words.overdue}"
    return text


def _words(items: Sequence[GanttItem], words: GanttWords) -> str:
    labels = {i.key: i.label for i in items}
    parts = []
    for item in items:
        text = _item_words(item, words)
        after = [labels[k] for k in item.depends_on if k in labels]
        if after:
            text += ", " + words.depends_on.format(names=", ".join(after))
        parts.append((f"{item.group} – " if item.group else "") + text)
    return "; ".join(parts) + "."


def _text(text: str, x: float, y: float, size: int, anchor: str, fill: str = TEXT, *, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-family="{FONT}" font-size="{size}"'
            f'{weight} fill="{fill}">{escape(text)}</text>')


def _fit(text: str, room: float, size: int) -> str:
    most = max(4, int(room / (size * CHAR_WIDTH)))
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))
