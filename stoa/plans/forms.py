"""Forms of the action-plan pages. Rules live on the models and in ``stoa.plans.rules``; forms only
collect what the user typed and offer only what the user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stoa.accounts.roles import Action
from stoa.assessments.models import Assessment, Scenario
from stoa.catalogue.entries import catalogue_for
from stoa.plans.models import ActionPlan, PlannedMeasure
from stoa.plans.rules import check_dependencies
from stoa.sites.formfields import AccessibleFormMixin
from stoa.sites.models import Site
from stoa.web.versioned_forms import VersionedFormMixin


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(VersionedFormMixin, AccessibleFormMixin, forms.ModelForm):
    """A new plan (public space and assessment chosen once) or an existing plan's settings."""

    class Meta:
        model = ActionPlan
        fields = ["site", "assessment", "title", "status", "owner_name", "review_every_months", "last_reviewed",
                  "next_review", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "last_reviewed": date_input(),
                   "next_review": date_input()}

    def __init__(self, *args: Any, user: Any = None, site: Site | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        if not self.instance._state.adding:
            del fields["site"], fields["assessment"]
            return
        fields["site"].queryset = Site.objects.for_user(user, Action.CHANGE).order_by("name")
        # Only the chosen site's assessments the user may see (none until a site is chosen).
        fields["assessment"].queryset = (Assessment.objects.for_user(user, Action.VIEW).filter(site=site)
                                         .order_by("-date") if site else Assessment.objects.none())
        fields["assessment"].label_from_instance = lambda a: f"{a.date:%Y-%m-%d} · {a.get_depth_display()} · " \
                                                             f"{a.get_status_display()}"


class MeasureForm(VersionedFormMixin, AccessibleFormMixin, forms.ModelForm):
    """One item of a plan, typed in or corrected."""

    catalogue_key = forms.ChoiceField(label=_("catalogue entry"), required=False, help_text=_(
        "The catalogue measure this is, so its effect on the scenarios is known."))

    class Meta:
        model = PlannedMeasure
        fields = ["name", "catalogue_key", "status", "progress", "start", "end", "owner", "owner_email",
                  "capital_eur", "yearly_eur", "horizon", "scenarios", "depends_on", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2}), "start": date_input(),
                   "end": date_input(), "scenarios": forms.CheckboxSelectMultiple,
                   "depends_on": forms.SelectMultiple(attrs={"size": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan = self.instance.plan
        fields: dict[str, Any] = self.fields
        fields["catalogue_key"].choices = [("", "—"), *sorted(
            ((e.key, e.name) for e in catalogue_for(plan.organisation_id)), key=lambda c: c[1].casefold())]
        fields["scenarios"].queryset = Scenario.objects.filter(assessment_id=plan.assessment_id,
                                                               not_applicable=False).select_related("threat")
        fields["scenarios"].label_from_instance = lambda s: str(s.threat)
        fields["scenarios"].widget.attrs.pop("class", None)
        others = PlannedMeasure.objects.filter(plan=plan)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        # Only the plan's other items are offered; an item of another plan (a tampered form) still
        # reaches the rule, which refuses it with its reason rather than as an unknown choice.
        fields["depends_on"].queryset = PlannedMeasure.objects.filter(organisation_id=plan.organisation_id)
        fields["depends_on"].widget.choices = [(str(m.pk), m.name) for m in others]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "depends_on" in cleaned:
            try:
                check_dependencies(self.instance, cleaned["depends_on"])
            except forms.ValidationError as exc:
                self.add_error("depends_on", exc.messages)
        return cleaned


class FromWhatIfForm(AccessibleFormMixin, forms.Form):
    option = forms.ChoiceField(label=_("what-if option"))

    def __init__(self, *args: Any, options: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options = {str(o.pk): o for o in options}
        self.fields["option"].choices = [(str(o.pk), o.name) for o in options]  # type: ignore[attr-defined]


class FromDecisionForm(AccessibleFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("evaluation decision"))

    def __init__(self, *args: Any, decisions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.decisions = {str(d.pk): d for d in decisions}
        self.fields["decision"].choices = [  # type: ignore[attr-defined]
            (str(d.pk), f"{d.evaluation.title}: {d.chosen.name}") for d in decisions]
