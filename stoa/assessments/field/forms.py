"""The upload form of the field use page, and who may be named as the assessor of an import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from stoa.assessments.models import Assessment
from stoa.sites.formfields import AccessibleFormMixin
from stoa.web.uploads import check_data_file

# An ODK Central or KoboToolbox export: a CSV table or a JSON document.
SUBMISSION_KINDS = frozenset({"json", "text"})


def assessor_choices(assessment: Assessment, user: Any) -> list[Any]:
    """Whose answers an import may record: the person importing, and the team members who have a
    Stoa account (an assessor who collected on a phone without using Stoa themselves)."""
    ids = [user.pk, *assessment.teammembers.exclude(user=None).values_list("user_id", flat=True)]
    found = {u.pk: u for u in get_user_model().objects.filter(pk__in=ids, is_active=True)}
    return [found[pk] for pk in dict.fromkeys(ids) if pk in found]


def display_name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


class SubmissionUploadForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Submission export"),
        help_text=_("The CSV or JSON export of the form's submissions, from ODK Central or KoboToolbox."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json"}))
    assessor = forms.TypedChoiceField(
        label=_("Whose answers are these?"), coerce=str,
        help_text=_("The answers are stored as this assessor's, replacing their earlier answers to the same "
                    "questions; other assessors' answers are not touched."))

    def __init__(self, *args: Any, assessors: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assessors = {str(u.pk): u for u in assessors}
        chooser = self.fields["assessor"]
        assert isinstance(chooser, forms.ChoiceField)
        chooser.choices = [(pk, display_name(u)) for pk, u in self.assessors.items()]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        check_data_file(upload, SUBMISSION_KINDS)
        return upload

    def chosen_assessor(self) -> Any:
        return self.assessors[self.cleaned_data["assessor"]]
