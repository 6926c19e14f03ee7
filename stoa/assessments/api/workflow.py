"""API for the workflow and for settled answers: the same rules and code as the pages.

``POST /api/v1/assessments/{id}/submit/``, ``/sign-off/``, ``/send-back/`` (``{"reason": ...}``) and
``/reassess/`` run ``stoa.assessments.workflow``; ``/api/v1/settled-answers/`` lists, creates and
changes the lead's settled answers through ``stoa.assessments.merge.settle``. Outcomes: 404 for an
assessment the caller may not see, 403 for a step their role (or the four-eyes rule, or not being
the lead) does not allow, 400 when something is missing, 409 when the status does not fit or the
assessment is locked.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from stoa.accounts.roles import Action
from stoa.api.base import OrgScopedViewSet, allowed
from stoa.assessments import merge, workflow
from stoa.assessments.api.serializers import VisibleAssessmentField
from stoa.assessments.api.views import _filter
from stoa.assessments.models import Assessment, SettledAnswer


class WorkflowStateSerializer(serializers.ModelSerializer):
    """Where an assessment stands in its workflow."""

    class Meta:
        model = Assessment
        fields = ["id", "site", "date", "status", "lead", "submitted_at", "submitted_by", "signed_off_at",
                  "signed_off_by", "returned_reason", "previous"]
        read_only_fields = fields


class SendBackRequest(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text=_("What the team should change."))


_REFUSALS = {400: OpenApiResponse(description="not ready: errors.non_field_errors says what is missing"),
             403: OpenApiResponse(description="your role, the four-eyes rule or the team lead rule forbids it"),
             404: OpenApiResponse(description="no such assessment (or not visible to you)"),
             409: OpenApiResponse(description="the assessment's status does not allow this step")}


class AssessmentWorkflowViewSet(OrgScopedViewSet):
    """Workflow steps on one assessment; its list and detail routes belong to ``AssessmentViewSet``."""

    queryset = Assessment.objects.select_related("site")
    serializer_class = WorkflowStateSerializer

    def _assessment(self, pk: Any, action: str) -> Assessment:
        assessment = self.get_queryset().filter(pk=pk).first()
        if assessment is None:
            raise NotFound()
        if not allowed(self.request.user, action, assessment):
            raise PermissionDenied(_("Your role or this share does not allow this step."))
        return assessment

    def _run(self, step: Any, *args: Any, created: bool = False) -> Response:
        try:
            result = step(*args)
        except workflow.NotReady as exc:
            return Response({"detail": " ".join(exc.problems), "errors": {"non_field_errors": exc.problems}},
                            status=status.HTTP_400_BAD_REQUEST)
        except workflow.WrongStatus as exc:
            return Response({"detail": " ".join(exc.problems)}, status=status.HTTP_409_CONFLICT)
        return Response(WorkflowStateSerializer(result).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(summary="Submit a complete draft for sign-off (the team lead)", request=None,
                   responses={200: WorkflowStateSerializer, **_REFUSALS})
    def submit(self, request: Request, pk: Any = None) -> Response:
        return self._run(workflow.submit, self._assessment(pk, Action.CHANGE), request.user)

    @extend_schema(summary="Sign off a submitted assessment (approvers; never the submitter)", request=None,
                   responses={200: WorkflowStateSerializer, **_REFUSALS})
    def sign_off(self, request: Request, pk: Any = None) -> Response:
        return self._run(workflow.sign_off, self._assessment(pk, Action.APPROVE), request.user)

    @extend_schema(summary="Send a submitted assessment back to the team, with a reason", request=SendBackRequest,
                   responses={200: WorkflowStateSerializer, **_REFUSALS})
    def send_back(self, request: Request, pk: Any = None) -> Response:
        assessment = self._assessment(pk, Action.APPROVE)
        body = SendBackRequest(data=request.data)
        body.is_valid(raise_exception=True)
        return self._run(workflow.send_back, assessment, request.user, body.validated_data["reason"])

    @extend_schema(summary="Start a re-assessment as a copy of a signed-off assessment", request=None,
                   responses={201: WorkflowStateSerializer, **_REFUSALS})
    def reassess(self, request: Request, pk: Any = None) -> Response:
        assessment = self._assessment(pk, Action.VIEW)  # the site's change right is checked by the step
        return self._run(workflow.reassess, assessment, request.user, created=True)


class SettledAnswerSerializer(serializers.ModelSerializer):
    """The team's answer to one question, settled by the lead; checked like any answer."""

    assessment = VisibleAssessmentField()
    value = serializers.JSONField(help_text=_(
        "A choice id (single, yes/no), a list of choice ids (multiple), a number, a text, or the id of a "
        "photo attached to the site."))

    class Meta:
        model = SettledAnswer
        fields = ["id", "created_at", "updated_at", "assessment", "question", "value", "note", "settled_by"]
        read_only_fields = ["settled_by"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["assessment"] = serializers.PrimaryKeyRelatedField(read_only=True)
            fields["question"].read_only = True
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and SettledAnswer.objects.filter(
                assessment=attrs["assessment"], question=attrs.get("question")).exists():
            raise serializers.ValidationError({"question": [
                _("This question is already settled; change that settled answer instead.")]})
        return attrs


class SettledAnswerViewSet(OrgScopedViewSet):
    """Settled answers: everyone who sees the assessment reads them; only its team lead (or, with no
    lead named, whoever may change it) settles, and only while it is a draft."""

    queryset = SettledAnswer.objects.select_related("assessment", "settled_by")
    serializer_class = SettledAnswerSerializer
    filterset_class = _filter(SettledAnswer, "assessment", _("Assessment"))
    parent_field = "assessment"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        self.check_parent(data["assessment"])
        serializer.instance = merge.settle(data["assessment"], data["question"], data.get("value"),
                                           self.request.user, data.get("note", ""))

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        instance: SettledAnswer = serializer.instance  # type: ignore[assignment]
        data = serializer.validated_data
        serializer.instance = merge.settle(instance.assessment, instance.question, data.get("value", instance.value),
                                           self.request.user, data.get("note", instance.note))
