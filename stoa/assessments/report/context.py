"""Everything the assessment report shows, gathered once for the screen page and the PDF.

The results (heat map, scenario table, ranking, consistency findings) are the results page's own
context, so the report can never disagree with it; the report adds the map, each scenario's
rationale (the answers that moved Stoa's proposal, and the team's override justification), the
existing measures, the team, the status and sign-off record, and the classification marking.

The classification is the owning organisation's: a partner reading a shared site's report sees
the marking its owner set, not its own.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from stoa.assessments.mapdata import map_items, measure_codes, scenario_codes
from stoa.assessments.matrix import matrix_of
from stoa.assessments.models import Assessment, ExistingMeasure, Scenario
from stoa.assessments.proposals import question_objects
from stoa.assessments.views.results import results_context
from stoa.assessments.views.scenarios import explain
from stoa.core.assessment.exposure import NOT_APPLICABLE, RATED, exposure_scale, exposures
from stoa.core.assessment.ranking import ScenarioRisk
from stoa.core.charts.radar import radar_svg
from stoa.core.mapsvg import MapFeature, render_map
from stoa.library.models import ReferenceObject


def person(user: Any) -> str:
    """How a user is named in the report: full name, else the user name; "" for nobody."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def site_map_svg(assessment: Assessment, measures: list[ExistingMeasure], scenarios: list[Scenario],
                 svg_id: str = "report-map") -> str:
    """The site, its zones and access points, the measures (M1…) and scenario locations (S1…) as SVG."""
    site = assessment.site
    features: list[MapFeature] = []
    if site.boundary:
        features.append(MapFeature(site.boundary, "outline"))
    features += [MapFeature(zone.geometry, "zone", zone.name) for zone in site.zones.all() if zone.geometry]
    features += [MapFeature(point.geometry, "access", point.name) for point in site.accesspoints.all()
                 if point.geometry]
    codes = measure_codes(measures)
    features += [MapFeature(m.geometry, "measure", codes[m.pk]) for m in measures if m.geometry]
    codes = scenario_codes(scenarios)
    features += [MapFeature(s.geometry, "scenario", codes[s.pk]) for s in scenarios
                 if s.geometry and not s.not_applicable]
    return render_map(features, title=_("Map of %(site)s: outline, zones, access points, existing measures "
                                        "and scenario locations") % {"site": site.name}, svg_id=svg_id)


def _threat_names() -> dict[str, str]:
    return {t.ref_id: t.label() for t in ReferenceObject.objects.filter(kind="threat_type")}


def radar(assessment: Assessment, scenarios: list[Any]) -> dict[str, Any]:
    """The radar chart of exposure per threat type (the domain's rule) and the same numbers as table rows."""
    frozen = matrix_of(assessment)
    matrix, names = frozen.domain(), frozen.level_names()
    found = exposures([ScenarioRisk(s.threat.ref_id, s.threat.order, s.likelihood, s.consequence, s.not_applicable,
                                    key=s.pk) for s in scenarios], matrix)
    rows = []
    for scenario, exposure in zip(scenarios, found, strict=True):
        if exposure.status == RATED and exposure.level is not None:
            state = names.get(exposure.level.id, exposure.level.name)
        else:
            state = _("not applicable") if exposure.status == NOT_APPLICABLE else _("not rated yet")
        rows.append({"threat": scenario.threat.label(), "value": exposure.value, "state": state})
    maximum = exposure_scale(matrix)
    try:
        svg = radar_svg([(row["threat"], row["value"]) for row in rows], maximum,
                        title=_("Exposure per threat type, from 0 to %(max)s") % {"max": maximum})
    except ValueError:  # fewer than three threat types: the table alone says it
        svg = ""
    return {"radar_svg": svg, "exposure_rows": rows, "exposure_max": maximum}


def status_record(assessment: Assessment) -> list[tuple[str, str]]:
    """The status and sign-off block as (label, value) rows; rows without a value are left out."""
    def when(moment: Any) -> str:
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""

    rows = [
        (_("Status"), assessment.get_status_display()),
        (_("Team lead"), person(assessment.lead)),
        (_("Submitted by"), person(assessment.submitted_by)),
        (_("Submitted on"), when(assessment.submitted_at)),
        (_("Signed off by"), person(assessment.signed_off_by)),
        (_("Signed off on"), when(assessment.signed_off_at)),
        (_("Sent back because"), assessment.returned_reason if assessment.is_editable else ""),
        (_("Previous assessment"), str(assessment.previous.date) if assessment.previous else ""),
    ]
    return [(label, value) for label, value in rows if value]


def report_context(assessment: Assessment) -> dict[str, Any]:
    """The report of ASSESSMENT, already loaded through the tenancy mechanism by the caller."""
    context = results_context(assessment)
    scenarios: list[Any] = context["scenarios"]  # annotated below for the templates
    questions = {q.ref_id: q for q in question_objects(assessment)}
    codes = scenario_codes(scenarios)
    for scenario in scenarios:
        scenario.code = codes[scenario.pk]
        scenario.contributions = [] if scenario.not_applicable else explain(scenario, questions)
    measures = list(assessment.existingmeasures.select_related("technology_category"))
    threat_names = _threat_names()
    m_codes = measure_codes(measures)
    for measure in measures:
        measure.code = m_codes[measure.pk] if measure.geometry else ""
        measure.threat_names = [threat_names.get(t, t) for t in measure.threats or []]
    return {
        **context,
        "classification": assessment.organisation.classification,
        "organisation": assessment.organisation,
        "measures": measures,
        "team": list(assessment.teammembers.select_related("user")),
        "status_record": status_record(assessment),
        "map_svg": site_map_svg(assessment, measures, scenarios),
        "map_items": map_items(measures, scenarios),
        **radar(assessment, scenarios),
        "generated_at": timezone.localtime(timezone.now()),
    }
