"""The criteria set editor: the set's own fields, its groups, and one row of fields per criterion.

The rows are turned back into the library shape (``stoa.library.criteria_schema``) and the whole
tree is judged by ``criteria_problems``, the schema the shipped sets pass, so an own set is never
weaker than a shipped one. What is stored is the loader's shape: anchor levels as the JSON keys
"1".."5", optional fields as ``null``. Ids are upper-cased as typed (``effect`` → ``EFFECT``).
A group whose criteria were all removed is dropped with them.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stoa.evaluation.criteria import SCALE_HIGH, SCALE_LOW, CriteriaTree, criteria_problems
from stoa.evaluation.models import CriteriaSet, Stage
from stoa.library.criteria_schema import CRITERIA_STAGES
from stoa.sites.formfields import AccessibleFormMixin

LEVELS = range(SCALE_LOW, SCALE_HIGH + 1)
LANGUAGES = ("en", "fr")
DIRECTIONS = [("benefit", gettext_lazy("benefit: higher is better")), ("cost", gettext_lazy("cost: higher is worse"))]
SCALE_TYPES = [("ordinal", gettext_lazy("five described levels (1–5)")),
               ("measured", gettext_lazy("a measured quantity, with worst and best"))]
SUGGESTIONS = [("", gettext_lazy("none")), ("effect", gettext_lazy("effect against the threat")),
               ("trl", gettext_lazy("maturity (TRL)")), ("capital_eur", gettext_lazy("capital cost")),
               ("yearly_eur", gettext_lazy("yearly running cost")),
               ("total_cost_eur", gettext_lazy("total cost over the horizon")),
               ("deploy_days", gettext_lazy("time to deploy")), ("privacy", gettext_lazy("privacy impact")),
               ("normal_use", gettext_lazy("impact on normal use")),
               ("aesthetic", gettext_lazy("impact on the look of the place")),
               ("accessibility", gettext_lazy("impact on accessibility"))]
_WHERE = re.compile(r"^groups\.(\d+)(?:\.criteria\.(\d+))?\.?([^:]*): (.*)$", re.S)


def _number(value: float | None) -> int | float | None:
    """A number as the library writes it: 200000, not 200000.0."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _term(data: dict[str, Any], prefix: str) -> dict[str, str]:
    return {lang: (data.get(f"{prefix}_{lang}") or "").strip() for lang in LANGUAGES}


def keep_other_languages(new: Any, old: Any) -> Any:
    """NEW with the texts in languages the editor does not show (Dutch, Greek, ...) taken from OLD
    wherever the English is unchanged: saving a copy must not lose its translations, and a changed
    English text drops them, as they no longer translate it."""
    if isinstance(new, dict) and isinstance(old, dict):
        if "en" in new and not isinstance(new["en"], dict):
            if old.get("en") == new["en"]:
                return {**{k: v for k, v in old.items() if k not in LANGUAGES}, **new}
            return new
        return {key: keep_other_languages(value, old.get(key)) for key, value in new.items()}
    if isinstance(new, list) and isinstance(old, list):
        by_id = {item.get("id"): item for item in old if isinstance(item, dict) and "id" in item}
        return [keep_other_languages(item, by_id.get(item.get("id")) if isinstance(item, dict) else None)
                for item in new]
    return new


def _split(term: Any, prefix: str) -> dict[str, str]:
    term = term if isinstance(term, dict) else {"en": str(term or "")}
    return {f"{prefix}_{lang}": term.get(lang, "") for lang in LANGUAGES}


class CriteriaSetForm(AccessibleFormMixin, forms.ModelForm):
    """The set's name, description and the N of "total cost over N years"."""

    cost_horizon_years = forms.IntegerField(label=gettext_lazy("cost horizon (years)"), min_value=1, max_value=50,
                                            help_text=gettext_lazy("The N of “total cost over N years”."))

    class Meta:
        model = CriteriaSet
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class GroupForm(AccessibleFormMixin, forms.Form):
    id = forms.CharField(label=gettext_lazy("group id"), max_length=80, required=False)
    name_en = forms.CharField(label=gettext_lazy("group name (English)"), max_length=200, required=False)
    name_fr = forms.CharField(label=gettext_lazy("group name (French)"), max_length=200, required=False)

    def group(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"id": data["id"].strip().upper(), "name": _term(data, "name"), "criteria": []}


class CriterionForm(AccessibleFormMixin, forms.Form):
    """One criterion; fields a scale type does not use are ignored (anchors for a measured one)."""

    group = forms.CharField(label=gettext_lazy("group id"), max_length=80)
    id = forms.CharField(label=gettext_lazy("criterion id"), max_length=80,
                         help_text=gettext_lazy("Upper-case letters, digits and _, unique in the set."))
    name_en = forms.CharField(label=gettext_lazy("name (English)"), max_length=200, required=False)
    name_fr = forms.CharField(label=gettext_lazy("name (French)"), max_length=200, required=False)
    description_en = forms.CharField(label=gettext_lazy("what the experts judge (English)"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    description_fr = forms.CharField(label=gettext_lazy("what the experts judge (French)"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    direction = forms.ChoiceField(label=gettext_lazy("direction"), choices=DIRECTIONS, initial="benefit")
    scale_type = forms.ChoiceField(label=gettext_lazy("scale"), choices=SCALE_TYPES, initial="ordinal")
    unit_en = forms.CharField(label=gettext_lazy("unit (English)"), max_length=60, required=False)
    unit_fr = forms.CharField(label=gettext_lazy("unit (French)"), max_length=60, required=False)
    worst = forms.FloatField(label=gettext_lazy("worst value (scores 1)"), required=False)
    best = forms.FloatField(label=gettext_lazy("best value (scores 5)"), required=False)
    knockout_min = forms.FloatField(label=gettext_lazy("knock-out below"), required=False)
    knockout_max = forms.FloatField(label=gettext_lazy("knock-out above"), required=False)
    stages = forms.MultipleChoiceField(label=gettext_lazy("scored at the stages"), widget=forms.CheckboxSelectMultiple,
                                       choices=Stage.choices, initial=list(CRITERIA_STAGES), required=False)
    suggest_from = forms.ChoiceField(label=gettext_lazy("suggest a score from"), choices=SUGGESTIONS, required=False)
    default_points = forms.FloatField(label=gettext_lazy("default weight points"), required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        for level in LEVELS:
            for lang, language in zip(LANGUAGES, (_("English"), _("French")), strict=True):
                fields[f"anchor_{level}_{lang}"] = forms.CharField(
                    label=_("level %(level)s (%(language)s)") % {"level": level, "language": language},
                    max_length=500, required=False, widget=forms.TextInput(attrs={"class": "form-control"}))
        fields["stages"].widget.attrs["class"] = "form-check-input"
        fields["group"].widget.attrs["list"] = "group-ids"

    @property
    def anchor_rows(self) -> list[tuple[int, Any, Any]]:
        return [(level, self[f"anchor_{level}_en"], self[f"anchor_{level}_fr"]) for level in LEVELS]

    @staticmethod
    def initial_from(group_id: str, criterion: dict[str, Any]) -> dict[str, Any]:
        scale = criterion.get("scale") or {}
        knockout = criterion.get("knockout") or {}
        anchors = scale.get("anchors") or {}
        initial: dict[str, Any] = {
            "group": group_id, "id": criterion.get("id", ""), "direction": criterion.get("direction", "benefit"),
            "scale_type": scale.get("type", "ordinal"), "worst": scale.get("worst"), "best": scale.get("best"),
            "knockout_min": knockout.get("min"), "knockout_max": knockout.get("max"),
            "stages": list(criterion.get("stages") or CRITERIA_STAGES),
            "suggest_from": criterion.get("suggest_from") or "", "default_points": criterion.get("default_points"),
            **_split(criterion.get("name"), "name"), **_split(criterion.get("description"), "description"),
            **_split(scale.get("unit") or {}, "unit")}
        for level in LEVELS:
            initial.update(_split(anchors.get(str(level), anchors.get(level)) or {}, f"anchor_{level}"))
        return initial

    def criterion(self) -> dict[str, Any]:
        """The row in the library shape (checked later, with the whole tree, by the schema)."""
        data = self.cleaned_data
        if data["scale_type"] == "ordinal":
            scale: dict[str, Any] = {"type": "ordinal",
                                     "anchors": {str(level): _term(data, f"anchor_{level}") for level in LEVELS}}
        else:
            scale = {"type": "measured", "unit": _term(data, "unit"), "worst": _number(data.get("worst")),
                     "best": _number(data.get("best"))}
        low, high = _number(data.get("knockout_min")), _number(data.get("knockout_max"))
        return {
            "id": data["id"].strip().upper(), "name": _term(data, "name"), "description": _term(data, "description"),
            "direction": data["direction"], "scale": scale,
            "knockout": None if low is None and high is None else {"min": low, "max": high},
            "stages": [s for s in CRITERIA_STAGES if s in (data.get("stages") or [])],
            "suggest_from": data.get("suggest_from") or None, "default_points": _number(data.get("default_points")),
        }


class _Rows(BaseFormSet):
    def add_fields(self, form: Any, index: Any) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


GroupFormSet = formset_factory(GroupForm, extra=1)
CriterionFormSet = formset_factory(CriterionForm, formset=_Rows, extra=1, can_delete=True)


class CriteriaSetEditor:
    """The three parts of the editor page, validated together; ``save`` only after ``is_valid``."""

    def __init__(self, criteria_set: CriteriaSet, data: Any = None) -> None:
        self.instance = criteria_set
        tree = CriteriaTree(criteria_set.data)
        groups = criteria_set.data.get("groups") or []
        self.form = CriteriaSetForm(data, instance=criteria_set,
                                    initial={"cost_horizon_years": tree.cost_horizon_years})
        self.groups = GroupFormSet(data, prefix="groups", initial=[
            {"id": g.get("id", ""), **_split(g.get("name"), "name")} for g in groups])
        self.criteria = CriterionFormSet(data, prefix="criteria", initial=[
            CriterionForm.initial_from(str(g.get("id", "")), c) for g in groups for c in g.get("criteria") or []])
        self.problems: list[str] = []
        self.tree_data: dict[str, Any] = {}

    @property
    def group_ids(self) -> list[str]:
        return [str(g.get("id", "")) for g in self.instance.data.get("groups") or []]

    def is_valid(self) -> bool:
        if not all([self.form.is_valid(), self.groups.is_valid(), self.criteria.is_valid()]):
            self.problems = self._field_problems()
            return False
        groups: dict[str, dict[str, Any]] = {}
        for form in self.groups:
            if form.cleaned_data:
                group = form.group()
                if group["id"]:
                    groups.setdefault(group["id"], group)
        for number, form in enumerate(self.criteria, start=1):
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            criterion = form.criterion()
            group_id = form.cleaned_data["group"].strip().upper()
            if group_id not in groups:
                self.problems.append(_("Criterion %(number)s (%(id)s): there is no group %(group)s; add it under "
                                       "Groups.") % {"number": number, "id": criterion["id"], "group": group_id})
                continue
            groups[group_id]["criteria"].append(criterion)
        self.tree_data = {"cost_horizon_years": self.form.cleaned_data["cost_horizon_years"],
                          "groups": [g for g in groups.values() if g["criteria"]]}
        if not self.problems:
            self.problems = [self._readable(p) for p in criteria_problems(self.tree_data)]
        return not self.problems

    def _field_problems(self) -> list[str]:
        def words(errors: Any) -> str:
            return " ".join(str(e) for e in errors)

        problems = [f"{self.form[name].label}: {words(errors)}" if name in self.form.fields else words(errors)
                    for name, errors in self.form.errors.items()]
        for kind, formset in ((_("Group %(number)s"), self.groups), (_("Criterion %(number)s"), self.criteria)):
            for number, form in enumerate(formset, start=1):
                for name, errors in form.errors.items():
                    label = form[name].label if name in form.fields else ""
                    problems.append(f"{kind % {'number': number}} · {label}: {words(errors)}")
        problems += [str(error) for formset in (self.groups, self.criteria) for error in formset.non_form_errors()]
        return problems or [_("Some fields are not filled in correctly.")]

    def _readable(self, problem: str) -> str:
        """A schema message with its place named by group and criterion id rather than by index."""
        match = _WHERE.match(problem)
        if match is None:
            return problem
        g, c, rest, message = match.groups()
        group = self.tree_data["groups"][int(g)]
        if c is None:
            where = _("Group %(group)s") % {"group": group["id"] or int(g) + 1}
        else:
            where = _("Criterion %(id)s") % {"id": group["criteria"][int(c)]["id"] or int(c) + 1}
        return f"{where}{' · ' + rest if rest else ''}: {message}"

    def save(self) -> CriteriaSet:
        self.instance.data = keep_other_languages(self.tree_data, self.instance.data or {})
        self.instance.full_clean()
        self.instance.save()
        return self.instance


class CriteriaSetCopyForm(AccessibleFormMixin, forms.ModelForm):
    """The name and description of a new set copied from another."""

    class Meta:
        model = CriteriaSet
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
