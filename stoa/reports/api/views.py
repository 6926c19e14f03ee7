"""Reports API: start a report (202 with the job), poll its progress, download the file."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from stoa.api.base import OrgScopedViewSet, resolve_organisation
from stoa.audit.actor import acting_as
from stoa.reports.api.serializers import ReportJobSerializer
from stoa.reports.models import ReportJob
from stoa.reports.services import request_report
from stoa.reports.views import CONTENT_TYPES, serve_report


class ReportJobViewSet(OrgScopedViewSet):
    """Report jobs of your organisations. POST starts one and answers 202; GET follows it."""

    queryset = ReportJob.objects.select_related("organisation")
    serializer_class = ReportJobSerializer
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(responses={202: ReportJobSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = resolve_organisation(request, data.get("organisation"))
        try:
            with acting_as(request.user):
                job = request_report(request.user, organisation, kind=data["kind"], fmt=data.get("format"),
                                     redacted=data.get("redacted", False), plan=data.get("plan"),
                                     language=get_language())
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) \
                from exc
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, media_type): OpenApiTypes.BINARY for media_type in CONTENT_TYPES.values()})
    @action(detail=True, methods=["get"], filter_backends=[])
    def download(self, request: Request, pk: Any = None) -> FileResponse:
        try:
            return serve_report(self.get_object())
        except Http404 as exc:
            raise NotFound(str(exc)) from exc
