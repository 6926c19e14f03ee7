"""Forms of the site pages. Validation ends in the models' ``full_clean`` (ModelForm does it)."""

from __future__ import annotations

import os
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from stoa.accounts.models import Organisation
from stoa.library.models import ReferenceObject
from stoa.sites.formfields import ACCEPTED_TYPES, AccessibleFormMixin, GeoJSONField
from stoa.sites.models import AccessPoint, Attachment, AttachmentKind, CrowdSlot, Site, SiteEvent, SiteShare, Zone
from stoa.sites.services.imports import IMPORT_KINDS
from stoa.sites.services.locating import reference_for_organisation
from stoa.web.uploads import accept_document, check_data_file
from stoa.web.versioned_forms import VersionedFormMixin

SYMBOLIC_CHOICES = [
    (1, _("1 – low")),
    (2, _("2 – notable: a landmark or well-known venue")),
    (3, _("3 – a national, political or religious symbol")),
]


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ReferenceObject) -> str:
        return obj.label()


class SiteForm(VersionedFormMixin, AccessibleFormMixin, forms.ModelForm):
    category = CategoryChoiceField(
        queryset=ReferenceObject.objects.filter(kind="psoi_category"), label=_("Category"),
        empty_label=_("Choose a category"),
    )
    boundary = GeoJSONField(
        kind="Polygon", label=_("Boundary as GeoJSON text"),
        help_text=_("Filled in when you draw on the map. You may also paste a GeoJSON polygon here, "
                    "longitude first."),
        error_messages={"required": _("Draw the outline of the space on the map, or enter it as text.")},
    )
    symbolic_value = forms.TypedChoiceField(
        label=_("Symbolic value"), choices=SYMBOLIC_CHOICES, coerce=int,
        help_text=_("How strongly an attack here would strike the public: it raises the priority."),
    )

    class Meta:
        model = Site
        fields = [
            "name", "category", "description", "ownership", "owner_name", "boundary", "surroundings",
            "symbolic_value", "priority_override", "priority_justification",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "surroundings": forms.Textarea(attrs={"rows": 3}),
            "priority_justification": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "surroundings": _("What lies around the space: streets, buildings, other crowded places."),
            "priority_override": _("Leave empty to use the computed priority (0–100)."),
        }

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        boundary = self.fields["boundary"]
        assert isinstance(boundary, GeoJSONField)
        # Catches coordinates given latitude first, when the city's outline says where it lies.
        self.organisation = organisation
        if not self.instance._state.adding and not self.instance.boundary:
            # A space imported as a point may keep being a point until someone draws its outline.
            boundary.required = False
        if organisation is not None:
            boundary.reference = reference_for_organisation(organisation, exclude_site=self.instance.pk)

    def clean_name(self) -> str:
        """Names are unique within an organisation, as the import requires, so files round-trip."""
        name = " ".join(self.cleaned_data["name"].split())
        if self.organisation is not None and (
            Site.objects.filter(organisation=self.organisation, name__iexact=name).exclude(pk=self.instance.pk).exists()
        ):
            raise ValidationError(_("%(org)s already has a public space called “%(name)s”.") % {
                "org": self.organisation, "name": name})
        return name


class ZoneForm(AccessibleFormMixin, forms.ModelForm):
    geometry = GeoJSONField(
        kind="Polygon", label=_("Outline as GeoJSON text"),
        help_text=_("Filled in when you draw the zone on the map; you may also paste a GeoJSON polygon."),
        error_messages={"required": _("Draw the zone on the map, or enter its outline as text.")},
    )

    class Meta:
        model = Zone
        fields = ["name", "usable_share", "notes", "geometry"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2}),
                   "usable_share": forms.NumberInput(attrs={"step": "0.05", "min": "0.05", "max": "1"})}


class AccessPointForm(AccessibleFormMixin, forms.ModelForm):
    geometry = GeoJSONField(
        kind="Point", label=_("Location as text"),
        help_text=_("Filled in when you place the point on the map; you may also type "
                    "\"longitude, latitude\" or paste a GeoJSON point."),
        error_messages={"required": _("Place the access point on the map, or enter its location as text.")},
    )

    class Meta:
        model = AccessPoint
        fields = ["name", "kind", "width_m", "notes", "geometry"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2}),
                   "width_m": forms.NumberInput(attrs={"step": "0.1", "min": "0.1"})}


class CrowdSlotForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = CrowdSlot
        fields = ["label", "days", "start_time", "end_time", "typical_people", "peak_people"]
        widgets = {"start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


class OptionalJSONField(forms.JSONField):
    """A JSON text box that shows an empty box, not the word "null", when there is no value."""

    def prepare_value(self, value: Any) -> Any:
        return "" if value is None else super().prepare_value(value)


class SiteEventForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = SiteEvent
        fields = ["name", "start_date", "end_date", "expected_peak", "recurrence", "layout", "notes"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "layout": forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"layout": OptionalJSONField}
        error_messages = {"layout": {"invalid": _("The layout is not valid JSON text.")}}


class AttachmentForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["kind", "title", "file"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Photos: JPEG, PNG, WebP or GIF. Plans and documents: PDF or an image. "
                                          "At most %(size)s.") % {"size": filesizeformat(settings.MAX_UPLOAD_BYTES)}
        self.fields["file"].widget.attrs["accept"] = ".jpg,.jpeg,.png,.webp,.gif,.pdf"
        self.fields["file"].widget.attrs["aria-describedby"] = f"{self['file'].auto_id}_help"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        upload = data.get("file")
        kind = data.get("kind")
        if upload is None or kind is None:
            return data
        try:
            stored, media_type = accept_document(
                upload, ACCEPTED_TYPES.get(kind, frozenset()),
                _("This file's content is not accepted as “%(kind)s”; see the accepted types above.")
                % {"kind": AttachmentKind(kind).label})
        except ValidationError as exc:
            self.add_error("file", exc)
            return data
        data["file"] = stored  # images: the re-encoded copy, without metadata
        self.instance.content_type = media_type
        self.instance.size = stored.size
        return data


class ShareForm(AccessibleFormMixin, forms.ModelForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Share with"), empty_label=_("Choose an organisation"))

    class Meta:
        model = SiteShare
        fields = ["organisation", "access", "reason"]
        help_texts = {"reason": _("Recorded with the share, e.g. \"joint assessment with the police\".")}

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.site = site
        chooser = self.fields["organisation"]
        assert isinstance(chooser, forms.ModelChoiceField)
        chooser.queryset = Organisation.objects.exclude(pk=site.organisation_id).order_by("name")


class ImportForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File to import"),
        help_text=_("A GeoJSON FeatureCollection (.geojson, .json) or a CSV file (.csv)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,.csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # The name first: "choose a .csv" is clearer than "this content is not CSV" for a spreadsheet.
        if os.path.splitext(upload.name or "")[1].lower() not in {".geojson", ".json", ".csv"}:
            raise ValidationError(_("Choose a .geojson, .json or .csv file."), code="extension")
        check_data_file(upload, IMPORT_KINDS)
        return upload
