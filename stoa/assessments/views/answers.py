"""Step 1 (site profile) and the other question sections: answered one question at a time.

Every answer is saved on its own as soon as it changes (HTMX posts on change), so nothing typed is
lost on a dropped connection. Each assessor keeps their own answer; a value of the wrong type for
its question is refused with a 400 that says what was expected, and nothing is stored.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stoa.accounts.roles import Action
from stoa.accounts.tenancy import allowed_actions, get_for_user
from stoa.assessments.answers import clean_value
from stoa.assessments.models import Answer, Assessment
from stoa.assessments.proposals import question_objects, refresh_proposals
from stoa.library.models import ReferenceObject, localised


def _labelled(raw: dict[str, Any]) -> str:
    """A {en, fr} dict (choices, guidance) in the active language."""
    class _Text:
        name = raw.get("en", "") if isinstance(raw, dict) else str(raw or "")
        translations = {k: {"name": v} for k, v in raw.items()} if isinstance(raw, dict) else {}
    return localised(_Text(), "name")


def question_context(question: ReferenceObject, answer: Any, allowed: set[str], assessment: Assessment,
                     error: str = "", status: str = "") -> dict[str, Any]:
    data = question.data
    value = answer.value if answer is not None else None
    selected = value if isinstance(value, list) else [value]
    return {
        "assessment": assessment, "question": question, "type": data.get("type"), "value": value,
        "guidance": _labelled(data.get("guidance") or {}), "error": error, "status_message": status,
        "can_answer": Action.CHANGE in allowed,
        "choices": [{"id": c.get("id"), "label": _labelled(c.get("label") or {}), "checked": c.get("id") in selected}
                    for c in data.get("choices") or []],
    }


@require_http_methods(["GET"])
def questions_page(request: HttpRequest, pk: Any, section: str) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.VIEW, pk=pk)
    sections = list(ReferenceObject.objects.filter(kind="question_section").order_by("order", "ref_id"))
    current = next((s for s in sections if s.ref_id == section), None)
    if current is None:
        raise Http404(section)
    allowed = allowed_actions(assessment, request.user)
    user: Any = request.user
    mine = {a.question: a for a in Answer.objects.filter(assessment=assessment, assessor=user)}
    questions = [question_context(q, mine.get(q.ref_id), allowed, assessment)
                 for q in question_objects(assessment) if q.data.get("section") == section]
    return render(request, "assessments/questions.html", {
        "assessment": assessment, "site": assessment.site, "allowed": allowed, "sections": sections,
        "section": current, "questions": questions, "question_sections": sections})


@require_http_methods(["POST"])
def answer_save(request: HttpRequest, pk: Any, question: str) -> HttpResponse:
    assessment = get_for_user(Assessment, request.user, Action.CHANGE, pk=pk)
    obj = next((q for q in question_objects(assessment) if q.ref_id == question), None)
    if obj is None:
        raise Http404(question)
    raw: Any = request.POST.getlist("value") if obj.data.get("type") == "multiple" else request.POST.get("value")
    allowed = allowed_actions(assessment, request.user)
    user: Any = request.user
    existing = Answer.objects.filter(assessment=assessment, question=question, assessor=user).first()
    try:
        value = clean_value(obj.data, raw, site=assessment.site)
    except ValidationError as exc:
        context = question_context(obj, existing, allowed, assessment, error=" ".join(exc.messages))
        return render(request, "assessments/partials/question.html", context, status=400)
    with transaction.atomic():
        answer, _created = Answer.objects.update_or_create(
            assessment=assessment, question=question, assessor=request.user,
            defaults={"value": value, "organisation_id": assessment.organisation_id})
        refresh_proposals(assessment)
    if not request.htmx:  # type: ignore[attr-defined]
        section = obj.data.get("section", "")
        return redirect(f"{reverse('assessments:questions', args=[assessment.pk, section])}#q-{question}")
    context = question_context(obj, answer, allowed, assessment, status=_("Saved."))
    return render(request, "assessments/partials/question.html", context)
