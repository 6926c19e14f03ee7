"""The merge view: where assessors disagree, and the lead settling each such question.

Anyone who may see the assessment sees the comparison; only the team lead (or, when none is named,
whoever may change the assessment) settles, and only while the assessment is a draft.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import allowed_actions, get_for_user
from stoa.assessments import merge
from stoa.assessments.models import Assessment
from stoa.assessments.views import nav_context
from stoa.assessments.views.answers import _labelled
from stoa.assessments.workflow import may_lead


def shown(question: Any, value: Any) -> str:
    """An answer in words: choice labels for choice questions, the value itself otherwise."""
    if value is None:
        return "—"
    labels = {c.get("id"): _labelled(c.get("label") or {}) for c in question.data.get("choices") or []}
    if isinstance(value, list):
        return ", ".join(labels.get(v, str(v)) for v in value)
    return labels.get(value, str(value))


def _row(row: merge.QuestionAnswers, errors: dict[str, str], posted: dict[str, Any]) -> dict[str, Any]:
    question = row.question
    settled = row.settled
    current = posted.get("value", settled.value if settled else None)
    selected = current if isinstance(current, list) else [current]
    return {
        "question": question, "type": question.data.get("type"),
        "given": [{"name": g.name, "text": shown(question, g.value)} for g in row.given],
        "settled": settled, "settled_text": shown(question, settled.value) if settled else "",
        "used_text": shown(question, row.used), "value": current if not isinstance(current, list) else "",
        "note": posted.get("note", settled.note if settled else ""),
        "choices": [{"id": c.get("id"), "label": _labelled(c.get("label") or {}), "checked": c.get("id") in selected}
                    for c in question.data.get("choices") or []],
        "error": errors.get(question.ref_id, ""),
    }


def _page(request: HttpRequest, assessment: Assessment, errors: dict[str, str] | None = None,
          posted: dict[str, dict[str, Any]] | None = None, status: int = 200) -> HttpResponse:
    errors, posted = errors or {}, posted or {}
    rows = merge.disagreements(assessment)
    allowed = allowed_actions(assessment, request.user)
    return render(request, "assessments/merge.html", {
        "assessment": assessment, "site": assessment.site, "allowed": allowed,
        "rows": [_row(r, errors, posted.get(r.question.ref_id, {})) for r in rows],
        "can_settle": assessment.is_editable and may_lead(assessment, request.user),
        "answered_count": sum(1 for r in merge.answers_by_question(assessment) if r.given),
        **nav_context()}, status=status)


@require_http_methods(["GET"])
def merge_page(request: HttpRequest, pk: Any) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.VIEW, pk=pk)
    return _page(request, assessment)


@require_http_methods(["POST"])
def settle(request: HttpRequest, pk: Any, question: str) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.CHANGE, pk=pk)
    obj = next((r.question for r in merge.answers_by_question(assessment) if r.question.ref_id == question), None)
    if obj is None:
        raise Http404(question)
    raw: Any = request.POST.getlist("value") if obj.data.get("type") == "multiple" else request.POST.get("value")
    note = request.POST.get("note", "")
    try:
        merge.settle(assessment, question, raw, request.user, note)
    except ValidationError as exc:
        return _page(request, assessment, errors={question: " ".join(exc.messages)},
                     posted={question: {"value": raw, "note": note}}, status=400)
    messages.success(request, _("The team's answer to %(id)s is settled.") % {"id": question})
    return redirect(f"{reverse('assessments:merge', args=[assessment.pk])}#m-{question}")
