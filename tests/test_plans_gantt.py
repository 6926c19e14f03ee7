"""The timeline chart (``stoa.core.charts.gantt``): labels in text, today's line, progress, overdue in
words and hatching, dependency arrows, a title and description for screen readers, escaped text."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest

from stoa.core.charts.gantt import GanttItem, GanttWords, gantt_svg, gantt_table

D = datetime.date
ITEMS = [
    GanttItem("a", "Signage & maps", D(2026, 1, 1), D(2026, 6, 30), progress=40, overdue=True, group="Market"),
    GanttItem("b", "Bollards", D(2026, 7, 1), D(2027, 3, 1), depends_on=("a",), group="Market"),
    GanttItem("c", "Cameras", D(2026, 2, 1), D(2026, 12, 1), progress=100, state="Done", group="Station"),
]
NS = "{http://www.w3.org/2000/svg}"


def test_the_chart_has_labels_today_progress_overdue_arrows_and_a_description():
    svg = gantt_svg(ITEMS, today=D(2026, 8, 1), title="Timeline", words=GanttWords(today="Aujourd'hui"))
    root = ET.fromstring(svg)  # well-formed, so the escaping held
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert {"Signage & maps", "Bollards", "Cameras", "Market", "Station", "Aujourd'hui"} <= set(texts)
    assert "40% done, overdue" in texts and "100% done" in texts
    assert root.get("role") == "img" and root.find(f"{NS}title").text == "Timeline"
    desc = root.find(f"{NS}desc").text
    assert "Market – Signage & maps: 2026-01-01 to 2026-06-30, 40% done, overdue" in desc
    assert "Bollards: 2026-07-01 to 2027-03-01, 0% done, after Signage & maps" in desc
    assert len([p for p in root.iter(f"{NS}path") if p.get("marker-end")]) == 1
    assert any(r.get("fill", "").startswith("url(#") for r in root.iter(f"{NS}rect"))  # the hatching
    assert root.find(f".//{NS}line[@class='gantt-today']") is not None
    assert 'style=' not in svg


def test_the_table_repeats_the_chart_and_bad_input_is_refused():
    rows = gantt_table(ITEMS)
    assert [(r.label, r.progress, r.overdue, r.depends_on) for r in rows][:2] == [
        ("Signage & maps", 40, True, []), ("Bollards", 0, False, ["Signage & maps"])]
    with pytest.raises(ValueError, match="at least one item"):
        gantt_svg([], today=D(2026, 1, 1), title="t")
    with pytest.raises(ValueError, match="ends before it starts"):
        gantt_table([GanttItem("x", "X", D(2026, 2, 1), D(2026, 1, 1))])
    with pytest.raises(ValueError, match="0–100"):
        gantt_table([GanttItem("x", "X", D(2026, 1, 1), D(2026, 2, 1), progress=120)])
    assert gantt_svg(ITEMS, today=D(2030, 1, 1), title="a") != gantt_svg(ITEMS, today=D(2030, 1, 1), title="b")
