"""Read-only API for content libraries: ``/api/v1/libraries/`` and ``/api/v1/reference-objects/``.

Libraries are reference content shared by every organisation, not organisation data, so these
viewsets deliberately do not derive from ``OrgScopedViewSet``: any authenticated caller may read
them, and nobody can change them through the API (the operator loads them with the CLI).
"""

from __future__ import annotations

import django_filters
from django.db.models import Count, QuerySet
from rest_framework import permissions, serializers, viewsets
from rest_framework.routers import SimpleRouter

from stoa.library.models import Library, ReferenceObject
from stoa.library.schema import KINDS


class LibrarySerializer(serializers.ModelSerializer):
    object_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Library
        fields = ["id", "urn", "version", "locale", "provider", "name", "description", "translations",
                  "sources", "publication_date", "sha256", "loaded_at", "object_count"]


class ReferenceObjectSerializer(serializers.ModelSerializer):
    library: serializers.SlugRelatedField[Library] = serializers.SlugRelatedField(slug_field="urn", read_only=True)

    class Meta:
        model = ReferenceObject
        fields = ["id", "urn", "kind", "ref_id", "order", "name", "description", "translations", "data",
                  "library"]


class ReferenceObjectFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=[(kind, kind) for kind in KINDS])
    ref_id = django_filters.CharFilter()
    library = django_filters.CharFilter(field_name="library__urn", label="library URN")

    class Meta:
        model = ReferenceObject
        fields = ["kind", "ref_id", "library"]


class ReadOnlyReferenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Any authenticated caller (session or token; DRF checks it, and DRF views are exempt from
    Django's login middleware) may read; nothing can be written through the API."""

    permission_classes = [permissions.IsAuthenticated]


class LibraryViewSet(ReadOnlyReferenceViewSet):
    serializer_class = LibrarySerializer

    def get_queryset(self) -> QuerySet[Library]:
        return Library.objects.annotate(object_count=Count("objects_set")).order_by("urn")


class ReferenceObjectViewSet(ReadOnlyReferenceViewSet):
    serializer_class = ReferenceObjectSerializer
    filterset_class = ReferenceObjectFilter
    queryset = ReferenceObject.objects.select_related("library")


router = SimpleRouter()
router.register("libraries", LibraryViewSet, basename="library")
router.register("reference-objects", ReferenceObjectViewSet, basename="reference-object")
urlpatterns = router.urls
