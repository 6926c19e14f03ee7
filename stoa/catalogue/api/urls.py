"""Catalogue API routes. Measure keys are URNs or ``local:<uuid>``, so the key segment allows ':'."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from stoa.catalogue.api import views

router = SimpleRouter()
router.register("catalogue/measures", views.CatalogueViewSet, basename="catalogue-measure")
router.register("local-measures", views.LocalMeasureViewSet, basename="local-measure")
router.register("whatif-options", views.WhatIfOptionViewSet, basename="whatif-option")
urlpatterns = router.urls
urlpatterns += [  # the gap analysis of one assessment: stoa/catalogue/api/views.py
    path("assessments/<uuid:pk>/recommendations/", views.recommendations_view, name="assessment-recommendations"),
]
