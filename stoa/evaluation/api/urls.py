"""Evaluation API routes. The parts of an evaluation live under it: ``evaluations/{id}/scores/``."""

from rest_framework.routers import SimpleRouter

from stoa.evaluation.api import parts, views

router = SimpleRouter()
router.register("criteria-sets", views.CriteriaSetViewSet, basename="criteria-set")
router.register("criteria-sources", views.CriteriaSourceViewSet, basename="criteria-source")
router.register("evaluations", views.EvaluationViewSet, basename="evaluation")

nested = SimpleRouter(use_regex_path=False)  # path converters: the evaluation's id is a UUID in the schema too
_UNDER = "evaluations/<uuid:evaluation_pk>"
nested.register(f"{_UNDER}/alternatives", parts.AlternativeViewSet, basename="evaluation-alternative")
nested.register(f"{_UNDER}/experts", parts.ExpertViewSet, basename="evaluation-expert")
nested.register(f"{_UNDER}/scores", parts.ScoreViewSet, basename="evaluation-score")
nested.register(f"{_UNDER}/weightings", parts.WeightingViewSet, basename="evaluation-weighting")

urlpatterns = router.urls + nested.urls
