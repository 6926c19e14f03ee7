"""What every evaluation page shares: loading with need-to-know, the frozen rule, the step bar."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import allowed_actions, get_for_user
from stoa.evaluation.models import Evaluation


def load(request: HttpRequest, pk: Any, action: str = Action.VIEW) -> Evaluation:
    return get_for_user(Evaluation, request.user, action, pk=pk)


def frozen_response(request: HttpRequest, evaluation: Evaluation) -> HttpResponse:
    """409: a frozen evaluation is a decision record; it is read, never changed."""
    return render(request, "evaluation/frozen.html", {"evaluation": evaluation, **context(request, evaluation)},
                  status=409)


def context(request: HttpRequest, evaluation: Evaluation, step: str = "") -> dict[str, Any]:
    return {"evaluation": evaluation, "assessment": evaluation.assessment, "site": evaluation.assessment.site,
            "allowed": allowed_actions(evaluation, request.user), "step": step,
            "rfi": getattr(evaluation, "rfi", None) if hasattr(evaluation, "rfi") else None,
            "frozen_note": _("Frozen: this evaluation is the record of a decision.") if evaluation.is_frozen else ""}
