"""API viewsets for public spaces and what hangs off them. Access rules live in ``OrgScopedViewSet``."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.http import FileResponse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from stoa.accounts.models import Organisation
from stoa.accounts.roles import Action
from stoa.api.base import CallersOrganisationField, OrgScopedViewSet, resolve_organisation
from stoa.core.files import EXTENSIONS
from stoa.sites.api import filters
from stoa.sites.api import serializers as s
from stoa.sites.api.renderers import CSVRenderer, FileRenderer, GeoJSONRenderer
from stoa.sites.formfields import ACCEPTED_TYPES
from stoa.sites.models import AccessPoint, Attachment, CrowdSlot, Site, SiteEvent, SiteShare, Zone
from stoa.sites.services.exports import classification_of, export_csv, export_geojson
from stoa.sites.services.imports import ImportRejected, check_size, import_sites, refuse_unless_data

EXPORT_FORMATS = ("geojson", "csv")
# Every media type a site attachment can be stored as (and so be served as).
ATTACHABLE_TYPES = frozenset().union(*ACCEPTED_TYPES.values())


class SiteImportRequest(serializers.Serializer):
    file = serializers.FileField(help_text=_("GeoJSON FeatureCollection or CSV, UTF-8."))
    organisation = CallersOrganisationField(
        required=False,
        help_text=_("Short name of the organisation to import into; needed if you belong to several."))


class ImportedSite(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class SiteImportResult(serializers.Serializer):
    created = serializers.IntegerField()
    sites = ImportedSite(many=True)


class ImportProblem(serializers.Serializer):
    location = serializers.CharField(help_text=_("e.g. feature 3, row 5, file"))
    field = serializers.CharField()
    message = serializers.CharField()


# Built inline: a field called "errors" cannot be declared on a Serializer class (it has .errors).
SiteImportRefusal = inline_serializer("SiteImportRefusal", fields={
    "detail": serializers.CharField(),
    "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
    "problems": ImportProblem(many=True),
})


class SiteViewSet(OrgScopedViewSet):
    """Public spaces of interest the caller may see: their own organisations' and those shared with them."""

    queryset = Site.objects.select_related("category", "organisation")
    serializer_class = s.SiteSerializer
    filterset_class = filters.SiteFilter

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        fmt = request.query_params.get("format")
        if self.action == "export" and not force and fmt and fmt not in EXPORT_FORMATS:
            raise ValidationError({"format": [_("Choose geojson or csv.")]})
        return super().perform_content_negotiation(request, force)

    @extend_schema(
        summary="Download the sites as GeoJSON or CSV",
        parameters=[OpenApiParameter("format", str, enum=list(EXPORT_FORMATS), description="geojson (default) or csv")],
        responses={(200, "application/geo+json"): OpenApiTypes.OBJECT, (200, "text/csv"): OpenApiTypes.STR},
    )
    @action(detail=False, methods=["get"], renderer_classes=[GeoJSONRenderer, CSVRenderer], pagination_class=None)
    def export(self, request: Request) -> Response:
        sites = self.filter_queryset(self.get_queryset())
        fmt = request.accepted_renderer.format  # type: ignore[union-attr]
        data: Any = export_csv(sites) if fmt == "csv" else export_geojson(sites)
        response = Response(data)
        response["Content-Disposition"] = f'attachment; filename="stoa-sites-{datetime.date.today():%Y%m%d}.{fmt}"'
        response["Cache-Control"] = "private, no-store"
        classification = classification_of(sites)
        if classification:
            response["X-Classification"] = classification
        return response

    @extend_schema(
        summary="Import sites from a GeoJSON or CSV file, all or nothing",
        request={"multipart/form-data": SiteImportRequest},
        responses={201: SiteImportResult, 400: OpenApiResponse(SiteImportRefusal, description="the file was refused "
                                                                "as a whole; nothing was written")},
    )
    @action(detail=False, methods=["post"], url_path="import", url_name="import",
            parser_classes=[MultiPartParser, FormParser], serializer_class=SiteImportRequest)
    def import_file(self, request: Request) -> Response:
        form = SiteImportRequest(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        organisation: Organisation = resolve_organisation(request, form.validated_data.get("organisation"))
        self.check_can_add(organisation)
        upload = form.validated_data["file"]
        try:
            check_size(upload.size)
            refuse_unless_data(upload)
            result = import_sites(organisation, upload.read(), upload.name, user=request.user)
        except ImportRejected as rejected:
            return Response({
                "detail": _("The file was refused; nothing was imported. Fix these problems and try again."),
                "errors": {"file": [str(p) for p in rejected.problems]},
                "problems": [{"location": p.location, "field": p.field, "message": p.message}
                             for p in rejected.problems],
            }, status=status.HTTP_400_BAD_REQUEST)
        return Response({"created": result.count, "sites": [{"id": site.pk, "name": site.name}
                                                            for site in result.created]},
                        status=status.HTTP_201_CREATED)


class SitePartViewSet(OrgScopedViewSet):
    """Something that hangs off a site: creating one needs the right to change that site."""

    parent_field = "site"


class ZoneViewSet(SitePartViewSet):
    queryset = Zone.objects.select_related("site")
    serializer_class = s.ZoneSerializer
    filterset_class = filters.ZoneFilter


class AccessPointViewSet(SitePartViewSet):
    queryset = AccessPoint.objects.select_related("site")
    serializer_class = s.AccessPointSerializer
    filterset_class = filters.AccessPointFilter


class CrowdSlotViewSet(SitePartViewSet):
    queryset = CrowdSlot.objects.select_related("site")
    serializer_class = s.CrowdSlotSerializer
    filterset_class = filters.CrowdSlotFilter


class SiteEventViewSet(SitePartViewSet):
    queryset = SiteEvent.objects.select_related("site")
    serializer_class = s.SiteEventSerializer
    filterset_class = filters.SiteEventFilter


@extend_schema_view(create=extend_schema(request={"multipart/form-data": s.AttachmentSerializer}))
class AttachmentViewSet(SitePartViewSet):
    """Photos and plans. The file is served only through ``download``, after the same access check."""

    queryset = Attachment.objects.select_related("site", "uploaded_by")
    serializer_class = s.AttachmentSerializer
    filterset_class = filters.AttachmentFilter
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def extra_save_kwargs(self) -> dict[str, Any]:
        return {"uploaded_by": self.request.user}

    def perform_destroy(self, instance: Attachment) -> None:
        stored = instance.file.name
        storage = instance.file.storage
        super().perform_destroy(instance)
        transaction.on_commit(lambda: storage.delete(stored))

    @extend_schema(summary="Download the attached file",
                   responses={(200, media_type): OpenApiTypes.BINARY for media_type in sorted(ATTACHABLE_TYPES)})
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, FileRenderer])
    def download(self, request: Request, pk: Any = None) -> FileResponse:
        attachment = self.get_object()
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise NotFound(_("The stored file is missing; ask an administrator.")) from exc
        extension = EXTENSIONS.get(attachment.content_type, "bin")
        response = FileResponse(handle, as_attachment=True, content_type=attachment.content_type,
                                filename=f"{slugify(attachment.title) or 'attachment'}.{extension}")
        response["Cache-Control"] = "private, no-store"
        return response


class SiteShareViewSet(OrgScopedViewSet):
    """Shares the caller's organisations made or received. Making, changing or withdrawing one
    needs the right to share the site (the owning organisation's administrators and officers)."""

    queryset = SiteShare.objects.select_related("site", "organisation", "shared_by")
    serializer_class = s.SiteShareSerializer
    filterset_class = filters.SiteShareFilter
    parent_field = "site"
    parent_action = Action.SHARE

    def extra_save_kwargs(self) -> dict[str, Any]:
        return {"shared_by": self.request.user}


class OrganisationViewSet(OrgScopedViewSet):
    """The organisations the caller belongs to, with their role in each. Read only."""

    queryset = Organisation.objects.select_related("parent")
    serializer_class = s.OrganisationSerializer
    lookup_field = "slug"
    http_method_names = ["get", "head", "options"]
