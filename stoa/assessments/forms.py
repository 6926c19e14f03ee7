"""Forms of the assessment pages. Validation ends in the models' ``full_clean`` (ModelForm does it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stoa.assessments.matrix import matrix_of
from stoa.assessments.models import Assessment, ExistingMeasure, Scenario, TeamMember
from stoa.library.models import ReferenceObject
from stoa.sites.formfields import AccessibleFormMixin, GeoJSONField


class LabelledChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ReferenceObject) -> str:
        return obj.label()


class AssessmentForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["date", "managing_body", "depth", "review_cycle_months"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class TeamMemberForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["name", "organisation_name", "role"]


class ScenarioForm(AccessibleFormMixin, forms.ModelForm):
    """Step 3: how an attack of this threat type could unfold here."""

    attack_phase = LabelledChoiceField(
        queryset=ReferenceObject.objects.filter(kind="attack_phase").order_by("order"), required=False,
        label=_("attack phase"), help_text=Scenario._meta.get_field("attack_phase").help_text)

    class Meta:
        model = Scenario
        fields = ["narrative", "attack_phase", "location", "time_slot", "not_applicable", "not_applicable_reason"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 3}),
                   "not_applicable_reason": forms.Textarea(attrs={"rows": 2})}


def _scale_choices(steps: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    return [("", _("not rated yet"))] + [(str(s["value"]), f"{s['value']} – {s['name']}") for s in steps]


class RatingForm(AccessibleFormMixin, forms.ModelForm):
    """Step 4: likelihood and consequence on the assessment's own (frozen) risk matrix. Any value
    outside that matrix is refused by the model with a message naming the matrix's range."""

    likelihood = forms.TypedChoiceField(label=_("likelihood"), coerce=int, empty_value=None, required=False)
    consequence = forms.TypedChoiceField(label=_("consequence"), coerce=int, empty_value=None, required=False)

    class Meta:
        model = Scenario
        fields = ["likelihood", "consequence", "override_justification"]
        widgets = {"override_justification": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        matrix = matrix_of(self.instance.assessment)
        fields: dict[str, Any] = self.fields
        fields["likelihood"].choices = _scale_choices(matrix.likelihood_steps)
        fields["consequence"].choices = _scale_choices(matrix.consequence_steps)


class MeasureForm(AccessibleFormMixin, forms.ModelForm):
    """Step 2: a protective measure already in place, and the threat types it helps against."""

    technology_category = LabelledChoiceField(
        queryset=ReferenceObject.objects.filter(kind="technology_category").order_by("order"), required=False,
        label=_("technology category"))
    threats = forms.MultipleChoiceField(label=_("threat types it helps against"), required=False,
                                        widget=forms.CheckboxSelectMultiple)
    geometry = GeoJSONField(kind=("Point", "Polygon"), required=False, label=_("location on the map"),  # type: ignore[arg-type]
                            help_text=_("Optional: a GeoJSON point or polygon (WGS84), e.g. copied from the map."))

    class Meta:
        model = ExistingMeasure
        fields = ["description", "nature", "technology_category", "timing", "threats", "geometry"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        threats = ReferenceObject.objects.filter(kind="threat_type").order_by("order", "ref_id")
        threat_field: Any = self.fields["threats"]
        threat_field.choices = [(t.ref_id, t.label()) for t in threats]
        self.fields["threats"].widget.attrs["class"] = "form-check-input"
