"""Forms of the evaluation pages. Rules live on the models and in ``stoa.evaluation.criteria``;
forms only collect what the user typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stoa.assessments.models import Scenario
from stoa.evaluation.criteria import Criterion
from stoa.evaluation.models import Alternative, Evaluation, Expert
from stoa.sites.formfields import AccessibleFormMixin


def scenario_choices(evaluation_or_assessment: Any) -> Any:
    assessment = getattr(evaluation_or_assessment, "assessment", evaluation_or_assessment)
    return Scenario.objects.filter(assessment=assessment, not_applicable=False).select_related("threat")


class EvaluationForm(AccessibleFormMixin, forms.ModelForm):
    """A new evaluation (with its criteria source) or an existing one's settings."""

    criteria_source = forms.ChoiceField(label=_("criteria"), help_text=_(
        "The criteria are copied into the evaluation: a later change to the set does not change it."))

    class Meta:
        model = Evaluation
        fields = ["title", "scenario", "purpose", "method", "topsis_normalization", "promethee_preference",
                  "shortlist_size"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, sources: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["scenario"].queryset = scenario_choices(self.instance)
        fields["scenario"].label_from_instance = lambda s: str(s.threat)
        if sources is None:
            del fields["criteria_source"]
        else:
            fields["criteria_source"].choices = [(s.key, s.label) for s in sources]


class ExpertForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Expert
        fields = ["name", "user", "affiliation", "expertise", "conflicts"]
        widgets = {"conflicts": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, users: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["user"].queryset = users
        fields["user"].required = False


class AlternativeForm(AccessibleFormMixin, forms.ModelForm):
    """An alternative described by hand (a solution not in the catalogue and not from an RFI)."""

    class Meta:
        model = Alternative
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class CatalogueAlternativesForm(AccessibleFormMixin, forms.Form):
    measures = forms.MultipleChoiceField(label=_("catalogue measures"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, choices: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["measures"].choices = choices


class ScoreSheetForm(AccessibleFormMixin, forms.Form):
    """One expert's scores of one alternative: a score and a justification per criterion."""

    def __init__(self, *args: Any, criteria: list[Criterion], suggestions: dict[str, float | None],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            if criterion.ordinal:
                choices = [("", _("— not scored —"))] + [(str(level), f"{level}: {text}")
                                                         for level, text in criterion.anchors]
                field: forms.Field = forms.TypedChoiceField(label=criterion.name, choices=choices, coerce=float,
                                                            empty_value=None, required=False)
            else:
                field = forms.FloatField(label=f"{criterion.name} ({criterion.unit})", required=False)
            suggestion = suggestions.get(criterion.id)
            field.help_text = criterion.description + (
                " " + str(_("Suggested from the facts: %(value)s.") % {"value": f"{suggestion:g}"})
                if suggestion is not None else "")
            self.fields[f"value_{criterion.id}"] = field
            self.fields[f"why_{criterion.id}"] = forms.CharField(
                label=_("Justification"), required=False, widget=forms.Textarea(attrs={"rows": 1}))
        for name, added in self.fields.items():  # added after the mixin ran: give them its classes and links
            css = "form-select" if isinstance(added.widget, forms.Select) else "form-control"
            added.widget.attrs["class"] = css
            if added.help_text:
                added.widget.attrs["aria-describedby"] = f"{self[name].auto_id}_help"

    def rows(self) -> list[tuple[Criterion, Any, Any]]:
        return [(c, self[f"value_{c.id}"], self[f"why_{c.id}"]) for c in self.criteria]
