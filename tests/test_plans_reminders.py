"""Reminders: a plan's review due soon or past is mailed once per review date to its organisation's
administrators and security officers; an overdue item once to its owner; never across organisations."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from stoa.plans.models import ActionPlan, PlannedMeasure, PlanStatus
from stoa.plans.reminders import send_reminders
from stoa.plans.services import record_review
from tests import factories
from tests.plan_samples import make_plan_world

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _locmem(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_reviews_due_are_mailed_once_to_admins_and_officers_of_the_plans_organisation(org, other_org):
    for role in ("admin", "security_officer", "assessor", "viewer"):
        factories.make_user(org, role, username=f"v-{role}", email=f"{role}@valmont.test")
    factories.make_user(other_org, "admin", username="e-admin", email="admin@elsewhere.test")
    world = make_plan_world(org)
    plan = world["plan"]
    ActionPlan.objects.filter(pk=plan.pk).update(next_review=TODAY + datetime.timedelta(days=10))
    far = make_plan_world(org, "Station")["plan"]
    ActionPlan.objects.filter(pk=far.pk).update(next_review=TODAY + datetime.timedelta(days=40))
    finished = make_plan_world(org, "Quay")["plan"]
    ActionPlan.objects.filter(pk=finished.pk).update(next_review=TODAY, status=PlanStatus.FINISHED)
    PlannedMeasure.objects.filter(pk=world["item"].pk).update(owner_email="works@valmont.test",
                                                              end=TODAY - datetime.timedelta(days=1))

    sent = send_reminders(TODAY, days=14)
    assert (sent.reviews, sent.overdue) == (1, 1)
    review, overdue = mail.outbox
    assert sorted(review.to) == ["admin@valmont.test", "security_officer@valmont.test"]
    assert "Plan for Market Square" in review.subject and "2026-10-11" in review.subject
    assert overdue.to == ["works@valmont.test"] and overdue.subject == "Overdue: Signage"
    assert "50 % done" in overdue.body

    assert send_reminders(TODAY, days=14).reviews == 0 and len(mail.outbox) == 2  # once only
    plan.refresh_from_db()
    record_review(plan, today=TODAY)  # the next review moves a year on: nothing due
    assert send_reminders(TODAY + datetime.timedelta(days=30), days=14).reviews == 1  # Station's turn now
    assert not any("elsewhere" in address for message in mail.outbox for address in message.to)


def test_the_command_runs_with_a_window_and_says_what_it_sent(org, capsys):
    factories.make_user(org, "admin", username="v-admin", email="admin@valmont.test")
    plan = make_plan_world(org)["plan"]
    ActionPlan.objects.filter(pk=plan.pk).update(next_review=datetime.date.today() - datetime.timedelta(days=3))
    call_command("remind_reviews", "--days", "7")
    call_command("remind_reviews", "--days", "7")
    assert len(mail.outbox) == 1
    assert "Review reminders sent: 0; overdue notices sent: 0." in capsys.readouterr().out
