"""The range chart of the case pages: numbers in words for screen readers, escaped text, refusal of bad input."""

from __future__ import annotations

import pytest

from stoa.core.charts.ranges import Group, Series, range_chart_svg


def test_every_number_is_in_the_description_and_text_is_escaped() -> None:
    svg = range_chart_svg([Group("Vehicle <ramming>", (Series("Before", 4, 12, 20), Series("Now", 9, 9, 9))),
                           Group("IED", (), "2 cases: too few to show")], 25, title="Risk & cases")
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg and "Risk &amp; cases" in svg
    assert "Vehicle &lt;ramming&gt;: Before 12 (4–20), Now 9; IED: 2 cases: too few to show." in svg
    assert "style=" not in svg and "<ramming>" not in svg


@pytest.mark.parametrize("groups, maximum", [
    ([], 25), ([Group("x", (Series("a", 1, 2, 30),))], 25), ([Group("x", (Series("a", 3, 2, 4),))], 25),
    ([Group("x", (Series("a", 1, 1, 1),))], 0)])
def test_bad_input_is_refused(groups: list[Group], maximum: float) -> None:
    with pytest.raises(ValueError):
        range_chart_svg(groups, maximum, title="t")
