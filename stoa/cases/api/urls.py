"""Case study API routes."""

from rest_framework.routers import SimpleRouter

from stoa.cases.api import views

router = SimpleRouter()
router.register("cases", views.CaseStudyViewSet, basename="case")

urlpatterns = router.urls
