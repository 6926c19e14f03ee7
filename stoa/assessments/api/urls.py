from rest_framework.routers import SimpleRouter

from stoa.assessments.api import views

router = SimpleRouter()
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("answers", views.AnswerViewSet, basename="answer")
router.register("scenarios", views.ScenarioViewSet, basename="scenario")
urlpatterns = router.urls
