"""Case study API: list and read, export a bundle, import one. Same rules and services as the pages.

* ``cases/`` and ``cases/{id}/``: the caller's organisations' own and imported cases (filters
  ``category``, ``threat``, ``origin``); another organisation's case answers 404.
* ``POST cases/{id}/export/``: the bundle JSON (needs ``share``: a bundle leaves the organisation);
  a TLP:RED or imported case answers 400 with the reason.
* ``POST cases/import/``: the bundle as the JSON body, or a multipart ``file``; 201 with the case,
  or 400 with the specific reason (nothing imported). Needs ``add`` in the organisation.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ParseError, PermissionDenied
from rest_framework.parsers import BaseParser, FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from stoa.accounts.models import Organisation
from stoa.accounts.roles import Action
from stoa.accounts.tenancy import can
from stoa.api.base import OrgObjectPermission, allowed, resolve_organisation
from stoa.cases.api.serializers import CaseImportRequest, CaseStudySerializer
from stoa.cases.bundle import BundleError
from stoa.cases.filters import CaseFilter
from stoa.cases.forms import BUNDLE_KINDS
from stoa.cases.models import CaseStudy
from stoa.cases.services import export_case, import_bundle
from stoa.web.uploads import check_data_file

REFUSED = OpenApiResponse(description="refused: detail says why; nothing imported")


class RawJSONParser(BaseParser):
    """Keeps the JSON body as bytes, so the checksum is judged on exactly what was sent."""

    media_type = "application/json"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        if stream is None:
            return b""
        data = stream.read(settings.MAX_UPLOAD_BYTES + 1)  # never more than the limit in memory
        if len(data) > settings.MAX_UPLOAD_BYTES:
            raise ParseError(_("The bundle is larger than the limit of %(limit)s.")
                             % {"limit": filesizeformat(settings.MAX_UPLOAD_BYTES)})
        return data


def refusal(exc: BundleError) -> Response:
    # The API's one error shape (stoa.api.errors): errors maps what was wrong to its messages.
    return Response({"detail": str(exc), "errors": {"bundle": exc.messages}}, status=status.HTTP_400_BAD_REQUEST)


class CaseStudyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = CaseStudy.objects.select_related("category", "organisation").prefetch_related("threats")
    serializer_class = CaseStudySerializer
    filterset_class = CaseFilter
    permission_classes = [OrgObjectPermission]

    def get_queryset(self) -> Any:
        return self.queryset.for_user(self.request.user, Action.VIEW)  # type: ignore[attr-defined]

    @extend_schema(summary="The case as a bundle (TLP:RED and imported cases are refused)", request=None,
                   responses={200: OpenApiTypes.OBJECT, 400: REFUSED})
    @action(detail=True, methods=["post"])
    def export(self, request: Request, pk: Any = None) -> Response:
        case = self.get_object()
        if not allowed(request.user, Action.SHARE, case):
            raise PermissionDenied(_("Your role does not allow sending this organisation's records out."))
        try:
            return Response(export_case(case, request.user))
        except BundleError as exc:
            return refusal(exc)

    @extend_schema(summary="Import a case bundle, all or nothing",
                   request={"application/json": OpenApiTypes.OBJECT, "multipart/form-data": CaseImportRequest},
                   responses={201: CaseStudySerializer, 400: REFUSED})
    @action(detail=False, methods=["post"], url_path="import", url_name="import",
            parser_classes=[RawJSONParser, MultiPartParser, FormParser])
    def import_bundle(self, request: Request) -> Response:
        if isinstance(request.data, bytes):
            data, slug = request.data, request.query_params.get("organisation")
        else:
            upload = request.data.get("file")
            if upload is None:
                return refusal(BundleError([str(_("Send the bundle as the JSON body or as a file called “file”."))]))
            try:
                check_data_file(upload, BUNDLE_KINDS)
            except DjangoValidationError as exc:
                return refusal(BundleError(exc.messages))
            data, slug = upload.read(), request.data.get("organisation")
        chosen = None
        if slug:
            chosen = Organisation.objects.for_user(request.user, Action.VIEW).filter(slug=slug).first()
            if chosen is None:
                return refusal(BundleError([str(_("You are not a member of an organisation “%(slug)s”.") % {
                    "slug": slug})]))
        organisation = resolve_organisation(request, chosen)
        if not can(request.user, Action.ADD, organisation):
            raise PermissionDenied(_("Your role does not allow adding records for this organisation."))
        try:
            case = import_bundle(organisation, data, request.user)
        except BundleError as exc:
            return refusal(exc)
        return Response(CaseStudySerializer(case, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

