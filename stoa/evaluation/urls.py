"""Evaluation pages: one evaluation's steps (criteria, weights, alternatives, panel, scores,
results, sensitivity, decision), and the organisation's criteria sets."""

from django.urls import path

from stoa.evaluation.views import alternatives, criteria_sets, documents, evaluations, panel, results, weights

app_name = "evaluation"
urlpatterns = [
    path("", evaluations.evaluation_list, name="list"),
    path("new/", evaluations.evaluation_create, name="create"),
    path("<uuid:pk>/", results.results_page, name="detail"),
    path("<uuid:pk>/settings/", evaluations.evaluation_edit, name="edit"),
    path("<uuid:pk>/delete/", evaluations.evaluation_delete, name="delete"),
    path("<uuid:pk>/criteria/", evaluations.criteria_page, name="criteria"),
    path("<uuid:pk>/weights/", weights.weights_page, name="weights"),
    path("<uuid:pk>/alternatives/", alternatives.alternatives_page, name="alternatives"),
    path("<uuid:pk>/shortlist/", alternatives.shortlist, name="shortlist"),
    path("<uuid:pk>/stage/", alternatives.change_stage, name="stage"),
    path("alternative/<uuid:pk>/delete/", alternatives.alternative_delete, name="alternative-delete"),
    path("<uuid:pk>/panel/", panel.panel_page, name="panel"),
    path("expert/<uuid:pk>/delete/", panel.expert_delete, name="expert-delete"),
    path("<uuid:pk>/scores/", panel.scores_page, name="scores"),
    path("<uuid:pk>/score/<uuid:expert>/<uuid:alternative>/", panel.score_sheet, name="score-sheet"),
    path("<uuid:pk>/sensitivity/", results.sensitivity_page, name="sensitivity"),
    path("<uuid:pk>/sensitivity/rerank/", results.rerank, name="rerank"),
    path("<uuid:pk>/freeze/", results.freeze_page, name="freeze"),
    path("<uuid:pk>/record/", results.record_page, name="record"),
    path("<uuid:pk>/record.pdf", documents.record_pdf, name="record-pdf"),
    path("<uuid:pk>/matrix.xlsx", documents.matrix_xlsx, name="matrix-xlsx"),
    path("criteria-sets/", criteria_sets.criteria_set_list, name="criteria-sets"),
    path("criteria-sets/new/", criteria_sets.criteria_set_create, name="criteria-set-create"),
    path("criteria-sets/<uuid:pk>/", criteria_sets.criteria_set_edit, name="criteria-set"),
    path("criteria-sets/<uuid:pk>/delete/", criteria_sets.criteria_set_delete, name="criteria-set-delete"),
]
