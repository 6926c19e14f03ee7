"""Catalogue pages. Measure keys are URNs or ``local:<uuid>``, so they travel as a path segment."""

from django.urls import path

from stoa.catalogue.views import browse, gaps, local, whatif

app_name = "catalogue"
urlpatterns = [
    path("", browse.catalogue_page, name="list"),
    path("compare/", browse.compare_page, name="compare"),
    path("measure/<str:key>/", browse.measure_page, name="measure"),
    path("local/new/", local.local_create, name="local-create"),
    path("local/<uuid:pk>/edit/", local.local_edit, name="local-edit"),
    path("local/<uuid:pk>/delete/", local.local_delete, name="local-delete"),
    path("assessment/<uuid:pk>/gaps/", gaps.gaps_page, name="gaps"),
    path("assessment/<uuid:pk>/whatif/", whatif.options_page, name="whatifs"),
    path("assessment/<uuid:pk>/whatif/new/", whatif.option_create, name="whatif-create"),
    path("whatif/<uuid:pk>/", whatif.option_page, name="whatif"),
    path("whatif/<uuid:pk>/edit/", whatif.option_edit, name="whatif-edit"),
    path("whatif/<uuid:pk>/delete/", whatif.option_delete, name="whatif-delete"),
]
