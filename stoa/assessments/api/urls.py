from django.urls import path
from rest_framework.routers import SimpleRouter

from stoa.assessments.api import field, objectives, views, workflow

router = SimpleRouter()
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("answers", views.AnswerViewSet, basename="answer")
router.register("scenarios", views.ScenarioViewSet, basename="scenario")
router.register("settled-answers", workflow.SettledAnswerViewSet, basename="settled-answer")
router.register("objectives", objectives.ObjectiveViewSet, basename="objective")
router.register("requirements", objectives.RequirementViewSet, basename="requirement")
urlpatterns = router.urls
urlpatterns += [  # field use (ODK / KoboToolbox): stoa/assessments/api/field.py
    path("assessments/<uuid:pk>/xlsform/", field.xlsform_view, name="assessment-xlsform"),
    path("assessments/<uuid:pk>/submissions/", field.submissions_view, name="assessment-submissions"),
]
_steps = workflow.AssessmentWorkflowViewSet
urlpatterns += [  # workflow steps: stoa/assessments/api/workflow.py
    path("assessments/<uuid:pk>/submit/", _steps.as_view({"post": "submit"}), name="assessment-submit"),
    path("assessments/<uuid:pk>/sign-off/", _steps.as_view({"post": "sign_off"}), name="assessment-sign-off"),
    path("assessments/<uuid:pk>/send-back/", _steps.as_view({"post": "send_back"}), name="assessment-send-back"),
    path("assessments/<uuid:pk>/reassess/", _steps.as_view({"post": "reassess"}), name="assessment-reassess"),
]
