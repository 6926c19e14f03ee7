"""Assessment pages. Steps 3 and 4 share their views; the step is part of the path."""

from django.urls import path, register_converter

from stoa.assessments.views import answers, assessments, city, measures, objectives, results, scenarios
from stoa.assessments.views import field as field_views
from stoa.assessments.views import merge as merge_views
from stoa.assessments.views import report as report_views
from stoa.assessments.views import workflow as workflow_views


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
    path("<uuid:pk>/ratings/accept-proposals/", scenarios.accept_proposals, name="accept-proposals"),
    path("<uuid:pk>/<step:step>/", scenarios.step_page, name="step"),
    path("scenarios/<uuid:pk>/<step:step>/", scenarios.scenario_edit, name="scenario-edit"),
    path("<uuid:pk>/results/", results.results_page, name="results"),
    path("city/", city.city_page, name="city"),
    path("<uuid:pk>/objectives/", objectives.objectives_page, name="objectives"),
    path("<uuid:pk>/objectives/add/", objectives.objective_add, name="objective-add"),
    path("objectives/<uuid:pk>/edit/", objectives.objective_edit, name="objective-edit"),
    path("objectives/<uuid:pk>/remove/", objectives.objective_remove, name="objective-remove"),
    path("objectives/<uuid:pk>/requirements/add/", objectives.requirement_add, name="requirement-add"),
    path("requirements/<uuid:pk>/edit/", objectives.requirement_edit, name="requirement-edit"),
    path("requirements/<uuid:pk>/remove/", objectives.requirement_remove, name="requirement-remove"),
    path("<uuid:pk>/report/", report_views.report_page, name="report"),
    path("<uuid:pk>/report.pdf", report_views.report_pdf, name="report-pdf"),
    path("<uuid:pk>/answers.xlsx", report_views.answers_xlsx, name="answers-xlsx"),
    path("<uuid:pk>/submit/", workflow_views.submit, name="submit"),
    path("<uuid:pk>/sign-off/", workflow_views.sign_off, name="sign-off"),
    path("<uuid:pk>/send-back/", workflow_views.send_back, name="send-back"),
    path("<uuid:pk>/reassess/", workflow_views.reassess, name="reassess"),
    path("<uuid:pk>/merge/", merge_views.merge_page, name="merge"),
    path("<uuid:pk>/settle/<str:question>/", merge_views.settle, name="settle"),
    path("<uuid:pk>/field/", field_views.field_page, name="field"),
    path("<uuid:pk>/field/xlsform.xlsx", field_views.xlsform_download, name="xlsform"),
    path("<uuid:pk>/field/import/", field_views.submissions_import, name="submissions"),
]
