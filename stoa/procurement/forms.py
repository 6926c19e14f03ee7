"""Forms of the RFI pages. Rules live on the models and in ``stoa.procurement.services``; forms only
collect what was typed (and check uploaded files by their content, like the site attachments)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from stoa.accounts.models import Organisation, OrganisationKind
from stoa.library.models import ReferenceObject
from stoa.procurement.models import Clarification, Demonstration, Rfi, RfiRequirement, Submission
from stoa.sites.formfields import AccessibleFormMixin
from stoa.web.uploads import accept_document

# What vendors may attach: documents and pictures, recognised by their first bytes.
ATTACHMENT_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})
ATTACHMENT_REFUSAL = _("This file's content is not a PDF, PNG or JPEG, whatever its name says.")
def _datetime() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _checkboxes(form: forms.BaseForm, *names: str) -> None:
    for name in names:
        form.fields[name].widget.attrs["class"] = "form-check-input"


def reference_choices(kind: str) -> list[tuple[str, str]]:
    """The library's threat types or attack phases, in their reference order."""
    return [(o.ref_id, o.label()) for o in ReferenceObject.objects.filter(kind=kind).order_by("order", "ref_id")]


class RfiForm(AccessibleFormMixin, forms.ModelForm):
    """An RFI's text, window, visibility and contact (while it is a draft)."""

    class Meta:
        model = Rfi
        fields = ["title", "reference", "problem", "opens_at", "closes_at", "visibility", "contact"]
        widgets = {"problem": forms.Textarea(attrs={"rows": 5}), "opens_at": _datetime(), "closes_at": _datetime()}
        help_texts = {
            "problem": _("What vendors may know: the kind of place, the threat and what is wanted. Never the "
                         "scenarios or the weaknesses of the site: vendors must not learn them."),
            "contact": _("Who answers practical questions (a name and a service address); questions about the "
                         "content go through the clarifications."),
        }


class RfiDraftForm(RfiForm):
    """A new RFI drafted from an assessment: the vulnerabilities it is about and the criteria set."""

    scenarios = forms.MultipleChoiceField(label=_("vulnerabilities the solutions should address"),
                                          widget=forms.CheckboxSelectMultiple,
                                          help_text=_("Rated ones first, most severe first. The requirements of "
                                                      "the objectives addressing them are copied into the RFI."))
    criteria_source = forms.ChoiceField(label=_("evaluation criteria"), help_text=_(
        "An evaluation starts with a copy of these criteria; the RFI document tells vendors how they are judged."))

    class Meta(RfiForm.Meta):
        help_texts = {
            **RfiForm.Meta.help_texts,
            "problem": _("Leave it empty and Stoa drafts it in neutral words from the kind of place and the threat "
                         "types. Never describe the scenarios or the weaknesses of the site: vendors must not learn "
                         "them."),
        }

    def __init__(self, *args: Any, vulnerabilities: list[tuple[str, str]], sources: list[tuple[str, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["problem"].required = False
        fields["scenarios"].choices = vulnerabilities
        fields["criteria_source"].choices = sources
        _checkboxes(self, "scenarios")


class RequirementForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = RfiRequirement
        fields = ["text", "priority", "criterion", "limit"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"priority": _("An answer that fails a must-have with a measurable condition is screened out."),
                      "limit": _("e.g. low, 50000, 7, event: what the condition compares with.")}


class VendorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class InvitationForm(AccessibleFormMixin, forms.Form):
    vendor = VendorChoiceField(queryset=Organisation.objects.none(), label=_("vendor organisation"),
                               empty_label=_("Choose a vendor"))

    def __init__(self, *args: Any, rfi: Rfi, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["vendor"]
        # Vendor organisations are a public directory inside Stoa; only those not yet invited are offered.
        field.queryset = (Organisation.objects.filter(kind=OrganisationKind.VENDOR)
                          .exclude(pk__in=rfi.invitations.values("vendor_id")).order_by("name"))


class QuestionForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Clarification
        fields = ["question"]
        widgets = {"question": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"question": _("Once answered, the question and its answer are shown to every vendor who "
                                    "may see this request, without saying who asked.")}


class AnswerForm(AccessibleFormMixin, forms.Form):
    answer = forms.CharField(label=_("answer"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Shown to every vendor who may see this request, with the question; "
                                         "never who asked."))


class SubmissionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.solution} ({obj.organisation.name})"


class DemonstrationForm(AccessibleFormMixin, forms.ModelForm):
    """A demonstration session; only shortlisted answers can be chosen."""

    submission = SubmissionChoiceField(queryset=Submission.objects.none(), label=_("shortlisted answer"))

    class Meta:
        model = Demonstration
        fields = ["submission", "starts_at", "duration_minutes", "place", "mode", "scenario", "notes"]
        widgets = {"starts_at": _datetime(), "scenario": forms.Textarea(attrs={"rows": 2}),
                   "notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"scenario": _("The demonstration scenario the vendor plays out (it is shown to that vendor).")}

    def __init__(self, *args: Any, shortlisted: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["submission"]
        field.queryset = shortlisted


class SubmissionForm(AccessibleFormMixin, forms.ModelForm):
    """A vendor's structured answer. Validation ends in ``Submission.clean``."""

    threats = forms.MultipleChoiceField(label=_("threat types addressed"), widget=forms.CheckboxSelectMultiple,
                                        required=False)
    phases = forms.MultipleChoiceField(label=_("attack phases addressed"), widget=forms.CheckboxSelectMultiple,
                                       required=False)

    class Meta:
        model = Submission
        fields = ["solution", "description", "threats", "phases", "trl", "performance", "detection_rate",
                  "false_alarms_per_day", "physical_needs", "deploy_days", "capital_eur", "yearly_eur", "timing",
                  "personal_data", "privacy_impact", "normal_use_impact", "aesthetic_impact", "accessibility_impact",
                  "compliance", "demo_available", "demo_notes"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in
                   ("description", "performance", "physical_needs", "compliance", "demo_notes")}
        help_texts = {"solution": _("The product or service's name. One answer per solution."),
                      "trl": _("Technology readiness level: 9 = proven in operational use.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["threats"].choices = reference_choices("threat_type")
        fields["phases"].choices = reference_choices("attack_phase")
        _checkboxes(self, "threats", "phases")

    def validate_unique(self) -> None:
        # The organisation is set by the view, not in the form: check the one-answer-per-solution rule here.
        try:
            self.instance.validate_constraints()
        except forms.ValidationError:
            self.add_error("solution", _("Your organisation already has an answer for this solution."))


class AttachmentForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(label=_("file"))
    name = forms.CharField(label=_("what it is"), max_length=200, required=False,
                           help_text=_("e.g. “Crash test report, 2024”. The file name is used when empty."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = self.fields["file"].widget
        self.fields["file"].help_text = _("PDF, PNG or JPEG, at most %(size)s. The content is checked, not the "
                                          "name.") % {"size": filesizeformat(settings.MAX_UPLOAD_BYTES)}
        widget.attrs["accept"] = ".pdf,.png,.jpg,.jpeg"
        widget.attrs["aria-describedby"] = f"{self['file'].auto_id}_help"
        self.content_type = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        upload = data.get("file")
        if upload is None:
            return data
        try:
            stored, media_type = accept_document(upload, ATTACHMENT_TYPES, str(ATTACHMENT_REFUSAL))
        except ValidationError as exc:
            self.add_error("file", exc)
            return data
        data["file"] = stored  # images: the re-encoded copy, without metadata
        self.content_type = media_type
        data["name"] = (data.get("name") or "").strip() or stored.name
        return data
