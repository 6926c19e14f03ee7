"""Template tags that let other pages show workflow facts without their views knowing about them:
the workflow panel on an assessment's overview, and the trend table on a public space's page."""

from __future__ import annotations

from typing import Any

from django import template

from stoa.accounts.roles import Action
from stoa.assessments.models import Assessment, Status
from stoa.assessments.trend import site_trend

register = template.Library()


@register.inclusion_tag("assessments/partials/workflow_panel.html", takes_context=True)
def workflow_panel(context: template.Context, assessment: Assessment) -> dict[str, Any]:
    from stoa.assessments.merge import disagreements
    from stoa.assessments.workflow import may, may_lead, open_reassessment, readiness

    request = context.get("request")
    user = getattr(request, "user", None)
    draft = assessment.status == Status.DRAFT
    disagreeing = disagreements(assessment)
    approver = assessment.status == Status.SUBMITTED and may(user, Action.APPROVE, assessment)
    return {
        "request": request, "csrf_token": context.get("csrf_token"), "assessment": assessment,
        "problems": context.get("workflow_problems") or [],
        "readiness": readiness(assessment) if draft else [],
        "can_submit": draft and may_lead(assessment, user),
        "is_lead": may_lead(assessment, user),
        "can_approve": approver and assessment.submitted_by_id != getattr(user, "pk", None),
        "own_submission": approver and assessment.submitted_by_id == getattr(user, "pk", None),
        "can_reassess": assessment.status == Status.SIGNED_OFF and may(user, Action.CHANGE, assessment.site),
        "open_reassessment": open_reassessment(assessment) if assessment.status == Status.SIGNED_OFF else None,
        "disagreement_count": len(disagreeing),
        "unsettled_count": sum(1 for d in disagreeing if d.settled is None),
        "send_back_reason": context.get("send_back_reason", ""),
    }


@register.inclusion_tag("assessments/partials/trend.html", takes_context=True)
def assessment_trend(context: template.Context, site: Any) -> dict[str, Any]:
    request = context.get("request")
    return {"site": site, "trend": site_trend(site, getattr(request, "user", None))}
