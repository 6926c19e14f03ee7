"""API for field use: an assessment's XLSForm, and importing ODK Central / KoboToolbox submissions.

``GET /api/v1/assessments/{id}/xlsform/`` needs to see the assessment; ``POST
/api/v1/assessments/{id}/submissions/`` (multipart: ``file``, optional ``assessor``) changes its
answers, so it needs ``change`` on it: the same rules and the same code as the field use page.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from stoa.accounts.roles import Action
from stoa.api.base import OrgScopedViewSet, allowed
from stoa.assessments.api import serializers as s
from stoa.assessments.field.forms import SUBMISSION_KINDS, assessor_choices
from stoa.assessments.field.submissions import AssessmentNotEditable, SubmissionRejected, import_submissions
from stoa.assessments.field.xlsform import CONTENT_TYPE, build_xlsform, filename
from stoa.assessments.models import Assessment
from stoa.web.uploads import check_data_file


class SubmissionImportRequest(serializers.Serializer):
    file = serializers.FileField(help_text=_("The CSV or JSON export of the submissions (ODK Central, KoboToolbox)."))
    assessor = serializers.CharField(required=False, help_text=_(
        "Id of the user whose answers these are: the caller (default) or a team member with a Stoa account."))


class SubmissionProblem(serializers.Serializer):
    location = serializers.CharField(help_text=_("e.g. submission 2 (uuid:…), file"))
    field = serializers.CharField(help_text=_("the question or column"))
    message = serializers.CharField()


SubmissionRefusal = inline_serializer("SubmissionRefusal", fields={
    "detail": serializers.CharField(), "problems": SubmissionProblem(many=True)})
SubmissionImportResult = inline_serializer("SubmissionImportResult", fields={
    "submissions": serializers.IntegerField(), "answers": serializers.DictField(),
    "assessor": serializers.CharField(), "photos_skipped": serializers.ListField(child=serializers.CharField())})
UNSEEN = OpenApiResponse(description="no such assessment (or not visible to you)")


class AssessmentFieldViewSet(OrgScopedViewSet):
    """Two actions on one assessment; the list and detail routes belong to ``AssessmentViewSet``."""

    queryset = Assessment.objects.select_related("site")
    serializer_class = s.AssessmentSerializer

    @extend_schema(summary="Download the assessment's questions as an XLSForm (.xlsx)",
                   responses={(200, CONTENT_TYPE): OpenApiTypes.BINARY, 404: UNSEEN})
    def xlsform(self, request: Request, pk: Any = None) -> HttpResponse:
        assessment = self.get_object()
        response = HttpResponse(build_xlsform(assessment), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename(assessment)}"'
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(
        summary="Import ODK Central / KoboToolbox submissions into the assessment, all or nothing",
        request={"multipart/form-data": SubmissionImportRequest},
        responses={201: SubmissionImportResult,
                   400: OpenApiResponse(SubmissionRefusal, description="the file was refused; nothing was written"),
                   403: OpenApiResponse(description="your role or the share does not allow changing it"),
                   404: UNSEEN, 409: OpenApiResponse(SubmissionRefusal, description="the assessment is not a draft")})
    def submissions(self, request: Request, pk: Any = None) -> Response:
        # Not get_object(): its check is the HTTP method's (POST = add), importing answers is a change.
        assessment = self.get_queryset().filter(pk=pk).first()
        if assessment is None:
            raise NotFound()
        if not allowed(request.user, Action.CHANGE, assessment):
            raise PermissionDenied(_("Your role or this share does not allow changing this assessment."))
        form = SubmissionImportRequest(data=request.data)
        form.is_valid(raise_exception=True)
        choices = {str(u.pk): u for u in assessor_choices(assessment, request.user)}
        chosen = form.validated_data.get("assessor") or str(request.user.pk)
        if chosen not in choices:
            raise serializers.ValidationError({"assessor": [_(
                "Choose yourself or a team member of this assessment who has a Stoa account.")]})
        upload = form.validated_data["file"]
        try:
            check_data_file(upload, SUBMISSION_KINDS)
        except DjangoValidationError as exc:
            return Response({"detail": _("The file was refused; nothing was imported."),
                             "problems": [{"location": _("file"), "field": "file", "message": message}
                                          for message in exc.messages]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            result = import_submissions(assessment, upload.read(), upload.name, choices[chosen], user=request.user)
        except SubmissionRejected as rejected:
            locked = isinstance(rejected, AssessmentNotEditable)
            code = status.HTTP_409_CONFLICT if locked else status.HTTP_400_BAD_REQUEST
            return Response({
                "detail": _("The file was refused; nothing was imported. Fix these problems and try again."),
                "problems": [{"location": p.location, "field": p.field, "message": p.message}
                             for p in rejected.problems]}, status=code)
        return Response({"submissions": result.submissions, "answers": result.answers, "assessor": chosen,
                         "photos_skipped": result.photos_skipped}, status=status.HTTP_201_CREATED)


xlsform_view = AssessmentFieldViewSet.as_view({"get": "xlsform"})
submissions_view = AssessmentFieldViewSet.as_view(
    {"post": "submissions"}, parser_classes=[MultiPartParser, FormParser])
