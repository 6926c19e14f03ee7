"""``get_FOO_display()`` answers from a per-field table made once, in the active language."""

from __future__ import annotations

from django.db import models
from django.utils import translation

from stoa.plans.models import PlannedMeasure


def test_every_choice_reads_as_django_would_in_each_language():
    field = PlannedMeasure._meta.get_field("status")
    for language in ("en", "fr", "nl"):
        with translation.override(language):
            for value, label in field.flatchoices:
                measure = PlannedMeasure(status=value)
                assert measure.get_status_display() == str(label)
                assert measure.get_status_display() == models.Model._get_FIELD_display(measure, field)


def test_the_label_follows_the_language_after_the_table_is_made():
    measure = PlannedMeasure(status=PlannedMeasure._meta.get_field("status").flatchoices[0][0])
    with translation.override("en"):
        english = measure.get_status_display()
    with translation.override("fr"):
        french = measure.get_status_display()
    assert english != french


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert PlannedMeasure(status="retired-long-ago").get_status_display() == "retired-long-ago"
