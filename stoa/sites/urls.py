"""Site pages. Part routes carry the kind (zones, access-points, crowd, events) in the path."""

from django.urls import path, register_converter

from stoa.sites.views import attachments, mapfeed, parts, shares, sites, transfer


class PartKindConverter:
    regex = "|".join(parts.PARTS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PartKindConverter, "partkind")

app_name = "sites"
urlpatterns = [
    path("", sites.SiteListView.as_view(), name="list"),
    path("map.geojson", mapfeed.map_data, name="map-data"),
    path("new/", sites.SiteCreateView.as_view(), name="create"),
    path("import/", transfer.import_export, name="import"),
    path("export/<str:fmt>/", transfer.export, name="export"),
    path("<uuid:pk>/", sites.SiteDetailView.as_view(), name="detail"),
    path("<uuid:pk>/edit/", sites.SiteUpdateView.as_view(), name="edit"),
    path("<uuid:pk>/delete/", sites.SiteDeleteView.as_view(), name="delete"),
    path("<uuid:site_pk>/<partkind:kind>/", parts.part_section, name="part-section"),
    path("<uuid:site_pk>/<partkind:kind>/add/", parts.part_add, name="part-add"),
    path("<partkind:kind>/<uuid:pk>/edit/", parts.part_edit, name="part-edit"),
    path("<partkind:kind>/<uuid:pk>/delete/", parts.part_delete, name="part-delete"),
    path("<uuid:site_pk>/attachments/add/", attachments.attachment_add, name="attachment-add"),
    path("attachments/<uuid:pk>/", attachments.attachment_download, name="attachment-download"),
    path("attachments/<uuid:pk>/delete/", attachments.attachment_delete, name="attachment-delete"),
    path("<uuid:site_pk>/shares/add/", shares.share_add, name="share-add"),
    path("<uuid:site_pk>/shares/<int:share_pk>/remove/", shares.share_remove, name="share-remove"),
]
