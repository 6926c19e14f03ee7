"""Case study pages."""

from django.urls import path

from stoa.cases.views import authoring, benchmark, bundles, library

app_name = "cases"
urlpatterns = [
    path("", library.case_list, name="list"),
    path("new/", authoring.case_create, name="create"),
    path("import/", bundles.case_import, name="import"),
    path("benchmark/<uuid:pk>/", benchmark.site_benchmark, name="benchmark"),
    path("<uuid:pk>/", library.case_detail, name="detail"),
    path("<uuid:pk>/edit/", authoring.case_edit, name="edit"),
    path("<uuid:pk>/delete/", library.case_delete, name="delete"),
    path("<uuid:pk>/export/", bundles.case_export, name="export"),
]
