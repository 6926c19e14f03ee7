"""The documented default priority of a public space of interest (PSOI).

The PRoTECT sources say each city chooses and prioritises its PSOIs but give no rule
(protect-methodology.md, §7.2 W1 and §7.5 U13). Stoa's documented default rates three factors on
1–3 and multiplies them, giving 1–27, shown as 0–100:

* crowd size: the largest number of people present at once (typical day or event peak);
* symbolic value: entered by the city (1 low, 2 notable, 3 national or religious symbol);
* event frequency: events per year at the site.

A city may override the result with a written justification; the computed value is kept beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PriorityRule:
    """Thresholds at which a factor moves to level 2 and level 3."""

    crowd_thresholds: tuple[int, int] = (1_000, 5_000)
    events_thresholds: tuple[int, int] = (2, 12)
    version: str = "stoa-default-1"


@dataclass(frozen=True)
class PriorityResult:
    crowd_level: int
    symbolic_level: int
    event_level: int
    score: int  # 0–100
    reasons: list[str] = field(default_factory=list)
    # The inputs and rule behind the levels, so a page can explain them in its reader's language.
    peak_people: int = 0
    events_per_year: int = 0
    rule: PriorityRule = field(default_factory=PriorityRule)


def _level(value: float, thresholds: tuple[int, int]) -> int:
    low, high = thresholds
    return 3 if value >= high else 2 if value >= low else 1


def priority(peak_people: int, symbolic_value: int, events_per_year: int,
             rule: PriorityRule | None = None) -> PriorityResult:
    """Priority 0–100 from the three factors; REASONS explain each level in words."""
    rule = rule or PriorityRule()
    if symbolic_value not in (1, 2, 3):
        raise ValueError("symbolic value must be 1, 2 or 3")
    if peak_people < 0 or events_per_year < 0:
        raise ValueError("people and events cannot be negative")
    crowd = _level(peak_people, rule.crowd_thresholds)
    events = _level(events_per_year, rule.events_thresholds)
    product = crowd * symbolic_value * events
    score = round((product - 1) / 26 * 100)
    reasons = [
        f"crowd {peak_people} people at peak → level {crowd} (thresholds {rule.crowd_thresholds})",
        f"symbolic value → level {symbolic_value}",
        f"{events_per_year} events a year → level {events} (thresholds {rule.events_thresholds})",
    ]
    return PriorityResult(crowd, symbolic_value, events, score, reasons, peak_people, events_per_year, rule)
