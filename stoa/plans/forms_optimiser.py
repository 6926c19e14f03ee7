from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stoa.sites.formfields import AccessibleFormMixin
from stoa.sites.models import Site

MAX_BUDGET_EUR = 10_000_000_000  # ten billion: a typo guard, far above any city budget


class OptimiseForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(label=_("Name of the run"), max_length=200)
    budget_eur = forms.IntegerField(label=_("Capital budget (€)"), min_value=0, max_value=MAX_BUDGET_EUR)
    yearly_budget_eur = forms.IntegerField(
        label=_("Yearly running budget (€)"), min_value=0, max_value=MAX_BUDGET_EUR, required=False,
        help_text=_("Optional: a cap on the chosen measures' summed yearly costs."))
    mode = forms.ChoiceField(label=_("Candidates"), choices=[
        ("whatif", _("The saved what-if options (at most one per public space)")),
        ("catalogue", _("Every catalogue measure acting on a rated scenario"))], initial="whatif")
    sites = forms.ModelMultipleChoiceField(
        label=_("Public spaces"), queryset=Site.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every public space of your organisation with a rated assessment."))

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sites: Any = self.fields["sites"]
        sites.queryset = Site.objects.filter(organisation=organisation).order_by("name")
        sites.widget.attrs["class"] = "form-check-input"
