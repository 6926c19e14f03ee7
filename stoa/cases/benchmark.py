"""The anonymised benchmark: a public space's risk profile against the cases of its category.

For each threat type: the place's current risk score (likelihood × consequence, from its latest
assessment with a rated scenario, by date then creation) and, over the cases of the same PSOI
category the user may see (their organisation's own and imported ones), the median and range of
the scores before and after the measures. No case is named, only counted; and a threat type with
fewer than ``MIN_CASES`` cases shows no figures, because with one or two cases the figures are those
cases' own, and a reader who knows the region could tell which squares and how weak they were.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from stoa.accounts.roles import Action
from stoa.assessments.models import Assessment
from stoa.cases.models import CaseStudy
from stoa.library.models import ReferenceObject
from stoa.sites.models import Site

MIN_CASES = 3


@dataclass
class Spread:
    low: float
    median: float
    high: float


@dataclass
class BenchmarkRow:
    threat: ReferenceObject
    current: int | None  # the place's score now; None when not rated
    cases: int  # how many cases have this threat type in their risk profile
    before: Spread | None  # None below MIN_CASES
    after: Spread | None

    @property
    def shown(self) -> bool:
        return self.before is not None


@dataclass
class Benchmark:
    site: Site
    assessment: Assessment | None
    cases: int
    rows: list[BenchmarkRow]
    minimum: int = MIN_CASES


def _spread(values: list[float]) -> Spread:
    return Spread(min(values), float(statistics.median(values)), max(values))


def latest_rated(site: Site, user: Any) -> Assessment | None:
    for assessment in (Assessment.objects.for_user(user, Action.VIEW).filter(site=site)
                       .order_by("-date", "-created_at")):
        if assessment.scenarios.filter(not_applicable=False, likelihood__isnull=False,
                                       consequence__isnull=False).exists():
            return assessment
    return None


def benchmark(site: Site, user: Any, minimum: int = MIN_CASES) -> Benchmark:
    from stoa.assessments.views.city import threat_types

    assessment = latest_rated(site, user)
    current: dict[str, int] = {}
    if assessment is not None:
        for s in assessment.scenarios.select_related("threat"):
            if s.rated and not s.not_applicable and s.likelihood and s.consequence:
                current[s.threat.ref_id] = s.likelihood * s.consequence
    cases = list(CaseStudy.objects.for_user(user, Action.VIEW).filter(category__ref_id=site.category.ref_id)
                 .only("risk_profile"))
    before: dict[str, list[float]] = {}
    after: dict[str, list[float]] = {}
    for case in cases:
        for row in case.risk_profile:
            before.setdefault(row["threat"], []).append(float(row["before"]))
            after.setdefault(row["threat"], []).append(float(row["after"]))
    rows = []
    for threat in threat_types():
        found = before.get(threat.ref_id, [])
        enough = len(found) >= minimum
        rows.append(BenchmarkRow(threat, current.get(threat.ref_id), len(found),
                                 _spread(found) if enough else None,
                                 _spread(after[threat.ref_id]) if enough else None))
    return Benchmark(site, assessment, len(cases), rows, minimum)
