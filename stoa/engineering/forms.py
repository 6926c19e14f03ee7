from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stoa.core.engineering_data import shipped
from stoa.engineering.models import (
    BlastAnalysis,
    StreetNetwork,
    VehicleAnalysis,
    category_choices,
    chart_choices,
    surface_choices,
    vehicle_class_choices,
)
from stoa.sites.formfields import AccessibleFormMixin
from stoa.sites.models import CrowdSlot, Site, SiteEvent
from stoa.web.uploads import check_data_file

# A street file is GeoJSON or OSM XML, plain or compressed (stoa.engineering reads all four).
NETWORK_KINDS = frozenset({"json", "xml", "application/gzip", "application/x-bzip2"})


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


def _network_help() -> str:
    # Formatted when shown, in the page's language (%-formatting a lazy string at import fixes it in English).
    text = gettext("GeoJSON (LineString or MultiLineString features, optional properties name, maxspeed, highway) "
                   "or an OSM XML extract (.osm, also .osm.gz or .osm.bz2), at most %(mb)s MB.")
    return text % {"mb": settings.MAX_NETWORK_UPLOAD_BYTES // (1024 * 1024)}


class NetworkUploadForm(AccessibleFormMixin, forms.Form):
    """A street network file to import: GeoJSON lines or an OSM XML extract, read locally."""

    name = forms.CharField(label=_("Name"), max_length=200)
    file = forms.FileField(label=_("Street file"), help_text=lazy(lambda: _network_help(), str)())
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        check_data_file(upload, NETWORK_KINDS, limit=settings.MAX_NETWORK_UPLOAD_BYTES)
        return upload


class VehicleForm(AccessibleFormMixin, forms.ModelForm):
    """The run-up analysis's inputs, with each class's documented numbers overridable one by one."""

    vehicle_classes = forms.MultipleChoiceField(label=_("Vehicle classes"), widget=forms.CheckboxSelectMultiple)
    surface = forms.ChoiceField(label=_("Road surface"))

    class Meta:
        model = VehicleAnalysis
        fields = ["network", "vehicle_classes", "surface", "search_distance_m", "respect_speed_limits", "snap_m",
                  "barrier_reach_m"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        network_field = self.fields["network"]
        assert isinstance(network_field, forms.ModelChoiceField)
        network_field.queryset = StreetNetwork.objects.filter(organisation_id=self.instance.organisation_id)
        classes: Any = self.fields["vehicle_classes"]
        classes.choices = vehicle_class_choices()
        classes.widget.attrs["class"] = "form-check-input"
        surface: Any = self.fields["surface"]
        surface.choices = surface_choices()
        self.override_rows = []
        own = self.instance.overrides or {}
        for key, vehicle in shipped().vehicle_classes.items():
            accel = f"accel_{key}"
            top = f"top_{key}"
            self.fields[accel] = forms.FloatField(
                label=_("%(name)s: acceleration (m/s²)") % {"name": vehicle.name}, required=False,
                min_value=0.05, max_value=10, initial=own.get(key, {}).get("acceleration_ms2"),
                widget=forms.NumberInput(attrs={"step": "0.01", "placeholder": f"{vehicle.acceleration_ms2:g}",
                                                "class": "form-control form-control-sm"}))
            top_ms = own.get(key, {}).get("top_speed_ms")
            self.fields[top] = forms.FloatField(
                label=_("%(name)s: top speed (km/h)") % {"name": vehicle.name}, required=False,
                min_value=5, max_value=300, initial=None if top_ms is None else round(top_ms * 3.6, 1),
                widget=forms.NumberInput(attrs={"step": "1", "placeholder": f"{vehicle.top_speed_ms * 3.6:.0f}",
                                                "class": "form-control form-control-sm"}))
            self.override_rows.append({"vehicle": vehicle, "accel": self[accel], "top": self[top]})

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        overrides: dict[str, dict[str, float]] = {}
        for key in shipped().vehicle_classes:
            own = {}
            if data.get(f"accel_{key}") is not None:
                own["acceleration_ms2"] = float(data[f"accel_{key}"])
            if data.get(f"top_{key}") is not None:
                own["top_speed_ms"] = round(float(data[f"top_{key}"]) / 3.6, 4)
            if own:
                overrides[key] = own
        self.instance.overrides = overrides
        return data
