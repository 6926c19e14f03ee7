from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stoa.engineering.models import BlastAnalysis, category_choices, chart_choices
from stoa.sites.models import CrowdSlot, Site, SiteEvent


class BlastForm(forms.ModelForm):
    class Meta:
        model = BlastAnalysis
        fields = ["threat_category", "charge_kg_tnt", "chart", "crowd_slot", "event"]

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["threat_category"] = forms.ChoiceField(
            label=_("Threat category"), required=False, choices=[("", _("— a TNT-equivalent mass instead —")),
                                                                 *category_choices()])
        self.fields["chart"] = forms.ChoiceField(label=_("Stand-off chart"), choices=chart_choices())
        slot_field = self.fields["crowd_slot"]
        event_field = self.fields["event"]
        assert isinstance(slot_field, forms.ModelChoiceField) and isinstance(event_field, forms.ModelChoiceField)
        slot_field.queryset = CrowdSlot.objects.filter(site=site)
        event_field.queryset = SiteEvent.objects.filter(site=site)
        self.fields["crowd_slot"].help_text = _("Neither slot nor event: the site's largest crowd figure.")
