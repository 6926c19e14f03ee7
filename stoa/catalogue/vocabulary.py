"""Labels for the closed vocabularies of a catalogue measure (``catalogue_schema``), translated.

The values themselves are part of the library schema; only how they read on a page is here.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SOLUTION_TYPES = {
    "technological": _("Technological"),
    "physical_design": _("Physical and design"),
    "organisational_human": _("Organisational and human"),
}
TIMINGS = {
    "structural": _("Structural (permanent)"),
    "event": _("Event-driven (temporary)"),
    "both": _("Structural or event-driven"),
}
IMPACTS = {"none": _("none"), "low": _("low"), "medium": _("medium"), "high": _("high")}
IMPACT_ORDER = ["none", "low", "medium", "high"]
APPLICATIONS = {
    "target_hardening": _("Target hardening"),
    "access_control": _("Access control"),
    "directing_flows": _("Directing flows"),
    "removing_means": _("Removing means"),
    "surveillance": _("Surveillance"),
    "intervention": _("Intervention force"),
    "screening": _("Screening"),
    "target_removal": _("Target removal"),
    "controlling_disinhibitors": _("Controlling disinhibitors"),
    "facilitating_compliance": _("Facilitating compliance"),
    "deflection": _("Deflection"),
    "awareness": _("Creating awareness"),
    "mitigation": _("Mitigating consequences"),
}
# Cost bands for the browse page's facet, on the middle of the capital band (euros).
COST_BANDS = [
    ("under_10k", _("under €10,000"), 0, 10_000),
    ("10k_100k", _("€10,000 to €100,000"), 10_000, 100_000),
    ("100k_500k", _("€100,000 to €500,000"), 100_000, 500_000),
    ("over_500k", _("over €500,000"), 500_000, None),
]


def cost_band(capital_mid: float) -> str:
    for band, _label, low, high in COST_BANDS:
        if capital_mid >= low and (high is None or capital_mid < high):
            return band
    return COST_BANDS[-1][0]
