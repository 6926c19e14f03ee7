"""Forms of the assessment pages. Validation ends in the models' ``full_clean`` (ModelForm does it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stoa.assessments.matrix import matrix_of
from stoa.assessments.models import Assessment, ExistingMeasure, Scenario, TeamMember
from stoa.library.models import ReferenceObject
from stoa.sites.formfields import _PAIR, AccessibleFormMixin, GeoJSONField
from stoa.sites.services.locating import reference_for_organisation
from stoa.web.versioned_forms import VersionedFormMixin


class LocationField(GeoJSONField):
    """Where something is on the site: a point or an area, drawn on the map (which writes GeoJSON
    here) or typed: GeoJSON text, or "longitude, latitude" for a point."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"}))
        kwargs.setdefault("help_text", _("Drawn with the map buttons, or typed: a GeoJSON point or polygon (WGS84), "
                                         "or “longitude, latitude” for a point, e.g. 2.6791, 50.6478."))
        super().__init__(kind=("Point", "Polygon"), required=False, **kwargs)  # type: ignore[arg-type]

    def to_python(self, value: Any) -> dict[str, Any] | None:  # type: ignore[override]
        pair = _PAIR.match(value) if isinstance(value, str) else None
        if pair:
            return {"type": "Point", "coordinates": [float(pair.group(1)), float(pair.group(2))]}
        return super().to_python(value)


class LocatedFormMixin:
    """On a posted form, check the location against the city (catches latitude-first coordinates)."""

    fields: dict[str, forms.Field]
    instance: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assessment = self.instance.assessment if self.instance.assessment_id else None
        if getattr(self, "is_bound", False) and assessment is not None:
            field: Any = self.fields["geometry"]
            field.reference = reference_for_organisation(assessment.organisation)


class LabelledChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ReferenceObject) -> str:
        return obj.label()


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class AssessmentForm(AccessibleFormMixin, forms.ModelForm):
    """The assessment's details. The lead is chosen among the members of the site's organisation whose
    role lets them change it (the model checks the same rule, shares included, for the API)."""

    lead = PersonChoiceField(queryset=None, required=False, label=_("team lead"),
                             help_text=Assessment._meta.get_field("lead").help_text)

    class Meta:
        model = Assessment
        fields = ["date", "managing_body", "depth", "review_cycle_months", "lead"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        from stoa.accounts.roles import ROLE_ACTIONS, Action

        roles = [role for role, actions in ROLE_ACTIONS.items() if Action.CHANGE in actions]
        field: Any = self.fields["lead"]
        field.queryset = get_user_model().objects.filter(
            memberships__organisation_id=self.instance.organisation_id, memberships__role__in=roles,
            is_active=True).order_by("first_name", "last_name", "username")


class TeamMemberForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["name", "organisation_name", "role"]


class ScenarioForm(VersionedFormMixin, LocatedFormMixin, AccessibleFormMixin, forms.ModelForm):
    """Step 3: how an attack of this threat type could unfold here, and where on the map."""

    attack_phase = LabelledChoiceField(
        queryset=ReferenceObject.objects.filter(kind="attack_phase").order_by("order"), required=False,
        label=_("attack phase"), help_text=Scenario._meta.get_field("attack_phase").help_text)
    geometry = LocationField(label=_("location on the map"))

    class Meta:
        model = Scenario
        fields = ["narrative", "attack_phase", "location", "geometry", "time_slot", "not_applicable",
                  "not_applicable_reason"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 3}),
                   "not_applicable_reason": forms.Textarea(attrs={"rows": 2})}


def _scale_choices(steps: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    return [("", _("not rated yet"))] + [(str(s["value"]), f"{s['value']} – {s['name']}") for s in steps]


class RatingForm(VersionedFormMixin, AccessibleFormMixin, forms.ModelForm):
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


class MeasureForm(LocatedFormMixin, AccessibleFormMixin, forms.ModelForm):
    """Step 2: a protective measure already in place, and the threat types it helps against."""

    technology_category = LabelledChoiceField(
        queryset=ReferenceObject.objects.filter(kind="technology_category").order_by("order"), required=False,
        label=_("technology category"))
    threats = forms.MultipleChoiceField(label=_("threat types it helps against"), required=False,
                                        widget=forms.CheckboxSelectMultiple)
    geometry = LocationField(label=_("location on the map"))
    catalogue_key = forms.ChoiceField(label=_("catalogue entry"), required=False,
                                      help_text=ExistingMeasure._meta.get_field("catalogue_key").help_text)

    class Meta:
        model = ExistingMeasure
        fields = ["description", "catalogue_key", "nature", "technology_category", "timing", "threats",
                  "barrier_rating", "geometry"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from stoa.catalogue.entries import catalogue_for

        threats = ReferenceObject.objects.filter(kind="threat_type").order_by("order", "ref_id")
        threat_field: Any = self.fields["threats"]
        threat_field.choices = [(t.ref_id, t.label()) for t in threats]
        self.fields["threats"].widget.attrs["class"] = "form-check-input"
        self.catalogue = catalogue_for(self.instance.organisation_id)
        key_field: Any = self.fields["catalogue_key"]
        entries = sorted(((e.key, e.name) for e in self.catalogue), key=lambda choice: choice[1].casefold())
        key_field.choices = [("", _("not in the catalogue")), *entries]

    def clean(self) -> dict[str, Any]:
        """A measure picked from the catalogue brings its threat types and category when left empty."""
        data: dict[str, Any] = super().clean() or {}
        entry = self.catalogue.get(data.get("catalogue_key") or "")
        if entry is not None:
            if not data.get("threats"):
                known = {choice for choice, _label in self.fields["threats"].choices}  # type: ignore[attr-defined]
                data["threats"] = [t for t in sorted(known) if entry.spec.acts_on(t)]
                self.instance.threats = data["threats"]
            if data.get("technology_category") is None:
                data["technology_category"] = ReferenceObject.objects.filter(
                    kind="technology_category", ref_id=entry.data.get("technology_category")).first()
                self.instance.technology_category = data["technology_category"]
        return data
