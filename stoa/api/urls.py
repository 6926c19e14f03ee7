from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from stoa.api.auth import ApiTokenViewSet, ObtainTokenView

tokens = SimpleRouter()
tokens.register("auth/tokens", ApiTokenViewSet, basename="api-tokens")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("", include(tokens.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include("stoa.sites.api.urls")),
    path("", include("stoa.assessments.api.urls")),
    path("", include("stoa.library.api")),
    path("", include("stoa.catalogue.api.urls")),
    path("", include("stoa.evaluation.api.urls")),
    path("", include("stoa.procurement.api.urls")),
    path("", include("stoa.plans.api.urls")),
    path("", include("stoa.plans.api_optimiser")),
    path("", include("stoa.reports.api.urls")),
    path("", include("stoa.cases.api.urls")),
]
