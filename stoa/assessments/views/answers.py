"""Step 1 (site profile) and the other question sections: answered one question at a time.

Every answer is saved on its own as soon as it changes (HTMX posts on change), so nothing typed is
lost on a dropped connection. Each assessor keeps their own answer; a value of the wrong type for
its question is refused with a 400 that says what was expected, and nothing is stored.

A question that depends on an earlier answer (``depends_on``: a parent question and the choices
that open it) is hidden while the assessor's own answer to the parent does not open it, and shown
again as soon as it does: the response to the parent's answer carries the dependent questions of
the same page whose visibility changed, as HTMX out-of-band swaps. A hidden question's stored
answer is kept but not used (the rating rule ignores questions whose condition is unmet).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
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


def _selected(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {v for v in value if isinstance(v, str)}
    return set()


def applies(question: ReferenceObject, by_ref: dict[str, ReferenceObject], answers: dict[str, Any],
            seen: frozenset[str] = frozenset()) -> bool:
    """Is QUESTION asked, given ANSWERS (ref_id → value)? Unmet up the chain, an unknown parent or a
    cycle: not asked (the same rule as ``stoa.core.assessment.rating``)."""
    condition = question.data.get("depends_on")
    if not condition:
        return True
    parent = by_ref.get(condition.get("question", ""))
    if parent is None or question.ref_id in seen:
        return False
    if not applies(parent, by_ref, answers, seen | {question.ref_id}):
        return False
    return bool(_selected(answers.get(parent.ref_id)) & set(condition.get("any_of") or []))


def question_context(question: ReferenceObject, answer: Any, allowed: set[str], assessment: Assessment,
                     error: str = "", status: str = "", applicable: bool = True, oob: bool = False) -> dict[str, Any]:
    data = question.data
    value = answer.value if answer is not None else None
    selected = value if isinstance(value, list) else [value]
    return {
        "assessment": assessment, "question": question, "type": data.get("type"), "value": value,
        "guidance": _labelled(data.get("guidance") or {}), "error": error, "status_message": status,
        "can_answer": Action.CHANGE in allowed and assessment.is_editable,
        "applicable": applicable, "oob": oob,
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
    asked = question_objects(assessment)
    by_ref = {q.ref_id: q for q in asked}
    values = {ref: a.value for ref, a in mine.items()}
    questions = [question_context(q, mine.get(q.ref_id), allowed, assessment,
                                  applicable=applies(q, by_ref, values))
                 for q in asked if q.data.get("section") == section]
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
    mine = {a.question: a for a in Answer.objects.filter(assessment=assessment, assessor=user)}
    existing = mine.get(question)
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
    html = render_to_string("assessments/partials/question.html", context, request=request)
    return HttpResponse(html + _dependents_html(request, assessment, obj, mine, answer, allowed))


def _dependents_html(request: HttpRequest, assessment: Assessment, changed: ReferenceObject,
                     before: dict[str, Answer], answer: Answer, allowed: set[str]) -> str:
    """Out-of-band swaps for the questions on the same page whose visibility CHANGED's answer flipped."""
    asked = question_objects(assessment)
    by_ref = {q.ref_id: q for q in asked}
    old_values = {ref: a.value for ref, a in before.items()}
    new_values = {**old_values, changed.ref_id: answer.value}
    parts = []
    for q in asked:
        if q.data.get("section") != changed.data.get("section") or not q.data.get("depends_on"):
            continue
        now = applies(q, by_ref, new_values)
        if now != applies(q, by_ref, old_values):
            context = question_context(q, before.get(q.ref_id), allowed, assessment, applicable=now, oob=True)
            parts.append(render_to_string("assessments/partials/question.html", context, request=request))
    return "".join(parts)
