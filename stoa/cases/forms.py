"""Forms of the case pages: what the author writes (the rest comes from the plan), import, and the library filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stoa.cases.models import DISTRIBUTION_MEANING, CaseStudy, Distribution
from stoa.library.models import ReferenceObject
from stoa.sites.formfields import AccessibleFormMixin
from stoa.web.uploads import check_data_file

BUNDLE_KINDS = frozenset({"json"})  # a case bundle is one JSON document


def _distribution_help() -> str:
    return " ".join(f"{Distribution(k).label}: {v}" for k, v in DISTRIBUTION_MEANING.items())


class CaseForm(AccessibleFormMixin, forms.ModelForm):
    """Title, threat types, outcome, lessons, distribution and redaction; THREATS are the plan's threat types."""

    threats = forms.ModelMultipleChoiceField(
        queryset=ReferenceObject.objects.none(), widget=forms.CheckboxSelectMultiple, label=_("Threat types"),
        help_text=_("Proposed: the threat types of the scenarios the plan's measures treat."))

    class Meta:
        model = CaseStudy
        fields = ["title", "threats", "outcome", "lessons", "distribution", "include_names",
                  "include_exact_location", "include_geometry"]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 4}), "lessons": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "include_names": _("The names of the public space, your organisation and the plan owner. Without it they "
                               "are replaced in the texts by “[the public space]”, “[the organisation]” and “[the plan "
                               "owner]”. Other names you type (people, streets) are not found: leave them out."),
            "include_exact_location": _("The description of the surroundings. Without it, the case says where only "
                                        "by the category of public space and the threat types."),
            "include_geometry": _("The boundary and the coordinates of the place (needs the exact location too)."),
        }

    def __init__(self, *args: Any, threats: list[ReferenceObject] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if threats is None:  # editing: the threat types of the risk profile, and those already chosen
            profiled = {row["threat"] for row in self.instance.risk_profile}
            threats = list(ReferenceObject.objects.filter(kind="threat_type", ref_id__in=profiled))
            threats += [t for t in self.instance.threats.all() if t not in threats] if self.instance.pk else []
        threat_field: Any = self.fields["threats"]
        threat_field.queryset = ReferenceObject.objects.filter(pk__in=[t.pk for t in threats]).order_by("order")
        self.fields["threats"].widget.attrs["class"] = "form-check-input"
        self.fields["distribution"].help_text = _distribution_help()
        for name in ("include_names", "include_exact_location", "include_geometry"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


class ImportForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(label=_("Case bundle"),
                           help_text=_("A .stoa-case.json file exported by a Stoa installation."))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        check_data_file(upload, BUNDLE_KINDS)
        return upload
