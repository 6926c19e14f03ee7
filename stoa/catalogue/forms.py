"""Forms of the catalogue pages. A local measure's details end in the same schema as a shipped
measure (``catalogue_schema.MeasureFields``), through the model's ``full_clean``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stoa.catalogue import vocabulary
from stoa.catalogue.browse import reference_labels
from stoa.catalogue.models import LocalMeasure, WhatIfOption
from stoa.sites.formfields import AccessibleFormMixin

IMPACT_CHOICES = [(k, vocabulary.IMPACTS[k]) for k in vocabulary.IMPACT_ORDER]
PERCENT: dict[str, Any] = {"min_value": 0, "max_value": 100, "required": False}


def _ordered(data: dict[str, Any], key: str) -> list[Any]:
    return list(data.get(key) or [])


class LocalMeasureForm(AccessibleFormMixin, forms.ModelForm):
    """A city's own measure, or its own numbers for a shipped one. Effects are typed in percent."""

    technology_category = forms.ChoiceField(label=_("technology category"))
    solution_type = forms.ChoiceField(label=_("solution type"), choices=list(vocabulary.SOLUTION_TYPES.items()))
    timing = forms.ChoiceField(label=_("structural or event-driven"), choices=list(vocabulary.TIMINGS.items()))
    application = forms.MultipleChoiceField(label=_("point of application"), widget=forms.CheckboxSelectMultiple,
                                            choices=list(vocabulary.APPLICATIONS.items()))
    phases = forms.MultipleChoiceField(label=_("attack phases it acts in"), widget=forms.CheckboxSelectMultiple)
    uses = forms.MultipleChoiceField(label=_("uses"), widget=forms.CheckboxSelectMultiple)
    capital_low = forms.IntegerField(label=_("capital cost, low (EUR)"), min_value=0)
    capital_high = forms.IntegerField(label=_("capital cost, high (EUR)"), min_value=0)
    yearly_low = forms.IntegerField(label=_("yearly running cost, low (EUR)"), min_value=0)
    yearly_high = forms.IntegerField(label=_("yearly running cost, high (EUR)"), min_value=0)
    cost_basis = forms.CharField(label=_("what the cost covers"), max_length=300)
    deploy_low = forms.IntegerField(label=_("time to deploy, shortest (days)"), min_value=0, max_value=3650)
    deploy_high = forms.IntegerField(label=_("time to deploy, longest (days)"), min_value=0, max_value=3650)
    trl = forms.IntegerField(label=_("maturity (TRL 1–9)"), min_value=1, max_value=9)
    privacy = forms.ChoiceField(label=_("privacy impact"), choices=IMPACT_CHOICES)
    gdpr = forms.BooleanField(label=_("processes personal data (GDPR applies)"), required=False)
    normal_use_impact = forms.ChoiceField(label=_("impact on normal use"), choices=IMPACT_CHOICES)
    aesthetic_impact = forms.ChoiceField(label=_("impact on the look of the place"), choices=IMPACT_CHOICES)
    accessibility_impact = forms.ChoiceField(label=_("impact on accessibility"), choices=IMPACT_CHOICES)
    standards = forms.CharField(label=_("standards (comma-separated)"), required=False, max_length=500)
    effect_basis = forms.CharField(label=_("why these effects"), widget=forms.Textarea(attrs={"rows": 2}),
                                   help_text=_("Where the numbers come from: a test, a study, your experience."))

    class Meta:
        model = LocalMeasure
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.threats = reference_labels("threat_type")
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["technology_category"].choices = list(reference_labels("technology_category").items())
        fields["phases"].choices = list(reference_labels("attack_phase").items())
        fields["uses"].choices = list(reference_labels("measure_use").items())
        for ref_id, label in self.threats.items():
            fields[f"l_{ref_id}"] = forms.IntegerField(label=_("%(threat)s: likelihood removed (%%)") % {
                "threat": label}, **PERCENT)
            fields[f"c_{ref_id}"] = forms.IntegerField(label=_("%(threat)s: consequence removed (%%)") % {
                "threat": label}, **PERCENT)
        for name in ("application", "phases", "uses"):
            fields[name].widget.attrs["class"] = "form-check-input"
        if not self.is_bound:
            self.initial.update(self.initial_from(self.instance.data or {}))

    @property
    def effect_rows(self) -> list[dict[str, Any]]:
        return [{"label": label, "likelihood": self[f"l_{ref_id}"], "consequence": self[f"c_{ref_id}"]}
                for ref_id, label in self.threats.items()]

    def initial_from(self, data: dict[str, Any]) -> dict[str, Any]:
        cost = data.get("cost") or {}
        capital, yearly = cost.get("capital_eur") or [None, None], cost.get("yearly_eur") or [None, None]
        deploy = data.get("deploy_days") or [None, None]
        initial: dict[str, Any] = {
            key: data.get(key) for key in ("technology_category", "solution_type", "timing", "trl", "privacy", "gdpr",
                                           "normal_use_impact", "aesthetic_impact", "accessibility_impact")}
        initial.update(application=_ordered(data, "application"), phases=_ordered(data, "phases"),
                       uses=_ordered(data, "uses"), capital_low=capital[0], capital_high=capital[1],
                       yearly_low=yearly[0], yearly_high=yearly[1], deploy_low=deploy[0], deploy_high=deploy[1],
                       cost_basis=(cost.get("basis") or {}).get("en", ""),
                       standards=", ".join(data.get("standards", [])))
        bases = []
        named = {e.get("threat") for e in data.get("effects", [])}
        for effect in data.get("effects", []):
            threat = effect.get("threat")
            # The form has one row per threat type: an effect on ALL fills the rows not named on their own.
            for target in ([threat] if threat != "ALL" else [t for t in self.threats if t not in named]):
                initial[f"l_{target}"] = round(float(effect.get("likelihood", 0)) * 100)
                initial[f"c_{target}"] = round(float(effect.get("consequence", 0)) * 100)
            basis = (effect.get("basis") or {}).get("en", "")
            if basis and basis not in bases:
                bases.append(basis)
        initial["effect_basis"] = " ".join(bases)
        return initial

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        basis = data.get("effect_basis", "")
        effects = []
        for ref_id in self.threats:
            likelihood, consequence = data.get(f"l_{ref_id}") or 0, data.get(f"c_{ref_id}") or 0
            if likelihood or consequence:
                effects.append({"threat": ref_id, "likelihood": likelihood / 100, "consequence": consequence / 100,
                                "basis": {"en": basis, "fr": basis}})
        if not effects:
            self.add_error(None, _("Give at least one effect: the share of likelihood or consequence the measure "
                                   "removes for one threat type."))
        cost_basis = data.get("cost_basis", "")
        self.instance.data = {
            "technology_category": data.get("technology_category"), "solution_type": data.get("solution_type"),
            "timing": data.get("timing"), "application": data.get("application", []),
            "phases": data.get("phases", []), "uses": data.get("uses", []), "effects": effects,
            "cost": {"capital_eur": [data.get("capital_low"), data.get("capital_high")],
                     "yearly_eur": [data.get("yearly_low"), data.get("yearly_high")],
                     "basis": {"en": cost_basis, "fr": cost_basis}},
            "deploy_days": [data.get("deploy_low"), data.get("deploy_high")], "trl": data.get("trl"),
            "privacy": data.get("privacy"), "gdpr": bool(data.get("gdpr")),
            "normal_use_impact": data.get("normal_use_impact"), "aesthetic_impact": data.get("aesthetic_impact"),
            "accessibility_impact": data.get("accessibility_impact"),
            "standards": [s.strip() for s in (data.get("standards") or "").split(",") if s.strip()],
        }
        return data


class WhatIfForm(AccessibleFormMixin, forms.ModelForm):
    """An option's name, notes and candidate measures (ticked from the catalogue)."""

    measures = forms.MultipleChoiceField(label=_("candidate measures"), widget=forms.CheckboxSelectMultiple,
                                         required=False)

    class Meta:
        model = WhatIfOption
        fields = ["name", "notes", "measures"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["measures"]
        field.choices = choices
        field.widget.attrs["class"] = "form-check-input"


class GapForm(forms.Form):
    """The gap analysis's settings (a GET form: the page is a report, nothing is saved)."""

    level = forms.ChoiceField(label=_("risk level from"), required=False)
    only_objectives = forms.BooleanField(label=_("only vulnerabilities an objective addresses"), required=False)
    horizon = forms.IntegerField(label=_("years of running costs counted"), min_value=1, max_value=30,
                                 required=False, initial=5)
    shown = forms.TypedChoiceField(label=_("proposals per scenario"), coerce=int, required=False, initial=10,
                                   choices=[(5, "5"), (10, "10"), (25, "25"), (0, _("all"))])

    def __init__(self, *args: Any, levels: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["level"]
        field.choices = [(lv["id"], lv["name"]) for lv in levels]
        for bound in self.fields.values():
            widget = bound.widget
            widget.attrs["class"] = ("form-check-input" if isinstance(widget, forms.CheckboxInput)
                                     else "form-select" if isinstance(widget, forms.Select) else "form-control")
