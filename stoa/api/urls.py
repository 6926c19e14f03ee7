from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from stoa.api.auth import ObtainTokenView

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
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
