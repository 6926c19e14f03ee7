"""Assessment pages. Steps 3 and 4 share their views; the step is part of the path."""

from django.urls import path, register_converter

from stoa.assessments.views import answers, assessments, measures, results, scenarios


class StepConverter:
    regex = "|".join(scenarios.STEPS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(StepConverter, "step")

app_name = "assessments"
urlpatterns = [
    path("", assessments.assessment_list, name="list"),
    path("site/<uuid:site_pk>/", assessments.site_assessments, name="site"),
    path("site/<uuid:site_pk>/new/", assessments.assessment_create, name="create"),
    path("<uuid:pk>/", assessments.assessment_detail, name="detail"),
    path("<uuid:pk>/edit/", assessments.assessment_edit, name="edit"),
    path("<uuid:pk>/delete/", assessments.assessment_delete, name="delete"),
    path("<uuid:pk>/team/add/", assessments.team_add, name="team-add"),
    path("team/<uuid:pk>/remove/", assessments.team_remove, name="team-remove"),
    path("<uuid:pk>/questions/<str:section>/", answers.questions_page, name="questions"),
    path("<uuid:pk>/answers/<str:question>/", answers.answer_save, name="answer"),
    path("<uuid:pk>/measures/", measures.measures_page, name="measures"),
    path("<uuid:pk>/measures/add/", measures.measure_add, name="measure-add"),
    path("measures/<uuid:pk>/remove/", measures.measure_remove, name="measure-remove"),
    path("<uuid:pk>/<step:step>/", scenarios.step_page, name="step"),
    path("scenarios/<uuid:pk>/<step:step>/", scenarios.scenario_edit, name="scenario-edit"),
    path("<uuid:pk>/results/", results.results_page, name="results"),
]
