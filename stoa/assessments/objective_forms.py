"""Forms of the objectives page (road-map step 3). Validation ends in the models' ``full_clean``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stoa.assessments.models import Assessment, Objective, Requirement
from stoa.library.models import ReferenceObject
from stoa.sites.formfields import AccessibleFormMixin


class ScenarioChoiceField(forms.ModelMultipleChoiceField):
    """The assessment's scenarios, named by threat type and, once rated, by risk level."""

    def label_from_instance(self, obj: Any) -> str:
        level = getattr(obj, "level_name", "")
        return f"{obj.threat.label()} ({level})" if level else obj.threat.label()


class ObjectiveForm(AccessibleFormMixin, forms.ModelForm):
    scenarios = ScenarioChoiceField(queryset=None, required=False, widget=forms.CheckboxSelectMultiple,  # type: ignore[arg-type]
                                    label=_("vulnerabilities it addresses"))

    class Meta:
        model = Objective
        fields = ["title", "description", "scenarios"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, assessment: Assessment, level_names: dict[Any, str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["scenarios"]
        # Only this assessment's own scenarios can be chosen; another's id reads as an invalid choice.
        field.queryset = assessment.scenarios.select_related("threat")
        names = level_names or {}

        class _Iterator(forms.models.ModelChoiceIterator):
            def choice(self, obj: Any) -> Any:
                obj.level_name = names.get(obj.pk, "")
                return super().choice(obj)

        field.iterator = _Iterator
        field.widget.attrs["class"] = "form-check-input"


class RequirementForm(AccessibleFormMixin, forms.ModelForm):
    threats = forms.MultipleChoiceField(label=_("threat types"), required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Requirement
        fields = ["text", "scope", "priority", "threats", "criterion", "limit"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"text": _("One condition a solution must or should meet, e.g. “stops a 7.5 t truck "
                                "at 48 km/h”.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        threat_field: Any = self.fields["threats"]
        threat_field.choices = [(t.ref_id, t.label()) for t in
                                ReferenceObject.objects.filter(kind="threat_type").order_by("order", "ref_id")]
        threat_field.widget.attrs["class"] = "form-check-input"
