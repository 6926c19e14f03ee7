"""Action-plan API routes: ``plans/``, its items under ``plans/{id}/measures/``, and ``plan-measures/{id}/``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from stoa.plans.api import views

router = SimpleRouter()
router.register("plans", views.PlanViewSet, basename="plan")

urlpatterns = [
    *router.urls,
    path("plans/<uuid:plan_pk>/measures/", views.PlanMeasuresViewSet.as_view({"get": "list", "post": "create"}),
         name="plan-measures"),
    path("plan-measures/<uuid:pk>/", views.PlannedMeasureViewSet.as_view(
        {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}), name="plan-measure"),
]
