from rest_framework.routers import SimpleRouter

from stoa.reports.api import views

router = SimpleRouter()
router.register("reports", views.ReportJobViewSet, basename="reportjob")

urlpatterns = router.urls
