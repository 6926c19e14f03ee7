from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stoa.reports.models import RedactionPolicy, ReportKind, Sensitive


class ReportForm(forms.Form):
    """Asking for one kind of report (each kind has its own form on the reports page)."""

    kind = forms.ChoiceField(choices=ReportKind.choices, widget=forms.HiddenInput)
    redacted = forms.BooleanField(label=_("Redacted: leave out what the organisation marked sensitive"),
                                  required=False)
    plan: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Action plan"), queryset=None, required=False)

    def __init__(self, *args: Any, plans: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans  # type: ignore[attr-defined]

    @cached_property
    def plan_options(self) -> list[tuple[str, str]]:
        """(value, label) of each plan to choose from, read as plain values: a city has a thousand."""
        plans = self.fields["plan"].queryset  # type: ignore[attr-defined]
        if plans is None:
            return []
        return [(str(pk), f"{site}: {title}") for pk, site, title in plans.values_list("pk", "site__name", "title")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == ReportKind.ACTION_PLAN and not data.get("plan"):
            self.add_error("plan", _("Choose the action plan to print."))
        if data.get("kind") != ReportKind.ACTION_PLAN:
            data["plan"] = None
        return data


class RedactionForm(forms.ModelForm):
    sensitive = forms.MultipleChoiceField(
        label=_("Left out of redacted reports"), choices=Sensitive.choices, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))

    class Meta:
        model = RedactionPolicy
        fields = ["sensitive"]
