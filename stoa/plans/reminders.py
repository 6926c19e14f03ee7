"""Reminders mailed through Django's mail backend (``stoa manage remind_reviews [--days 14]``).

* **Review due**: one e-mail per plan whose next review is within DAYS from today or already
  past, to the members of the plan's organisation who answer for its security plan (the roles
  that may sign off, ``Action.APPROVE``: administrators and security officers) with an e-mail
  address; sent once per review date (``ActionPlan.reminder_sent_for``), so recording a review,
  which moves the date, arms the next reminder.
* **Overdue item**: one e-mail per overdue item (``PlannedMeasure.is_overdue``) to its owner's
  e-mail address, once per end date (``PlannedMeasure.overdue_notice_sent_for``).

Finished plans are not reminded. Safe to run every day: what was sent is not sent again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from stoa.accounts.models import Membership
from stoa.accounts.roles import Action, role_allows
from stoa.plans.models import ActionPlan, ItemStatus, PlannedMeasure, PlanStatus


@dataclass
class Sent:
    reviews: int = 0
    overdue: int = 0


def recipients(plan: ActionPlan) -> list[str]:
    members = (Membership.objects.filter(organisation_id=plan.organisation_id, user__is_active=True)
               .select_related("user"))
    return sorted({m.user.email for m in members if m.user.email and role_allows(m.role, Action.APPROVE)})


def send_reminders(today: datetime.date | None = None, days: int = 14) -> Sent:
    today = today or datetime.date.today()
    sent = Sent()
    due = (ActionPlan.objects.exclude(status=PlanStatus.FINISHED)
           .filter(next_review__lte=today + datetime.timedelta(days=days)).select_related("site"))
    for plan in due:
        if plan.reminder_sent_for == plan.next_review:
            continue
        to = recipients(plan)
        if not to:
            continue
        with transaction.atomic():
            send_mail(_("Review of the action plan “%(title)s” due on %(date)s") % {
                "title": plan.title, "date": plan.next_review.isoformat()},  # type: ignore[union-attr]
                _("The security plan of %(site)s (action plan “%(title)s”) is due for review on %(date)s. "
                  "Once reviewed, record the review on the plan's page: the next review date follows.") % {
                    "site": plan.site.name, "title": plan.title, "date": plan.next_review.isoformat()},  # type: ignore[union-attr]
                settings.DEFAULT_FROM_EMAIL, to)
            ActionPlan.objects.filter(pk=plan.pk).update(reminder_sent_for=plan.next_review)
        sent.reviews += 1
    late = (PlannedMeasure.objects.filter(end__lt=today, status__in=[ItemStatus.PLANNED, ItemStatus.IN_PROGRESS])
            .exclude(owner_email="").select_related("plan__site"))
    for item in late:
        if item.overdue_notice_sent_for == item.end:
            continue
        with transaction.atomic():
            send_mail(_("Overdue: %(name)s") % {"name": item.name},
                      _("The measure “%(name)s” of the action plan “%(title)s” (%(site)s) was due to end on %(end)s "
                        "and is %(progress)s %% done. Please update its status, progress or dates.") % {
                          "name": item.name, "title": item.plan.title, "site": item.plan.site.name,
                          "end": item.end.isoformat(), "progress": item.progress},  # type: ignore[union-attr]
                      settings.DEFAULT_FROM_EMAIL, [item.owner_email])
            PlannedMeasure.objects.filter(pk=item.pk).update(overdue_notice_sent_for=item.end)
        sent.overdue += 1
    return sent
