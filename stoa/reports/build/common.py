"""Shared by the builders: the steps, the redaction rule, and the names printed for sites and people.

Redaction rule: a redacted report leaves out every kind of content the organisation marked
sensitive (``RedactionPolicy``, all kinds by default): public spaces are then named by a code
(P1, P2… in the order of their names) and their category; maps, boundaries, addresses and the
place of a scenario are left out; scenario narratives and rating justifications are left out; the
description, place and barrier rating of existing measures are left out; people's names (plan and
measure owners, team leads and members, authors) are left out. Where something was left out the
report prints "[redacted: …]", lists the kinds left out at its start, and prints "REDACTED" next
to the classification at the top and bottom of every page. Numbers (ratings, costs, progress,
dates) are never redacted: they are what the council decides on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from stoa.reports.models import RedactionPolicy, ReportJob, Sensitive


@dataclass(frozen=True)
class Step:
    label: Any  # a lazily translated string
    run: Callable[[dict[str, Any]], None]


class ReportError(Exception):
    """A report that cannot be built, with a message for the person who asked for it."""


@dataclass
class Redactor:
    """Applies the organisation's redaction policy (or nothing, for an unredacted report)."""

    hidden: set[str] = field(default_factory=set)
    site_codes: dict[Any, str] = field(default_factory=dict)

    @classmethod
    def for_job(cls, job: ReportJob) -> Redactor:
        if not job.redacted:
            return cls()
        return cls(set(RedactionPolicy.for_organisation(job.organisation).sensitive or []))

    @property
    def active(self) -> bool:
        return bool(self.hidden)

    def hides(self, kind: str) -> bool:
        return kind in self.hidden

    def left_out(self) -> list[str]:
        """The labels of the kinds of content this report leaves out, in the policy's order."""
        return [str(choice.label) for choice in Sensitive if choice.value in self.hidden]

    @staticmethod
    def mark(what: str) -> str:
        return _("[redacted: %(what)s]") % {"what": what}

    def number_sites(self, sites: list[Any]) -> None:
        """Give every site its code (P1, P2… in the order given)."""
        self.site_codes = {site.pk: f"P{index}" for index, site in enumerate(sites, start=1)}

    def site(self, site: Any) -> str:
        if not self.hides(Sensitive.SITE_NAMES):
            return str(site.name)
        code = self.site_codes.get(site.pk, "P?")
        category = site.category.label() if getattr(site, "category", None) else ""
        return f"{code} ({category})" if category else code

    def text(self, kind: str, value: str, what: str) -> str:
        """VALUE, or the redaction mark when KIND is hidden and there was something to hide."""
        if not value:
            return ""
        return self.mark(what) if self.hides(kind) else value

    def person(self, name: str) -> str:
        return self.text(Sensitive.PEOPLE, name, _("name"))

    def plan_title(self, plan: Any) -> str:
        """A plan's title often names its place: with site names hidden it becomes "Plan of P3"."""
        if self.hides(Sensitive.SITE_NAMES):
            return _("Action plan of %(site)s") % {"site": self.site(plan.site)}
        return str(plan.title)


def marking(job: ReportJob) -> str:
    """The words printed at the top and bottom of every page."""
    classification = job.organisation.classification
    return f"{classification} — {_('REDACTED')}" if job.redacted else classification


def euros(value: float) -> str:
    """An amount in whole euros, grouped by the active language's rule (123,400 € / 123 400 €)."""
    return f"{number_format(round(value), 0, use_l10n=True, force_grouping=True)} €"
